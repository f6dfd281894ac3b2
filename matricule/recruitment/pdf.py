"""Result lists as PDF, ready to publish: admission list (alphabetical, per exam centre or
overall) and the order of merit for the school."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matricule.recruitment.models import ExamCentre, Intake, Outcome, RankingEntry
from matricule.recruitment.services.ranking import tie_break_text

LISTS = {
    "admission": _("Liste d'admission (ordre alphabétique)"),
    "attente": _("Liste d'attente (ordre de mérite)"),
    "merite": _("Liste des admis par ordre de mérite"),
}


def result_rows(*, intake: Intake, kind: str, centre: ExamCentre | None) -> list[Any]:
    outcome = Outcome.WAITING if kind == "attente" else Outcome.ADMITTED
    qs = RankingEntry.objects.filter(intake=intake, outcome=outcome).select_related(
        "candidate", "candidate__centre", "candidate__region"
    )
    if centre is not None:
        qs = qs.filter(candidate__centre=centre)
    if kind == "admission":
        qs = qs.order_by("candidate__family_name", "candidate__given_names", "candidate__id")
    else:
        qs = qs.order_by("rank")
    return list(qs)


def results_pdf(*, intake: Intake, kind: str, centre: ExamCentre | None) -> bytes:
    from weasyprint import HTML

    rows = result_rows(intake=intake, kind=kind, centre=centre)
    html = render_to_string(
        "recruitment/results_pdf.html",
        {
            "intake": intake,
            "kind": kind,
            "title": LISTS[kind],
            "centre": centre,
            "rows": rows,
            "tie_break": tie_break_text(intake),
            "printed": timezone.localtime(),
            "show_rank": kind != "admission",
        },
    )
    return HTML(string=html).write_pdf() or b""
