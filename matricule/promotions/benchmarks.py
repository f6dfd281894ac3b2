"""The promotions lines of `make bench`: the whole force's run, one's own page, the audit."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.utils import timezone

from matricule.core.benchmarking import OPERATIONS, Context, logged_in_client, operation
from matricule.promotions.models import Campaign, CampaignStatus, Eligibility, EligibilityRun
from matricule.promotions.selectors.fairness import campaign_fairness
from matricule.promotions.services.runs import eligibility_run

Prepared = tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]
Pair = tuple[Callable[[], Any], Callable[[], Any]]
INSERT_ROWS = (
    "INSERT INTO promotions_eligibility (run_id, officer_id, route, eligible, points, "
    "criteria_ids, component_ids, inputs, sex, region_name, corps_name, cohort, matricule, "
    "full_name, grade_name) "
    "VALUES "
)


def _ids(column: Any) -> list[int]:
    """A JSON list column as the raw cursor returns it (text on SQLite, a list on PG)."""
    return list(json.loads(column) if isinstance(column, str) else column)


def ensure_promotion_data() -> None:
    if Campaign.objects.exists():
        return
    from matricule.promotions.demo import seed_promotions_demo

    print("# création des campagnes d'avancement de démonstration…", file=sys.stderr)
    start = time.monotonic()
    seed_promotions_demo(seed=1, today=timezone.localdate())
    print(f"# campagnes créées en {time.monotonic() - start:.0f} s", file=sys.stderr)


def _current() -> Campaign:
    campaign = Campaign.objects.filter(status=CampaignStatus.BOARD).order_by("-year").first()
    assert campaign is not None, "pas de campagne devant sa commission dans le jeu de démonstration"
    return campaign


@operation("promotion_eligibility", repeat=3)
def promotion_eligibility(ctx: Context) -> Prepared:
    """The whole agency's run (reads, every criterion, ranking, rows written), per officer."""
    ensure_promotion_data()
    campaign = _current()
    retained = campaign.runs.get(is_current=True)
    this = next(op for op in OPERATIONS if op.name == "promotion_eligibility")
    this.items_per_run = max(1, retained.officers)

    def run() -> int:
        made = eligibility_run(campaign=campaign, by=None, reason="Banc d'essai")
        return made.officers

    def reset() -> None:
        # Back to the retained version: the bench's own versions go.
        extra = EligibilityRun.objects.filter(campaign=campaign).exclude(pk=retained.pk)
        Eligibility.objects.filter(run__in=extra).delete()
        extra.delete()
        EligibilityRun.objects.filter(pk=retained.pk).update(is_current=True)

    ref = campaign.reference_date
    agency = campaign.agency_id

    def floor() -> Any:
        # The same inputs read by hand, the rows written by hand, in one statement each.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.id, o.matricule, o.family_name, o.given_names, o.sex, o.birth_date, "
                "o.entry_date, o.grade_id, c.name, r.name FROM personnel_officer o "
                "JOIN core_corps c ON c.id = o.corps_id JOIN core_unit u ON u.id = o.unit_id "
                "LEFT JOIN core_region r ON r.id = u.region_id WHERE o.agency_id = %s "
                "AND o.entry_date <= %s AND (o.exit_date IS NULL OR o.exit_date > %s)",
                [agency, ref, ref],
            )
            officers = cursor.fetchall()
            # The events the run reads: grades, sanctions and decorations, and the positions
            # of the officers ever suspended or on unpaid leave.
            cursor.execute(
                "SELECT e.officer_id, e.kind, e.effective_date, e.id, e.grade_id, e.detail, "
                "e.sanction_group FROM personnel_careerevent e "
                "JOIN personnel_officer o ON o.id = e.officer_id WHERE o.agency_id = %s "
                "AND NOT e.is_superseded AND e.effective_date <= %s AND e.kind IN "
                "('entry', 'grade', 'sanction', 'decoration')",
                [agency, ref],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT e.officer_id, e.effective_date, e.status, e.detail, e.end_date "
                "FROM personnel_careerevent e WHERE NOT e.is_superseded "
                "AND e.effective_date <= %s AND e.kind IN ('status', 'secondment', 'exit') "
                "AND e.officer_id IN (SELECT s.officer_id FROM personnel_careerevent s "
                "JOIN personnel_officer o ON o.id = s.officer_id WHERE o.agency_id = %s "
                "AND NOT s.is_superseded AND s.effective_date <= %s AND (s.status = 'suspended' "
                "OR (s.status = 'leave' AND LOWER(s.detail) LIKE '%%sans solde%%')))",
                [ref, agency, ref],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT c.officer_id, c.course_id FROM training_certificate c "
                "JOIN personnel_officer o ON o.id = c.officer_id WHERE o.agency_id = %s "
                "AND c.issued_on <= %s AND (c.expires_on IS NULL OR c.expires_on >= %s)",
                [agency, ref, ref],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT e.officer_id, y.year, e.final_mark FROM evaluations_evaluation e "
                "JOIN evaluations_cycle y ON y.id = e.cycle_id WHERE y.agency_id = %s "
                "AND y.year <= %s",
                [agency, campaign.year - 1],
            )
            cursor.fetchall()
            cursor.execute(
                "INSERT INTO promotions_eligibilityrun (campaign_id, version, is_current, "
                "computed_at, officers, eligible, reason) VALUES (%s, 999, FALSE, %s, 0, 0, '')",
                [campaign.pk, timezone.now()],
            )
        run_id = EligibilityRun.objects.get(campaign=campaign, version=999).pk
        with connection.cursor() as cursor:
            batch = 500
            for start in range(0, len(officers), batch):
                chunk = officers[start : start + batch]
                row = "(%s, %s, '', FALSE, 0, '[]', '[]', '{}', %s, '', '', '', %s, %s, '')"
                sql = INSERT_ROWS + ", ".join([row] * len(chunk))
                cursor.execute(
                    sql,
                    [v for o in chunk for v in (run_id, o[0], o[4], o[1], o[2])],
                )

    return run, floor, reset


