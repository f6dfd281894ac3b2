"""The badge office's lines on the home page (accounts.hooks.home_tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import ngettext

from matricule.accounts.hooks import HomeTask
from matricule.accounts.roles import Perm
from matricule.cards.models import CardStatus
from matricule.cards.selectors import card_status_counts

if TYPE_CHECKING:
    from matricule.accounts.models import User


def card_tasks(viewer: User) -> list[HomeTask]:
    if not viewer.has_perm_anywhere(Perm.CARDS_MANAGE):
        return []
    counts = card_status_counts(viewer=viewer)
    to_print = counts.get(CardStatus.REQUESTED, 0)
    to_hand = counts.get(CardStatus.PRINTED, 0)
    return [
        HomeTask(
            ngettext("%(n)d carte à imprimer", "%(n)d cartes à imprimer", to_print)
            % {"n": to_print},
            reverse("cards:batch_print"),
            to_print,
            order=20,
        ),
        HomeTask(
            ngettext(
                "%(n)d carte imprimée à remettre au titulaire",
                "%(n)d cartes imprimées à remettre aux titulaires",
                to_hand,
            )
            % {"n": to_hand},
            f"{reverse('cards:card_list')}?status={CardStatus.PRINTED}",
            to_hand,
            order=30,
        ),
    ]
