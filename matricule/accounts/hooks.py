"""Extension points of the signed-in user's home page, filled by the apps in `ready()`.

- `home_tasks`: "what you must do today". Each provider takes the viewer and returns the
  items it owns (corrections to process, cards to print, sessions to close, evaluations
  to rate…), already filtered by the viewer's scopes, or nothing when the viewer has no
  permission for them. A provider costs at most a couple of counting queries: the home
  page calls every one of them on each visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matricule.core.hooks import HookList

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from matricule.accounts.models import User


@dataclass(frozen=True)
class HomeTask:
    """One line of the home page's to-do list."""

    label: StrOrPromise  # says the number: "3 demandes de correction à traiter"
    url: str
    count: int
    # Lower comes first; urgent work (a deadline passed) uses < 50.
    order: int = 100
    urgent: bool = False


HomeTaskProvider = Callable[["User"], list[HomeTask]]

home_tasks: HookList[HomeTaskProvider] = HookList("accounts.home_tasks")


def tasks_for(viewer: User) -> list[HomeTask]:
    """Every provider's items with something to do, in order."""
    items = [task for provider in home_tasks for task in provider(viewer) if task.count > 0]
    return sorted(items, key=lambda t: (t.order, str(t.label)))
