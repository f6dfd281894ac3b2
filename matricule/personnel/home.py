"""The personnel app's lines on the home page (accounts.hooks.home_tasks)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.accounts.roles import Perm
from matricule.personnel.models import ImportJob

if TYPE_CHECKING:
    from matricule.accounts.models import User


def import_tasks(viewer: User) -> list[HomeTask]:
    """Imports the viewer started that finished (or failed) in the last week."""
    if not viewer.has_perm_anywhere(Perm.PERSONNEL_IMPORT):
        return []
    since = timezone.now() - datetime.timedelta(days=7)
    jobs = ImportJob.objects.filter(created_by=viewer, finished_at__gte=since)
    done = jobs.filter(state=ImportJob.State.DONE).count()
    failed = jobs.filter(state=ImportJob.State.FAILED).count()
    url = reverse("personnel:import_list")
    return [
        HomeTask(
            ngettext(
                "%(n)d import terminé cette semaine : vérifiez le compte rendu",
                "%(n)d imports terminés cette semaine : vérifiez les comptes rendus",
                done,
            )
            % {"n": done},
            url,
            done,
            order=60,
        ),
        HomeTask(
            ngettext("%(n)d import en échec", "%(n)d imports en échec", failed) % {"n": failed},
            url,
            failed,
            order=15,
            urgent=True,
        ),
    ]
