"""Reads of campaigns, runs, lists, diffs and an officer's own breakdown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from matricule.promotions.engine import criterion_label
from matricule.promotions.models import (
    Appeal,
    Campaign,
    CampaignStatus,
    Decision,
    Eligibility,
    EligibilityPhrase,
    EligibilityRun,
    Outcome,
    PromotionRule,
    Vacancy,
)
from matricule.promotions.selectors.access import manage_agencies, readable_campaigns

if TYPE_CHECKING:
    from matricule.accounts.models import User
    from matricule.personnel.models import Officer


def campaign_list(*, viewer: User) -> QuerySet[Campaign]:
    return readable_campaigns(viewer).select_related("agency").order_by("-year", "-id")


def rule_list(*, viewer: User, current_only: bool = False) -> QuerySet[PromotionRule]:
    qs = PromotionRule.objects.filter(agency_id__in=manage_agencies(viewer))
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    return qs.select_related("target_grade", "agency").prefetch_related(
        "source_grades", "required_courses", "components"
    )


def current_run(campaign: Campaign) -> EligibilityRun | None:
    return campaign.runs.filter(is_current=True).first()


def eligibility_list(
    *,
    viewer: User,
    campaign: Campaign,
    eligible: bool | None = None,
    target_grade_id: int | None = None,
) -> QuerySet[Eligibility]:
    """The current run's rows; a viewer is never shown their own case."""
    qs = Eligibility.objects.filter(run__campaign=campaign, run__is_current=True)
    if viewer.officer_id is not None:
        qs = qs.exclude(officer_id=viewer.officer_id)
    if eligible is not None:
        qs = qs.filter(eligible=eligible)
    if target_grade_id is not None:
        qs = qs.filter(target_grade_id=target_grade_id)
    return qs.order_by("target_grade_id", "route", "rank", "matricule", "id")


def phrased(rows: Iterable[Eligibility]) -> list[Eligibility]:
    """Set `criteria` and `components` on the rows, in the language of the request.

    One query for the phrases the rows point to, whatever their number and runs.
    """
    rows = list(rows)
    wanted: dict[int, set[int]] = defaultdict(set)
    for e in rows:
        wanted[e.run_id].update(e.criteria_ids)
        wanted[e.run_id].update(e.component_ids)
    column = "en" if (translation.get_language() or "fr").startswith("en") else "fr"
    found: dict[tuple[int, int], dict[str, Any]] = {}
    if rows:
        which = Q()
        for run_id, numbers in wanted.items():
            which |= Q(run_id=run_id, number__in=sorted(numbers))
        for run_id, number, item in EligibilityPhrase.objects.filter(which).values_list(
            "run_id", "number", column
        ):
            found[run_id, number] = item
    for e in rows:
        e.criteria = [found[e.run_id, n] for n in e.criteria_ids]
        e.components = [found[e.run_id, n] for n in e.component_ids]
    return rows


def with_labels(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**c, "label": criterion_label(c["code"])} for c in criteria]


@dataclass
class DiffLine:
    matricule: str
    full_name: str
    change: str  # "entered", "left", "changed"
    why: list[str] = field(default_factory=list)


