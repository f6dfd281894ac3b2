"""The training office's lines on the home page (accounts.hooks.home_tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.training.models import SessionStatus, TrainingSession

if TYPE_CHECKING:
    from matricule.accounts.models import User


def training_tasks(viewer: User) -> list[HomeTask]:
    agencies = agency_ids_with(viewer, Perm.TRAINING_MANAGE)
    if not agencies:
        return []
    n = TrainingSession.objects.filter(
        agency_id__in=agencies,
        end_date__lt=timezone.localdate(),
        status__in=[SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.RUNNING],
    ).count()
    return [
        HomeTask(
            ngettext(
                "%(n)d session terminée à clôturer",
                "%(n)d sessions terminées à clôturer",
                n,
            )
            % {"n": n},
            reverse("training:session_list"),
            n,
            order=40,
        )
    ]
