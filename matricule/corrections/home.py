"""The corrections app's lines on the home page (accounts.hooks.home_tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.accounts.roles import Perm
from matricule.corrections.models import CorrectionRequest
from matricule.corrections.selectors import review_queue

if TYPE_CHECKING:
    from matricule.accounts.models import User


def correction_tasks(viewer: User) -> list[HomeTask]:
    tasks = []
    if viewer.has_perm_anywhere(Perm.CORRECTIONS_PROCESS):
        n = review_queue(viewer=viewer).count()
        tasks.append(
            HomeTask(
                ngettext(
                    "%(n)d demande de correction à traiter",
                    "%(n)d demandes de correction à traiter",
                    n,
                )
                % {"n": n},
                reverse("corrections:queue"),
                n,
                order=10,
            )
        )
    if viewer.officer_id is not None:
        n = CorrectionRequest.objects.filter(
            officer_id=viewer.officer_id, state=CorrectionRequest.State.PENDING
        ).count()
        tasks.append(
            HomeTask(
                ngettext(
                    "%(n)d de vos demandes de correction est en attente",
                    "%(n)d de vos demandes de correction sont en attente",
                    n,
                )
                % {"n": n},
                reverse("corrections:my_requests"),
                n,
                order=80,
            )
        )
    return tasks