def run_diff(*, viewer: User, run: EligibilityRun) -> list[DiffLine]:
    """Who entered the eligible list, who left it, and why, against the previous version."""
    previous = (
        EligibilityRun.objects.filter(campaign_id=run.campaign_id, version__lt=run.version)
        .order_by("-version")
        .first()
    )
    if previous is None:
        return []

    def load(r: EligibilityRun) -> dict[tuple[int, int | None, str], Eligibility]:
        qs = Eligibility.objects.filter(run=r).only(
            "officer_id",
            "target_grade_id",
            "route",
            "eligible",
            "run_id",
            "criteria_ids",
            "component_ids",
            "matricule",
            "full_name",
            "points",
        )
        if viewer.officer_id is not None:
            qs = qs.exclude(officer_id=viewer.officer_id)
        return {(e.officer_id, e.target_grade_id, e.route): e for e in phrased(qs)}

    old, new = load(previous), load(run)
    lines = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[0], k[1] or 0, k[2])):
        a, b = old.get(key), new.get(key)
        was = a is not None and a.eligible
        now = b is not None and b.eligible
        if was == now:
            continue
        row = b or a
        assert row is not None
        why = []
        before = {c["code"]: c for c in (a.criteria if a else [])}
        for c in b.criteria if b else []:
            prior = before.get(c["code"])
            if prior is None or prior["met"] != c["met"]:
                why.append(
                    _("%(label)s : %(old)s → %(new)s")
                    % {
                        "label": criterion_label(c["code"]),
                        "old": prior["value"] if prior else "—",
                        "new": c["value"],
                    }
                )
        if b is None:
            why.append(_("ne figure plus dans le calcul (sortie du service, changement de grade…)"))
        lines.append(DiffLine(row.matricule, row.full_name, "entered" if now else "left", why))
    return lines


def vacancies(campaign: Campaign) -> list[Vacancy]:
    promoted = dict(
        Decision.objects.filter(campaign=campaign, outcome=Outcome.PROMOTED)
        .values("target_grade_id")
        .annotate(n=Count("id"))
        .values_list("target_grade_id", "n")
    )
    rows = list(campaign.vacancies.select_related("target_grade").order_by("target_grade__order"))
    for v in rows:
        v.promoted = promoted.get(v.target_grade_id, 0)  # type: ignore[attr-defined]
    return rows


def decisions_of(campaign: Campaign, *, viewer: User | None = None) -> QuerySet[Decision]:
    qs = Decision.objects.filter(campaign=campaign).select_related(
        "target_grade", "officer", "eligibility"
    )
    if viewer is not None and viewer.officer_id is not None:
        qs = qs.exclude(officer_id=viewer.officer_id)
    return qs.order_by("target_grade__order", "route", "rank", "officer__matricule")


@dataclass
class MyPromotion:
    campaign: Campaign | None
    rows: list[dict[str, Any]]
    decision: Decision | None
    appeals: list[Appeal]
    can_appeal: bool


def my_promotion(*, officer: Officer, today: Any) -> MyPromotion:
    """The officer's own breakdown in the latest campaign of their agency with a run."""
    campaign = (
        Campaign.objects.filter(agency_id=officer.agency_id, runs__is_current=True)
        .order_by("-year", "-id")
        .first()
    )
    if campaign is None:
        return MyPromotion(None, [], None, [], False)
    rows = []
    for e in phrased(
        Eligibility.objects.filter(run__campaign=campaign, run__is_current=True, officer=officer)
        .select_related("target_grade")
        .order_by("target_grade_id", "route")
    ):
        criteria = with_labels(e.criteria)
        rows.append(
            {
                "row": e,
                "criteria": criteria,
                "lacks": [c for c in criteria if not c["met"]],
                "components": [{**c, "label": _component_label(c["code"])} for c in e.components],
                "of": Eligibility.objects.filter(
                    run_id=e.run_id, rule_id=e.rule_id, eligible=True
                ).count()
                if e.rule_id
                else 0,
            }
        )
    published = campaign.status in (CampaignStatus.PUBLISHED, CampaignStatus.EFFECTED)
    decision = (
        Decision.objects.filter(campaign=campaign, officer=officer)
        .select_related("target_grade")
        .first()
        if published
        else None
    )
    appeals = list(Appeal.objects.filter(campaign=campaign, officer=officer))
    can_appeal = (
        published
        and campaign.published_at is not None
        and (today - campaign.published_at.date()).days <= campaign.appeal_days
        and not any(a.status == "pending" for a in appeals)
    )
    return MyPromotion(campaign, rows, decision, appeals, can_appeal)


def _component_label(code: str) -> str:
    from matricule.promotions.models import Component

    return str(Component(code).label) if code in Component.values else code


def appeals_of(campaign: Campaign) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(campaign=campaign)
        .select_related("officer")
        .order_by("status", "-filed_at")
    )


def pending_appeals_q() -> Q:
    return Q(status="pending")
