"""The personnel app's lines on the home page (accounts.hooks.home_tasks)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import officer_scope_q
from matricule.personnel.models import IN_SERVICE_STATUSES, ImportJob, Officer

# An expiring secondment is announced this many days ahead (renewal or return to prepare).
SECONDMENT_NOTICE_DAYS = 90

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


def secondment_tasks(viewer: User) -> list[HomeTask]:
    """Secondments in the viewer's scope that end within the notice period (or are overdue,
    neither renewed nor ended): one count."""
    if not viewer.has_perm_anywhere(Perm.PERSONNEL_EDIT):
        return []
    today = timezone.localdate()
    count = (
        Officer.objects.filter(officer_scope_q(viewer, Perm.PERSONNEL_EDIT))
        .filter(
            secondment_end__lte=today + datetime.timedelta(days=SECONDMENT_NOTICE_DAYS),
            status__in=IN_SERVICE_STATUSES,
        )
        .count()
    )
    url = reverse("personnel:officer_list") + f"?secondment_ends={SECONDMENT_NOTICE_DAYS}"
    return [
        HomeTask(
            ngettext(
                "%(n)d détachement prend fin dans les 90 jours : renouvellement ou retour",
                "%(n)d détachements prennent fin dans les 90 jours : renouvellement ou retour",
                count,
            )
            % {"n": count},
            url,
            count,
            order=40,
        )
    ]
