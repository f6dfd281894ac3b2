"""Extension points of the personnel record, filled by the apps above it in `ready()`.

- `exit_handlers`: run inside the transaction that records an exit from the service
  (cards revoke the ID card, accounts close the officer's login). They run for a new
  exit and again for a *corrected* exit (another date or reason), so each handler must
  be idempotent: it brings the officer's objects to the state an exit requires and does
  nothing when they are already there. A handler that raises rolls the exit back.
- `profile_tabs`: the tabs of an officer's record, in `order`.
- `skill_conditions`: how the officer search filters on skills ("holds skill S at level L,
  valid on day D"); skills belong to the training app, which registers the condition.
- `school_cohorts`: the school promotion each officer of an agency came out of
  ("12e promotion « … »"), for those recruited through Matricule; recruitment registers it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from matricule.core.hooks import HookList

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from matricule.accounts.models import User
    from matricule.personnel.models import CareerEvent, Officer


@dataclass(frozen=True)
class ExitContext:
    officer: Officer
    event: CareerEvent
    by: User | None
    # True when the exit corrects an earlier exit event (the officer had already left).
    corrected: bool


ExitHandler = Callable[[ExitContext], None]


@dataclass(frozen=True)
class ProfileTab:
    slug: str
    label: StrOrPromise
    url_name: str  # reversed with the officer's matricule as its only argument
    order: int
    # Given the viewer's permissions over the officer: is the tab shown?
    visible: Callable[[set[str]], bool] = lambda perms: True
    # Tabs that can show the record "as on a date" keep ?as_of= in their link.
    keeps_as_of: bool = False


# (skill id, minimum level, day) -> a condition on Officer rows.
SkillCondition = Callable[[int, int, datetime.date], Q | Any]

# agency id -> {officer id: the school promotion's name}, in a fixed number of queries.
SchoolCohorts = Callable[[int], dict[int, str]]

exit_handlers: HookList[ExitHandler] = HookList("personnel.exit_handlers")
profile_tabs: HookList[ProfileTab] = HookList("personnel.profile_tabs")
skill_conditions: HookList[SkillCondition] = HookList("personnel.skill_conditions")
school_cohorts: HookList[SchoolCohorts] = HookList("personnel.school_cohorts")
