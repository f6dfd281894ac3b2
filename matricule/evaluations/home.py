"""The evaluations' lines of the home page's "À faire aujourd'hui"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.accounts.roles import Perm
from matricule.evaluations.models import CycleStatus, Evaluation, Step
from matricule.evaluations.selectors import hr_queue

if TYPE_CHECKING:
    from matricule.accounts.models import User


def evaluation_tasks(viewer: User) -> list[HomeTask]:
    """To rate, to review, my own step; and for HR the queue and the appeals."""
    tasks: list[HomeTask] = []
    me = viewer.officer_id
    if me is not None:
        counts = Evaluation.objects.filter(cycle__status=CycleStatus.OPEN).aggregate(
            rate=Count("id", filter=Q(evaluator_id=me, status=Step.RATING)),
            review=Count("id", filter=Q(reviewer_id=me, status=Step.REVIEW)),
            mine=Count("id", filter=Q(officer_id=me, status__in=[Step.SELF, Step.ACKNOWLEDGEMENT])),
        )
        inbox = reverse("evaluations:inbox")
        tasks += [
            HomeTask(
                ngettext("%(n)d évaluation à noter", "%(n)d évaluations à noter", counts["rate"])
                % {"n": counts["rate"]},
                inbox,
                counts["rate"],
                order=30,
            ),
            HomeTask(
                ngettext(
                    "%(n)d évaluation à revoir au second niveau",
                    "%(n)d évaluations à revoir au second niveau",
                    counts["review"],
                )
                % {"n": counts["review"]},
                inbox,
                counts["review"],
                order=31,
            ),
            HomeTask(
                ngettext(
                    "Votre évaluation attend votre action",
                    "Vos évaluations attendent votre action",
                    counts["mine"],
                ),
                reverse("evaluations:my_evaluations"),
                counts["mine"],
                order=32,
            ),
        ]
    if viewer.has_perm_anywhere(Perm.EVALUATION_MANAGE):
        queued = hr_queue(viewer=viewer).count()
        tasks.append(
            HomeTask(
                ngettext(
                    "%(n)d évaluation sans évaluateur : à désigner",
                    "%(n)d évaluations sans évaluateur : à désigner",
                    queued,
                )
                % {"n": queued},
                reverse("evaluations:hr_queue"),
                queued,
                order=40,
            )
        )
    return tasks
