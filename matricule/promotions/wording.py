"""French wording of durations, marks and verdicts (pure functions)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matricule.core.dates import add_months


@lru_cache(maxsize=65536)
def years_months(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Completed years and months from `start` to `end` (calendar arithmetic).

    Cached: a run asks it for the same few thousand dates (grade and entry dates shared by
    whole intakes) against one reference date."""
    if end < start:
        return 0, 0
    total = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, total) > end:
        total -= 1
    return divmod(total, 12)


def duration(years: int, months: int = 0) -> str:
    """'4 ans et 3 mois', '1 an', '7 mois'."""
    y = ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    m = ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    if years and months:
        return _("%(years)s et %(months)s") % {"years": y, "months": m}
    return m if months and not years else y


def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """A French decimal: 14,50."""
    if value is None:
        return "—"
    text = f"{Decimal(value):.{places}f}"
    if places and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def verdict(met: bool) -> str:
    return _("rempli") if met else _("non rempli")


def day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def group_ordinal(group: int) -> str:
    return _("1er groupe") if group == 1 else _("%(n)de groupe") % {"n": group}


class Words:
    """The run's phrases, translated once: a run says the same few things 100,000 times.

    Created where the language is settled (one run, one request); each message and each
    duration is translated on first use and then read from a dict. With `also`, each
    criterion is phrased a second time in those languages when it is first built (a run
    freezes its sentences in French and English, so an English screen reads them too).
    """

    def __init__(self, also: tuple[str, ...] = ()) -> None:
        self.also = also
        self._memo: dict[str, str] = {}
        self._durations: dict[tuple[int, int], str] = {}
        self._criteria: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._components: dict[tuple[Any, ...], tuple[Decimal, dict[str, Any]]] = {}
        self._spoken: dict[str, tuple[dict[str, str], dict[tuple[int, int], str]]] = {}
        # id() of a criterion dict -> the same criterion in each language of `also`.
        self.translations: dict[int, dict[str, dict[str, Any]]] = {}
        self.met = _("rempli")
        self.not_met = _("non rempli")

    def __call__(self, message: str) -> str:
        found = self._memo.get(message)
        if found is None:
            found = self._memo[message] = _(message)
        return found

    @contextmanager
    def speaking(self, language: str) -> Iterator[None]:
        """Phrase in `language` for a while (its own memo), then back."""
        saved = (self._memo, self._durations, self.met, self.not_met)
        memo, durations = self._spoken.setdefault(language, ({}, {}))
        with translation.override(language):
            self._memo, self._durations = memo, durations
            self.met, self.not_met = _("rempli"), _("non rempli")
            try:
                yield
            finally:
                self._memo, self._durations, self.met, self.not_met = saved

    def criterion(
        self, key: tuple[Any, ...], build: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """The criterion phrased for these facts: built on first use, then the same dict."""
        found = self._criteria.get(key)
        if found is None:
            found = self._criteria[key] = build()
            if self.also:
                others = {}
                for language in self.also:
                    with self.speaking(language):
                        others[language] = build()
                self.translations[id(found)] = others
        return found

    def component(
        self, key: tuple[Any, ...], build: Callable[[], tuple[Decimal, dict[str, Any]]]
    ) -> tuple[Decimal, dict[str, Any]]:
        """A component's points and its dict for these values, built once (no words in it)."""
        found = self._components.get(key)
        if found is None:
            found = self._components[key] = build()
        return found

    def verdict(self, met: bool) -> str:
        return self.met if met else self.not_met

    def duration(self, years: int, months: int = 0) -> str:
        key = (years, months)
        found = self._durations.get(key)
        if found is None:
            found = self._durations[key] = duration(years, months)
        return found

    def group_ordinal(self, group: int) -> str:
        return self("1er groupe") if group == 1 else self("%(n)de groupe") % {"n": group}
