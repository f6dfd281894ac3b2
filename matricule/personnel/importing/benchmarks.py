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


# --- Commits: import_commit and import_events_commit ------------------------------------
#
# Both import for real into the bench database (all or nothing, bounded batches, audit
# entries in bulk), end to end: the file is read and checked, then written. A reset after
# each run (outside the timing) removes what the run created, so every run starts from the
# same state. Their floor is a bulk INSERT of the same rows (officers, or career events)
# in one statement per 1,000 rows, then removed by the same reset.

COMMIT_OFFICERS = 20_000
COMMIT_EVENTS = 100_000
EVENTS_PER_OFFICER = 5
BENCH_SOURCE = "bench"


def _bench_user() -> Any:
    from matricule.accounts.models import User

    user, _created = User.objects.get_or_create(
        username="bench-import", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def commit_csv(agency: Agency, rows: int = COMMIT_OFFICERS) -> bytes:
    """New recruits of a legacy register: legacy ids, no matricule, ISO dates."""
    units = list(
        Unit.objects.filter(agency=agency, is_active=True)
        .order_by("path")
        .values_list("code", flat=True)
    )
    places = [p for group in names.BIRTH_PLACES.values() for p in group]
    lines = [
        [
            "ID agent",
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
            "Religion",
            "Observation",
        ]
    ]
    for n in range(rows):
        female = n % 6 == 0
        given_pool = names.FEMALE_GIVEN_NAMES if female else names.MALE_GIVEN_NAMES
        lines.append(
            [
                f"BENCH-{n:06d}",
                f"{70000000000000 + n:014d}K",
                names.FAMILY_NAMES[n % len(names.FAMILY_NAMES)][0],
                given_pool[n % len(given_pool)][0],
                "F" if female else "M",
                f"{1990 + n % 8}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                places[n % len(places)],
                "GP",
                units[n % len(units)],
                f"2024-{1 + n % 12:02d}-01",
                f"+223 7{n % 10} {n % 100:02d} 12 34",
                "—",
                "",
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8")


def _undo_fast(job_ids: list[int]) -> None:
    """Remove what bench imports created, with plain deletes (the bench's reset only)."""
    from django.db import transaction

    from matricule.personnel.models import (
        CareerEvent,
        ImportChange,
        ImportJob,
        LegacyIdentifier,
        NameWord,
        SituationPeriod,
    )

    if not job_ids:
        return
    with transaction.atomic():
        created = Officer.objects.filter(import_job_id__in=job_ids)
        NameWord.objects.filter(officer__in=created)._raw_delete(NameWord.objects.db)
        SituationPeriod.objects.filter(officer__in=created)._raw_delete(SituationPeriod.objects.db)
        LegacyIdentifier.objects.filter(import_job_id__in=job_ids)._raw_delete(
            LegacyIdentifier.objects.db
        )
        touched = list(
            CareerEvent.objects.filter(import_job_id__in=job_ids)
            .exclude(officer__import_job_id__in=job_ids)
            .values_list("officer_id", flat=True)
            .distinct()
        )
        CareerEvent.objects.filter(import_job_id__in=job_ids)._raw_delete(CareerEvent.objects.db)
        ImportChange.objects.filter(job_id__in=job_ids)._raw_delete(ImportChange.objects.db)
        created._raw_delete(Officer.objects.db)
        if touched:
            from matricule.personnel.importing.writing import snapshots_rebuild

            snapshots_rebuild(officer_ids=touched)
        ImportJob.objects.filter(pk__in=job_ids).update(report=[], values={})


def _concrete(instance: Any) -> tuple[list[str], list[Any]]:
    """The names and values of an unsaved instance's columns (its id left out)."""
    fields = [f for f in instance._meta.concrete_fields if not f.primary_key]
    return [f.name for f in fields], [getattr(instance, f.attname) for f in fields]


def _floor_insert(model: Any, fields: list[str], rows: list[list[Any]]) -> None:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join([f"({placeholders})"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608
                [v for row in chunk for v in row],
            )


@operation("import_commit", items_per_run=COMMIT_OFFICERS, repeat=3)
def import_commit(ctx: Context) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    import datetime

    from django.utils import timezone

    from matricule.core.models import Grade
    from matricule.personnel.importing.services import import_start
    from matricule.personnel.models import ImportJob

    agency = Agency.objects.get(code="PN")
    user = _bench_user()
    data = commit_csv(agency)
    jobs: list[int] = []
    # Leftovers of an interrupted bench run.
    _undo_fast(list(ImportJob.objects.filter(source=BENCH_SOURCE).values_list("id", flat=True)))

    def run() -> int:
        job = import_start(
            agency=agency,
            data=data,
            filename="bench-registre.csv",
            mode=ImportJob.Mode.ATOMIC,
            mapping={},
            by=user,
            source=BENCH_SOURCE,
            in_background=False,
        )
        jobs.append(job.pk)
        job.refresh_from_db()
        assert job.created_count == COMMIT_OFFICERS, (job.state, job.report[:3])
        return job.created_count

    grade = (
        Grade.objects.filter(statute__agency=agency, code="GP")
        .order_by("-statute__effective_from")
        .first()
    )
    unit = Unit.objects.filter(agency=agency, is_active=True).order_by("path").first()
    assert grade is not None and unit is not None
    template = Officer(
        agency=agency,
        family_name="Diarra",
        given_names="Awa",
        search_name="diarra awa",
        sex="F",
        birth_date=datetime.date(1990, 1, 1),
        birth_place="Kayes",
        nationality="",
        corps_id=grade.corps_id,
        grade=grade,
        unit=unit,
        entry_date=datetime.date(2024, 1, 1),
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    fields, values = _concrete(template)
    at = fields.index("matricule")
    floor_rows = [
        [*values[:at], f"FLOOR{n:07d}", *values[at + 1 :]] for n in range(COMMIT_OFFICERS)
    ]

    def floor() -> None:
        _floor_insert(Officer, fields, floor_rows)

    def reset() -> None:
        _undo_fast(jobs)
        jobs.clear()
        Officer.objects.filter(matricule__startswith="FLOOR")._raw_delete(Officer.objects.db)

    return run, floor, reset


def events_csv(agency: Agency, events: int = COMMIT_EVENTS) -> bytes:
    """Postings of officers on file (5 each, yearly after entry), as a legacy export."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    units = list(
        Unit.objects.filter(agency=agency, is_active=True)
        .order_by("path")
        .values_list("code", flat=True)
    )
    officers = list(
        Officer.objects.filter(
            agency=agency,
            exit_date__isnull=True,
            entry_date__lte=today - datetime.timedelta(days=366 * (EVENTS_PER_OFFICER + 1)),
        )
        .order_by("id")
        .values_list("matricule", "entry_date")[: events // EVENTS_PER_OFFICER]
    )
    lines = [["Matricule", "Affectation", "Date de début", "Date de fin"]]
    for index, (matricule, entry) in enumerate(officers):
        for k in range(EVENTS_PER_OFFICER):
            start = entry + datetime.timedelta(days=183 + 365 * k)
            end = start + datetime.timedelta(days=364)
            lines.append(
                [matricule, units[(index * 7 + k) % len(units)], start.isoformat(), end.isoformat()]
            )
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8")


@operation("import_events_commit", items_per_run=COMMIT_EVENTS, repeat=3)
def import_events_commit(
    ctx: Context,
) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    import datetime

    from django.utils import timezone

    from matricule.personnel.importing.services import import_start
    from matricule.personnel.models import CareerEvent, ImportJob

    agency = Agency.objects.get(code="PN")
    user = _bench_user()
    _undo_fast(list(ImportJob.objects.filter(source=BENCH_SOURCE).values_list("id", flat=True)))
    data = events_csv(agency)
    rows = data.count(b"\n") - 1
    jobs: list[int] = []

    def run() -> int:
        job = import_start(
            agency=agency,
            data=data,
            filename="bench-affectations.csv",
            mode=ImportJob.Mode.ATOMIC,
            mapping={},
            by=user,
            kind=ImportJob.Kind.POSTING,
            source=BENCH_SOURCE,
            in_background=False,
        )
        jobs.append(job.pk)
        job.refresh_from_db()
        assert job.created_count > 0.9 * rows, (job.state, job.created_count, job.report[:3])
        return job.created_count

    officer_ids = list(
        Officer.objects.filter(agency=agency).order_by("id").values_list("id", flat=True)[:20_000]
    )
    unit = Unit.objects.filter(agency=agency, is_active=True).order_by("path").first()
    assert unit is not None
    template = CareerEvent(
        officer_id=officer_ids[0],
        kind="posting",
        effective_date=datetime.date(2000, 1, 1),
        unit=unit,
        historical=True,
        source="bench-floor",
        created_at=timezone.now(),
    )
    fields, values = _concrete(template)
    at, day = fields.index("officer"), fields.index("effective_date")
    floor_rows = []
    for n in range(COMMIT_EVENTS):
        row = list(values)
        row[at] = officer_ids[n % len(officer_ids)]
        row[day] = datetime.date(2000, 1, 1) + datetime.timedelta(days=n % 7000)
        floor_rows.append(row)

    def floor() -> None:
        _floor_insert(CareerEvent, fields, floor_rows)

    def reset() -> None:
        _undo_fast(jobs)
        jobs.clear()
        CareerEvent.objects.filter(source="bench-floor")._raw_delete(CareerEvent.objects.db)

    return run, floor, reset
