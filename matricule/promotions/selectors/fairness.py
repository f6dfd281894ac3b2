"""The fairness audit: selection rate per group among the eligible, four-fifths rule, Fisher.

Dimensions are sex, region of posting, corps and cohort (the school promotion, or the year of
entry for records from before Matricule), frozen with the run.
No ethnicity is collected or inferred.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from scipy.stats import fisher_exact

from matricule.personnel.models import Sex
from matricule.promotions.models import Campaign, Decision, Eligibility, Outcome

DIMENSIONS = ("sex", "region", "corps", "cohort")
FOUR_FIFTHS = Decimal("0.80")


def dimension_label(code: str) -> str:
    return {
        "sex": _("Sexe"),
        "region": _("Région d'affectation"),
        "corps": _("Corps"),
        "cohort": _("Promotion d'école (ou année d'entrée)"),
    }.get(code, code)


@dataclass
class FairnessRow:
    dimension: str
    group: str
    eligible: int
    selected: int
    rate: float
    impact_ratio: float | None
    fisher_p: float | None
    flagged: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fairness_rows(*, eligible: dict[int, dict[str, str]], selected: set[int]) -> list[FairnessRow]:
    """The audit from the eligible officers' groups and the set of those promoted."""
    total = len(eligible)
    chosen = len(selected & eligible.keys())
    out: list[FairnessRow] = []
    for dim in DIMENSIONS:
        counts: dict[str, list[int]] = {}
        for officer_id, groups in eligible.items():
            cell = counts.setdefault(groups[dim] or _("non renseigné"), [0, 0])
            cell[0] += 1
            cell[1] += officer_id in selected
        rates = {g: (k / n if n else 0.0) for g, (n, k) in counts.items()}
        best = max(rates.values(), default=0.0)
        for group in sorted(counts):
            n, k = counts[group]
            rate = rates[group]
            ratio = round(rate / best, 4) if best else None
            rest_n, rest_k = total - n, chosen - k
            p = None
            if rest_n > 0:
                _odds, p_value = fisher_exact([[k, n - k], [rest_k, rest_n - rest_k]])
                p = round(float(p_value), 6)
            out.append(
                FairnessRow(
                    dimension=dim,
                    group=group,
                    eligible=n,
                    selected=k,
                    rate=round(rate, 4),
                    impact_ratio=ratio,
                    fisher_p=p,
                    flagged=ratio is not None and Decimal(str(ratio)) < FOUR_FIFTHS,
                )
            )
    return out


def campaign_fairness(campaign: Campaign) -> list[FairnessRow]:
    """The audit of the campaign's current run and its decisions (two queries)."""
    sexes = dict(Sex.choices)
    eligible: dict[int, dict[str, str]] = {}
    for officer_id, sex, region, corps, cohort in (
        Eligibility.objects.filter(run__campaign=campaign, run__is_current=True, eligible=True)
        .values_list("officer_id", "sex", "region_name", "corps_name", "cohort")
        .order_by("officer_id")
    ):
        eligible.setdefault(
            officer_id,
            {"sex": str(sexes.get(sex, sex)), "region": region, "corps": corps, "cohort": cohort},
        )
    selected = set(
        Decision.objects.filter(campaign=campaign, outcome=Outcome.PROMOTED).values_list(
            "officer_id", flat=True
        )
    )
    return fairness_rows(eligible=eligible, selected=selected)


def bars_svg(rows: list[FairnessRow], dimension: str) -> str:
    """Horizontal bars of the selection rate per group (light SVG, no script)."""
    data = [r for r in rows if r.dimension == dimension]
    height = 22 * len(data) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 {height}" '
        f'width="420" height="{height}" role="img" aria-label="{dimension_label(dimension)}">'
    ]
    for i, r in enumerate(data):
        y = 5 + 22 * i
        width = int(Decimal(r.rate * 240).quantize(Decimal(1), ROUND_HALF_UP))
        colour = "#b42318" if r.flagged else "#1d6f42"
        label = r.group.replace("&", "&amp;").replace("<", "&lt;")[:22]
        parts.append(f'<text x="0" y="{y + 14}" font-size="11">{label}</text>')
        parts.append(f'<rect x="140" y="{y}" width="{width}" height="16" fill="{colour}"/>')
        parts.append(
            f'<text x="{145 + width}" y="{y + 13}" font-size="11">{r.rate * 100:.0f} %</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
