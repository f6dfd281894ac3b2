"""Promotion work on the home page (accounts.hooks.home_tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.promotions.models import AppealStatus, Campaign, CampaignStatus

if TYPE_CHECKING:
    from matricule.accounts.models import User


def promotion_tasks(viewer: User) -> list[HomeTask]:
    """Boards sitting that the viewer belongs to, and appeals waiting in them."""
    boards = Campaign.objects.filter(
        status=CampaignStatus.BOARD, board__members__user=viewer
    ).count()
    tasks = []
    if boards:
        tasks.append(
            HomeTask(
                ngettext(
                    "%(n)d commission d'avancement en séance",
                    "%(n)d commissions d'avancement en séance",
                    boards,
                )
                % {"n": boards},
                reverse("promotions:campaign_list"),
                boards,
                order=45,
            )
        )
    appeals = Campaign.objects.filter(
        board__members__user=viewer, appeals__status=AppealStatus.PENDING
    ).count()
    if appeals:
        tasks.append(
            HomeTask(
                ngettext("%(n)d recours à examiner", "%(n)d recours à examiner", appeals)
                % {"n": appeals},
                reverse("promotions:campaign_list"),
                appeals,
                order=46,
            )
        )
    return tasks
