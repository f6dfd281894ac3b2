"""Dates as legacy systems write them: which order (day or month first), which century.

- **Order.** Each date column is read in one order: the one the clerk gives for the
  column, else for the file, else the one its values prove (a first part above 12 proves
  day-first, a second part above 12 month-first), else the one the file's other date
  columns prove. When nothing settles it and the column holds ambiguous values
  (03/04/1960), the import stops at the header and asks: day and month are never
  swapped silently.
- **Two-digit years** are settled against the row's other dates (born at least 16 years
  before entering the service and at most 70; nothing in the future), the most recent
  century that fits winning; a fixed pivot alone would read a birth in '15 as 2015.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from matricule.core.dates import add_years
from matricule.personnel.importing.cells import (
    DMY,
    MDY,
    ORDER_LABELS,
    Day,
    cell_text,
    is_ambiguous,
    order_evidence,
)
from matricule.personnel.importing.report import ERROR, INFO, Problem

MIN_ENTRY_AGE = 16
MAX_ENTRY_AGE = 70


@dataclass
class OrderEvidence:
    """What the values of each date column prove about its order, gathered while reading."""

    fields: set[str]
    proofs: dict[str, Counter[str]] = field(default_factory=dict)
    ambiguous: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    def see(self, key: str, value: Any) -> None:
        if key not in self.fields or not isinstance(value, str):
            return
        proof = order_evidence(value)
        if proof is not None:
            counter = self.proofs.setdefault(key, Counter())
            if not counter[proof]:
                self.examples[f"{key}:{proof}"] = cell_text(value)
            counter[proof] += 1
        elif is_ambiguous(value):
            if key not in self.ambiguous:
                self.examples[f"{key}:?"] = cell_text(value)
            self.ambiguous[key] = self.ambiguous.get(key, 0) + 1


@dataclass
class DateOptions:
    file_order: str = ""
    column_orders: dict[str, str] = field(default_factory=dict)  # field → order
    source_order: str = ""  # settled by the source's earlier imports


def date_columns_found(
    evidence: OrderEvidence, orders: dict[str, str], header: dict[str, str], undecided: set[str]
) -> list[dict[str, Any]]:
    """The file's date columns as the mapping step offers them: the header, how many of its
    dates read both ways, and the order they were read in ('' when undecided)."""
    return [
        {
            "header": header[key],
            "ambiguous": evidence.ambiguous.get(key, 0),
            "order": "" if key in undecided else orders.get(key, ""),
        }
        for key in sorted(evidence.fields & set(header))
    ]


def settled_order(evidence: OrderEvidence, orders: dict[str, str]) -> str:
    """The order the file's ambiguous dates were read in ('' when none were ambiguous)."""
    used = {orders[k] for k in evidence.ambiguous if k in orders}
    proven = {o for c in evidence.proofs.values() for o, n in c.items() if n}
    found = used or proven
    return found.pop() if len(found) == 1 else ""


def _proven(counter: Counter[str] | None) -> str | None:
    if not counter:
        return None
    dmy, mdy = counter[DMY], counter[MDY]
    if dmy == mdy:
        return None
    return DMY if dmy > mdy else MDY


