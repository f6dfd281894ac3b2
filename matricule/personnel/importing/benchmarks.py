"""Benchmark of file imports: checking rows, the part whose speed depends on the file's size.

`import_rows` reads and checks a CSV of 2,000 rows as a dry run does (half of them
officers already on file, half new recruits) and reports milliseconds per row; the
target is 0.5 ms (2,000 rows per second). Nothing is written.

Its floor is the raw parse of the same bytes by the csv module: checking cannot be
faster than reading, and there is no SQL to hand-write for a validation-only step
(the few lookups it makes are bulk reads, counted under `queries`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from matricule.core.benchmarking import Context, operation
from matricule.core.models import Agency, Unit
from matricule.personnel import demo_names as names
from matricule.personnel.importing.planning import import_check
from matricule.personnel.models import Officer

ROWS = 2000
HEADER = [
    "Matricule",
    "NINA",
    "Nom",
    "Prénom(s)",
    "Sexe",
    "Date de naissance",
    "Lieu de naissance",
    "Grade",
    "Unité",
    "Date d'entrée",
    "Téléphone",
]


def bench_csv(agency: Agency, rows: int = ROWS) -> bytes:
    """A realistic file: existing officers as a registry would export them, then recruits."""
    lines = [HEADER]
    existing = (
        Officer.objects.filter(agency=agency)
        .select_related("grade", "unit")
        .order_by("id")[: rows // 2]
    )
    for o in existing:
        lines.append(
            [
                o.matricule,
                o.nina or "",
                o.family_name,
                o.given_names,
                o.sex,
                f"{o.birth_date:%d/%m/%Y}",
                o.birth_place,
                o.grade.name,
                o.unit.code,
                f"{o.entry_date:%d/%m/%Y}",
                o.phone,
            ]
        )
    units = list(
        Unit.objects.filter(agency=agency, is_active=True)
        .order_by("path")
        .values_list("code", flat=True)
    )
    grades = ["Gardien de la paix", "GPP", "Sergent"]
    places = [p for group in names.BIRTH_PLACES.values() for p in group]
    taken = set(
        Officer.objects.filter(agency=agency, nina__startswith="8").values_list("nina", flat=True)
    )
    n = 0
    while len(lines) <= rows:
        if f"{80000000000000 + n:014d}K" in taken:  # a recruit of an earlier run
            n += 1
            continue
        family = names.FAMILY_NAMES[n % len(names.FAMILY_NAMES)][0]
        female = n % 6 == 0
        given_pool = names.FEMALE_GIVEN_NAMES if female else names.MALE_GIVEN_NAMES
        lines.append(
            [
                "",
                f"{80000000000000 + n:014d}K",
                family,
                given_pool[n % len(given_pool)][0],
                "F" if female else "M",
                f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1996 + n % 6}",
                places[n % len(places)],
                grades[n % len(grades)],
                units[n % len(units)],
                f"01/{1 + n % 12:02d}/2024",
                f"+223 7{n % 10} {n % 100:02d} 12 34",
            ]
        )
        n += 1
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8-sig")


@operation("import_rows", items_per_run=ROWS, repeat=10)
def import_rows(ctx: Context) -> tuple[Callable[[], Any], Callable[[], Any]]:
    agency = Agency.objects.get(code="PN")
    data = bench_csv(agency)

    def run() -> int:
        plan = import_check(agency=agency, data=data, filename="bench.csv", mapping={}, by=None)
        assert len(plan.rows) == ROWS, len(plan.rows)
        return len(plan.rows)

    def floor() -> int:
        return len(list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")))

    return run, floor
