"""Demo promotions: rules for every PN grade, a past campaign published and in effect, and
the current campaign ready for its board.

The past campaign has its board's decisions (two of them justified deviations from the
ranking), an appeal decided with reasons, and the grade-change events on the records. The
runs are the bulk service itself; only a few dozen decisions go one by one. Does nothing
when a campaign already exists (idempotent).
"""

from __future__ import annotations

import datetime
import itertools
import random
from decimal import Decimal

from django.db import transaction

from matricule.accounts.models import User
from matricule.core.audit import audit_record
from matricule.core.models import Agency, Grade
from matricule.promotions.models import Campaign, Eligibility, Outcome, PromotionRule, Route
from matricule.promotions.selectors.fairness import campaign_fairness
from matricule.promotions.services import appeals, boards, publication, vacancies
from matricule.promotions.services.rules import rule_version_create
from matricule.promotions.services.runs import campaign_create, eligibility_run

COMPONENTS = [
    ("years_in_grade", Decimal("2"), Decimal("15")),
    ("years_of_service", Decimal("1"), Decimal("30")),
    ("average_mark", Decimal("3"), None),
    ("required_courses", Decimal("2"), None),
    ("optional_courses", Decimal("1"), Decimal("5")),
    ("decorations", Decimal("2"), Decimal("3")),
    ("sanctions", Decimal("5"), None),
]
# Years in the source grade before the next one, by target grade code.
YEARS = {"SGT": 3, "SGC": 4, "ADJ": 4, "ADC": 4, "MAJ": 5, "SLT": 3, "LTN": 3, "CNE": 4}
MAX_PROMOTED_PER_GRADE = 40


def rules_create(agency: Agency, *, valid_from: datetime.date) -> list[PromotionRule]:
    """One rule « au choix » per grade of the statute in force, from the grade below it."""
    grades = list(
        Grade.objects.filter(statute__agency=agency, statute__effective_to__isnull=True)
        .select_related("corps")
        .order_by("order")
    )
    created = []
    for below, grade in itertools.pairwise(grades):
        officers = grade.corps.code in ("OF", "CO")
        created.append(
            rule_version_create(
                agency=agency,
                target_grade=grade,
                route=Route.CHOICE,
                valid_from=valid_from,
                source_grades=[below],
                components=COMPONENTS,
                values={
                    "min_years_in_grade": YEARS.get(grade.code, 4),
                    "min_years_of_service": 2 if not officers else 5,
                    "min_average_mark": Decimal("12") if officers else Decimal("11"),
                    "mark_cycles": 3,
                    "missing_cycles": "skip",
                    "max_sanction_group": 1,
                    "sanction_years": 3,
                    "no_pending_case": True,
                    "max_age": None if officers else 56,
                    "service_cap_years": 30,
                    "note": "Statut de 2023 (reconstitution de démonstration).",
                },
                by=None,
            )
        )
    # A second route for the first rank of sous-officiers: by seniority, longer.
    sgt = next((g for g in grades if g.code == "SGT"), None)
    gp = next((g for g in grades if g.code == "GP"), None)
    if sgt and gp:
        created.append(
            rule_version_create(
                agency=agency,
                target_grade=sgt,
                route=Route.SENIORITY,
                valid_from=valid_from,
                source_grades=[gp],
                components=[
                    ("years_in_grade", Decimal("1"), None),
                    ("years_of_service", Decimal("1"), None),
                ],
                values={
                    "min_years_in_grade": 8,
                    "min_years_of_service": 8,
                    "max_sanction_group": 1,
                },
                by=None,
            )
        )
    return created