@operation("promotion_breakdown")
def promotion_breakdown(ctx: Context) -> Pair:
    """An officer's own page /moi/avancement/: criteria, components, rank, what they lack."""
    ensure_promotion_data()
    from matricule.accounts.models import User

    user = User.objects.filter(officer__isnull=False, role_grants__role="officer").first()
    assert user is not None, "pas de compte d'agent de démonstration"
    client = logged_in_client(user.username)
    officer_id = user.officer_id

    def run() -> int:
        response = client.get("/moi/avancement/")
        assert response.status_code == 200
        return len(response.content)

    def floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.run_id, e.criteria_ids, e.component_ids, e.points, e.rank, e.eligible "
                "FROM promotions_eligibility e JOIN promotions_eligibilityrun r "
                "ON r.id = e.run_id WHERE r.is_current AND e.officer_id = %s",
                [officer_id],
            )
            rows = cursor.fetchall()
            numbers = sorted(
                {n for row in rows for column in row[1:3] for n in _ids(column)} or {0}
            )
            marks = ", ".join(["%s"] * len(numbers))
            sql = "SELECT p.number, p.fr FROM promotions_eligibilityphrase p WHERE p.run_id = %s "
            sql += f"AND p.number IN ({marks})"
            cursor.execute(sql, [rows[0][0] if rows else 0, *numbers])
            cursor.fetchall()
            cursor.execute(
                "SELECT COUNT(*) FROM promotions_eligibility e JOIN promotions_eligibilityrun r "
                "ON r.id = e.run_id WHERE r.is_current AND e.eligible AND r.campaign_id = "
                "(SELECT campaign_id FROM promotions_eligibilityrun WHERE id = %s)",
                [rows[0][0] if rows else 0],
            )
            return cursor.fetchall()

    return run, floor


@operation("promotion_fairness")
def promotion_fairness(ctx: Context) -> Pair:
    """A campaign's fairness audit: four dimensions, rates, impact ratios, Fisher's tests."""
    ensure_promotion_data()
    campaign = (
        Campaign.objects.filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.EFFECTED])
        .order_by("-year")
        .first()
    ) or _current()

    def run() -> int:
        rows = campaign_fairness(campaign)
        assert rows
        return len(rows)

    def floor() -> Any:
        with connection.cursor() as cursor:
            out = []
            for column in ("sex", "region_name", "corps_name", "cohort"):
                cursor.execute(
                    f"SELECT e.{column}, COUNT(DISTINCT e.officer_id), "  # noqa: S608 - fixed names
                    "COUNT(DISTINCT d.officer_id) FROM promotions_eligibility e "
                    "JOIN promotions_eligibilityrun r ON r.id = e.run_id "
                    "LEFT JOIN promotions_decision d ON d.campaign_id = r.campaign_id "
                    "AND d.officer_id = e.officer_id AND d.outcome = 'promoted' "
                    f"WHERE r.campaign_id = %s AND r.is_current AND e.eligible GROUP BY e.{column}",
                    [campaign.pk],
                )
                out.append(cursor.fetchall())
            return out

    return run, floor
