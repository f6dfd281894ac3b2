"""The recruitment funnel: applicants → eligible → each stage → admitted → graduated,
by sex and region, with the women's selection rate and the adverse-impact ratio."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from matricule.core.models import Region
from matricule.recruitment.models import Candidate, Intake, Outcome, RankingEntry, StageResult

# Four-fifths rule: a group selected at less than 80 % of the other group's rate is flagged.
FOUR_FIFTHS = Decimal("0.8")


@dataclass
class Step:
    label: str
    entered: dict[str, int] = field(default_factory=dict)  # by sex: who reached the step
    passed: dict[str, int] = field(default_factory=dict)  # by sex: who got through it
    by_region: dict[int, int] = field(default_factory=dict)  # passed, by region

    @property
    def total(self) -> int:
        return sum(self.passed.values())

    @property
    def women(self) -> int:
        return self.passed.get("F", 0)

    @property
    def men(self) -> int:
        return self.passed.get("M", 0)

    def rate(self, sex: str) -> Decimal | None:
        entered = self.entered.get(sex, 0)
        if not entered:
            return None
        return (Decimal(self.passed.get(sex, 0)) / entered).quantize(Decimal("0.001"))

    @property
    def women_rate(self) -> Decimal | None:
        return self.rate("F")

    @property
    def men_rate(self) -> Decimal | None:
        return self.rate("M")

    @property
    def impact_ratio(self) -> Decimal | None:
        women, men = self.rate("F"), self.rate("M")
        if women is None or not men:
            return None
        return (women / men).quantize(Decimal("0.01"))

    @property
    def flagged(self) -> bool:
        ratio = self.impact_ratio
        return ratio is not None and ratio < FOUR_FIFTHS


@dataclass
class Funnel:
    steps: list[Step]
    regions: list[Region]

    @property
    def women_selection_rate(self) -> Decimal | None:
        """Share of women applicants who were admitted."""
        first, admitted = self.steps[0], self._admitted()
        if admitted is None or not first.passed.get("F"):
            return None
        return (Decimal(admitted.passed.get("F", 0)) / first.passed["F"]).quantize(Decimal("0.001"))

    def _admitted(self) -> Step | None:
        return next((s for s in self.steps if s.label == str(_("Admis"))), None)

    def bars(self, width: int = 470) -> list[dict[str, object]]:
        """Geometry of the SVG chart: one bar per step, the women's share drawn inside."""
        top = max((s.total for s in self.steps), default=0) or 1
        out = []
        for index, step in enumerate(self.steps):
            total_w = round(width * step.total / top)
            women_w = round(width * step.women / top)
            out.append(
                {
                    "y": 8 + index * 34,
                    "label": step.label,
                    "total": step.total,
                    "women": step.women,
                    "w": max(total_w, 1 if step.total else 0),
                    "women_w": women_w,
                }
            )
        return out


def intake_funnel(*, intake: Intake) -> Funnel:
    """Counts for an intake already reached through intake_get (so in the viewer's scope)."""
    candidates = Candidate.objects.filter(intake=intake)
    applicants = Step(_("Candidats"))
    eligible = Step(_("Recevables"))
    for sex, region_id, total, ok in candidates.values_list("sex", "region_id").annotate(
        total=Count("id"),
        ok=Count("id", filter=Q(eligible=True)),
    ):
        applicants.entered[sex] = applicants.entered.get(sex, 0) + total
        applicants.passed[sex] = applicants.passed.get(sex, 0) + total
        applicants.by_region[region_id] = applicants.by_region.get(region_id, 0) + total
        eligible.entered[sex] = eligible.entered.get(sex, 0) + total
        eligible.passed[sex] = eligible.passed.get(sex, 0) + ok
        eligible.by_region[region_id] = eligible.by_region.get(region_id, 0) + ok
    steps = [applicants, eligible]
    stage_rows: dict[int, Step] = {}
    for stage in intake.stages.order_by("order"):
        step = Step(str(stage.get_kind_display()))
        stage_rows[stage.pk] = step
        steps.append(step)
    counts = (
        StageResult.objects.filter(stage__intake=intake)
        .values_list("stage_id", "candidate__sex", "candidate__region_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(passed=True)))
    )
    for stage_id, sex, region_id, n, ok in counts:
        step = stage_rows[stage_id]
        step.entered[sex] = step.entered.get(sex, 0) + n
        step.passed[sex] = step.passed.get(sex, 0) + ok
        step.by_region[region_id] = step.by_region.get(region_id, 0) + ok
    ranked = Step(_("Classés"))
    admitted = Step(_("Admis"))
    for outcome, sex, region_id, n in (
        RankingEntry.objects.filter(intake=intake)
        .values_list("outcome", "candidate__sex", "candidate__region_id")
        .annotate(n=Count("id"))
    ):
        ranked.passed[sex] = ranked.passed.get(sex, 0) + n
        if outcome == Outcome.ADMITTED:
            admitted.passed[sex] = admitted.passed.get(sex, 0) + n
            admitted.by_region[region_id] = admitted.by_region.get(region_id, 0) + n
    admitted.entered = dict(ranked.passed)
    steps.append(admitted)
    graduated = Step(_("Sortis de l'école (agents)"))
    graduated.entered = dict(admitted.passed)
    for sex, region_id, n in (
        candidates.filter(officer__isnull=False)
        .values_list("sex", "region_id")
        .annotate(n=Count("id"))
    ):
        graduated.passed[sex] = graduated.passed.get(sex, 0) + n
        graduated.by_region[region_id] = graduated.by_region.get(region_id, 0) + n
    steps.append(graduated)
    region_ids: set[int] = set()
    for step in steps:
        region_ids |= set(step.by_region)
    regions = list(Region.objects.filter(pk__in=region_ids).order_by("name"))
    return Funnel(steps=steps, regions=regions)


def region_table(funnel: Funnel) -> list[tuple[Region, list[int]]]:
    return [(r, [s.by_region.get(r.pk, 0) for s in funnel.steps]) for r in funnel.regions]