def _fix_vacancies(campaign: Campaign, by: User | None, rng: random.Random) -> None:
    run = campaign.runs.get(is_current=True)
    for vacancy in vacancies.vacancies_propose(campaign=campaign, by=by):
        eligible = Eligibility.objects.filter(
            run=run, target_grade_id=vacancy.target_grade_id, eligible=True
        ).count()
        fixed = min(MAX_PROMOTED_PER_GRADE, max(1, eligible // 4)) if eligible else 0
        vacancies.vacancy_fix(
            vacancy=vacancy,
            fixed=fixed,
            reason="Arbitrage budgétaire de la Direction générale (crédits de la loi de finances).",
            by=by,
        )


def _decide(campaign: Campaign, chair: User) -> int:
    """Promote down each list up to its vacancies, with two justified deviations."""
    run = campaign.runs.get(is_current=True)
    deviations = 0
    promoted = 0
    for vacancy in campaign.vacancies.order_by("target_grade__order"):
        if not vacancy.fixed:
            continue
        rows = list(
            Eligibility.objects.filter(
                run=run, target_grade_id=vacancy.target_grade_id, eligible=True, route=Route.CHOICE
            )
            .select_related("officer")
            .order_by("rank")[: vacancy.fixed + 1]
        )
        if len(rows) < 2:
            continue
        order = rows[: vacancy.fixed]
        if deviations < 1 and len(rows) > vacancy.fixed:
            # The board passes over the last one in rank for the first one below the line.
            order = [*rows[: vacancy.fixed - 1], rows[vacancy.fixed]]
            skipped = rows[vacancy.fixed - 1]
            for row in order:
                ahead = (row.rank or 0) > (skipped.rank or 0)
                boards.decision_record(
                    campaign=campaign,
                    officer=row.officer,
                    outcome=Outcome.PROMOTED,
                    by=chair,
                    eligibility_id=row.pk,
                    justification=(
                        "Manière de servir exceptionnelle lors des opérations du Centre "
                        "(témoignage officiel de satisfaction)."
                        if ahead
                        else ""
                    ),
                )
            boards.decision_record(
                campaign=campaign,
                officer=skipped.officer,
                outcome=Outcome.DEFERRED,
                by=chair,
                eligibility_id=skipped.pk,
                justification="Ajourné : dossier de notation incomplet, à revoir l'an prochain.",
            )
            deviations += 1
        else:
            for row in order:
                boards.decision_record(
                    campaign=campaign,
                    officer=row.officer,
                    outcome=Outcome.PROMOTED,
                    by=chair,
                    eligibility_id=row.pk,
                )
        promoted += len(order)
    return promoted


def _scan() -> bytes:
    """A one-page PDF standing for the officer's scanned letter."""
    from weasyprint import HTML

    return bytes(HTML(string="<p>Recours gracieux — lettre de l'agent.</p>").write_pdf())


def seed_promotions_demo(*, seed: int, today: datetime.date) -> None:
    agency = Agency.objects.get(code="PN")
    if Campaign.objects.filter(agency=agency).exists():
        return
    rng = random.Random(seed)
    director = User.objects.filter(username="drh.pn").first()
    chair = User.objects.filter(username="avancement").first()
    if chair is None:
        return
    if not PromotionRule.objects.filter(agency=agency).exists():
        rules_create(agency, valid_from=datetime.date(2023, 1, 1))
    past_year = today.year - 1
    past = campaign_create(
        agency=agency,
        year=past_year,
        name=f"Tableau d'avancement {past_year}",
        reference_date=datetime.date(past_year, 6, 30),
        effective_date=min(today, datetime.date(past_year, 10, 1)),
        by=director,
    )
    eligibility_run(campaign=past, by=director)
    _fix_vacancies(past, director, rng)
    boards.board_create(
        campaign=past, name=f"Commission d'avancement {past_year}", chair=chair, by=director
    )
    past.refresh_from_db()
    _decide(past, chair)
    board = past.board
    boards.audit_acknowledge(
        board=board,
        comment="Audit examiné en séance : les écarts signalés tiennent aux effectifs réduits "
        "de certaines régions ; une attention particulière sera portée aux agents féminins.",
        fairness=[r.as_dict() for r in campaign_fairness(past)],
        by=chair,
    )
    publication.campaign_publish(campaign=past, by=director)
    published = datetime.datetime(past_year, 9, 1, 10, 0, tzinfo=datetime.UTC)
    Campaign.objects.filter(pk=past.pk).update(published_at=published)
    past.refresh_from_db()
    deferred = past.decisions.filter(outcome=Outcome.DEFERRED).select_related("officer").first()
    if deferred is not None:
        appeal = appeals.appeal_file(
            campaign=past,
            officer=deferred.officer,
            reason="Mes notations de 2023 et 2024 figurent au dossier : "
            "l'ajournement est injustifié.",
            scan=_scan(),
            by=None,
            today=published.date() + datetime.timedelta(days=10),
        )
        appeals.appeal_decide(
            appeal=appeal,
            granted=False,
            answer="Rejeté : les notations produites ne portent pas sur la période de référence.",
            by=director or chair,
        )
    publication.campaign_effect(campaign=past, by=director, today=today)

    current = campaign_create(
        agency=agency,
        year=today.year,
        name=f"Tableau d'avancement {today.year}",
        reference_date=today,
        effective_date=datetime.date(today.year + 1, 1, 1),
        by=director,
    )
    eligibility_run(campaign=current, by=director)
    _fix_vacancies(current, director, rng)
    boards.board_create(
        campaign=current, name=f"Commission d'avancement {today.year}", chair=chair, by=director
    )
    with transaction.atomic():
        audit_record(
            by=None, action="demo.seed_promotions", object_type="promotions", after={"campaigns": 2}
        )