def orders_settle(
    evidence: OrderEvidence,
    options: DateOptions,
    *,
    header: dict[str, str],
    header_row: int,
) -> tuple[dict[str, str], list[Problem], set[str]]:
    """The order of each date field, the report's lines about it, and the fields whose
    order must be asked (the import cannot go on without it)."""
    total: Counter[str] = Counter()
    for counter in evidence.proofs.values():
        total.update(counter)
    file_proof = _proven(total)
    orders: dict[str, str] = {}
    problems: list[Problem] = []
    undecided: set[str] = set()
    for key in sorted(evidence.fields & set(header)):
        column = header[key]
        ambiguous = evidence.ambiguous.get(key, 0)
        if key in options.column_orders:
            orders[key] = options.column_orders[key]
            continue
        if options.file_order:
            orders[key] = options.file_order
            continue
        own = _proven(evidence.proofs.get(key))
        found = own or file_proof
        if found is None and ambiguous and options.source_order:
            orders[key] = options.source_order
            problems.append(
                Problem(
                    header_row,
                    column,
                    evidence.examples.get(f"{key}:?", ""),
                    _(
                        "Dates lues dans l'ordre %(order)s, celui des imports précédents du "
                        "même système d'origine (ex. « %(example)s »)."
                    )
                    % {
                        "order": ORDER_LABELS[options.source_order],
                        "example": evidence.examples.get(f"{key}:?", ""),
                    },
                    INFO,
                )
            )
            continue
        if found is None:
            if ambiguous:
                undecided.add(key)
                problems.append(
                    Problem(
                        header_row,
                        column,
                        evidence.examples.get(f"{key}:?", ""),
                        _(
                            "Ordre des dates impossible à déduire (%(count)d dates comme "
                            "« %(example)s » peuvent se lire jour/mois ou mois/jour) : précisez "
                            "l'ordre des dates du fichier (jj/mm/aaaa ou mm/jj/aaaa)."
                        )
                        % {
                            "count": ambiguous,
                            "example": evidence.examples.get(f"{key}:?", ""),
                        },
                        ERROR,
                    )
                )
            orders[key] = DMY
            continue
        orders[key] = found
        mixed = evidence.proofs.get(key, Counter())
        if mixed[DMY] and mixed[MDY]:
            problems.append(
                Problem(
                    header_row,
                    column,
                    "",
                    _(
                        "Cette colonne mélange des dates jour/mois et mois/jour : elle est lue "
                        "dans l'ordre %(order)s (le plus fréquent) ; les dates qui ne s'y "
                        "lisent pas sont signalées ligne par ligne."
                    )
                    % {"order": ORDER_LABELS[found]},
                    INFO,
                )
            )
        elif ambiguous or found == MDY:
            example = evidence.examples.get(f"{key}:{found}") or evidence.examples.get(
                next(
                    (
                        f"{k}:{found}"
                        for k in evidence.proofs
                        if f"{k}:{found}" in evidence.examples
                    ),
                    "",
                ),
                "",
            )
            problems.append(
                Problem(
                    header_row,
                    column,
                    example,
                    _(
                        "Dates lues dans l'ordre %(order)s, déduit des valeurs du fichier "
                        "(ex. « %(example)s »)."
                    )
                    % {"order": ORDER_LABELS[found], "example": example},
                    INFO,
                )
            )
    return orders, problems, undecided


def _fits(dates: dict[str, datetime.date], today: datetime.date) -> bool:
    birth = dates.get("birth_date")
    entry = dates.get("entry_date")
    leave = dates.get("exit_date")
    if any(d > today for d in dates.values()):
        return False
    if birth is not None:
        if birth.year < 1900 or add_years(birth, MIN_ENTRY_AGE) > today:
            return False
        if entry is not None and not (
            add_years(birth, MIN_ENTRY_AGE) <= entry <= add_years(birth, MAX_ENTRY_AGE)
        ):
            return False
    return entry is None or leave is None or leave >= entry


def _with_year(day: datetime.date, year: int) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def resolve_two_digit_years(days: dict[str, Day], *, today: datetime.date) -> dict[str, str]:
    """Settle the century of the two-digit years of a row in place; the fields that
    cannot be settled, with the message for each."""
    open_keys = [k for k, d in days.items() if d.two_digit]
    if not open_keys:
        return {}
    fixed = {k: d.date for k, d in days.items() if not d.two_digit}
    choices = []
    for key in open_keys:
        yy = days[key].date.year % 100
        choices.append([_with_year(days[key].date, c + yy) for c in (2000, 1900)])
    best: tuple[datetime.date, ...] | None = None
    for combo in itertools.product(*choices):
        dates = {**fixed, **dict(zip(open_keys, combo, strict=True))}
        if _fits(dates, today) and (best is None or combo > best):
            best = combo
    if best is None:
        message = _(
            "Année à deux chiffres impossible à situer d'après les autres dates de la "
            "ligne : écrivez l'année en entier (ex. 1958)."
        )
        return dict.fromkeys(open_keys, message)
    for key, value in zip(open_keys, best, strict=True):
        old = days[key]
        days[key] = Day(value, approximate=old.approximate)
    return {}
