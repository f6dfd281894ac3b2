"""Benchmarks of the officer record (issue: personnel record at 100,000 officers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matricule.core.benchmarking import Context, logged_in_client, operation, sql_floor
from matricule.core.models import Grade, Unit
from matricule.personnel.importing import benchmarks as _registers_import_rows  # noqa: F401
from matricule.personnel.models import Officer

Pair = tuple[Callable[[], Any], Callable[[], Any]]


def _ok(client: Any, url: str) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


@operation("officer_list")
def officer_list(ctx: Context) -> Pair:
    """50 rows, unit subtree + grade filter, sorted by name (HR clerk of Bamako)."""
    client = logged_in_client("rh.bamako")
    unit = Unit.objects.get(agency__code="PN", code="DR-BKO")
    grade = Grade.objects.filter(
        code="SGC", statute__agency__code="PN", statute__effective_to__isnull=True
    ).get()
    floor = sql_floor(
        "SELECT o.matricule, o.family_name, o.given_names, g.name, u.name, o.status, "
        "o.entry_date FROM personnel_officer o JOIN core_grade g ON g.id = o.grade_id "
        "JOIN core_unit u ON u.id = o.unit_id WHERE o.grade_id = %s AND o.unit_id IN "
        "(SELECT id FROM core_unit WHERE path LIKE %s) "
        "ORDER BY o.family_name, o.given_names, o.id LIMIT 50",
        [grade.pk, unit.path + "%"],
    )
    return _ok(client, f"/agents/?unit=DR-BKO&grade={grade.code}&sort=name"), floor


@operation("officer_search")
def officer_search(ctx: Context) -> Pair:
    """Partial, accent-insensitive name search: 'maiga' finds Maïga."""
    client = logged_in_client("rh.bamako")
    unit = Unit.objects.get(agency__code="PN", code="DR-BKO")
    floor = sql_floor(
        "SELECT o.matricule, o.family_name, o.given_names FROM personnel_officer o "
        "WHERE (o.search_name LIKE %s OR o.search_name LIKE %s) AND o.unit_id IN "
        "(SELECT id FROM core_unit WHERE path LIKE %s) "
        "ORDER BY o.family_name, o.given_names, o.id LIMIT 50",
        ["maiga%", "% maiga%", unit.path + "%"],
    )
    return _ok(client, "/agents/?q=maiga"), floor


def _busy_officer() -> Officer:
    """An officer of the clerk's scope with one of the longest careers."""
    unit = Unit.objects.get(agency__code="PN", code="DR-BKO")
    return Officer.objects.filter(unit_id__in=unit.subtree_ids()).order_by("entry_date", "id")[0]


@operation("officer_profile")
def officer_profile(ctx: Context) -> Pair:
    client = logged_in_client("rh.bamako")
    officer = _busy_officer()
    floor = sql_floor(
        "SELECT e.*, u.name, g.name FROM personnel_careerevent e "
        "LEFT JOIN core_unit u ON u.id = e.unit_id LEFT JOIN core_grade g ON g.id = e.grade_id "
        "WHERE e.officer_id = %s AND e.is_superseded = %s ORDER BY e.effective_date, e.id",
        [officer.pk, False],
    )
    return _ok(client, f"/agents/{officer.matricule}/carriere/"), floor


@operation("officer_as_of")
def officer_as_of(ctx: Context) -> Pair:
    client = logged_in_client("rh.bamako")
    officer = _busy_officer()
    floor = sql_floor(
        "SELECT e.*, u.name, g.name FROM personnel_careerevent e "
        "LEFT JOIN core_unit u ON u.id = e.unit_id LEFT JOIN core_grade g ON g.id = e.grade_id "
        "WHERE e.officer_id = %s AND e.is_superseded = %s AND e.effective_date <= %s "
        "ORDER BY e.effective_date, e.id",
        [officer.pk, False, "2019-06-30"],
    )
    return _ok(client, f"/agents/{officer.matricule}/carriere/?as_of=2019-06-30"), floor


@operation("officer_export", repeat=5)
def officer_export(ctx: Context) -> Pair:
    """The officer list's XLSX export, every column, for a unit of about 20,000 officers
    (scaled with the dataset: 20 % of the force), as the HR director."""
    from django.db.models import Count

    client = logged_in_client("drh.pn")
    target = ctx.officers // 5
    counts = (
        Officer.objects.values("unit__path")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit__path", "n")
    )
    per_root: dict[str, int] = {}
    for path, n in counts:
        for depth in (1, 2):
            prefix = "/".join(path.split("/")[:depth]) + "/"
            per_root[prefix] = per_root.get(prefix, 0) + n
    best = min(per_root, key=lambda p: abs(per_root[p] - target))
    unit = Unit.objects.get(path=best)
    floor = sql_floor(
        "SELECT o.matricule, o.family_name, o.given_names, o.sex, o.birth_date, g.name, c.name, "
        "u.name, u.code, r.name, o.status, o.function, o.entry_date "
        "FROM personnel_officer o JOIN core_grade g ON g.id = o.grade_id "
        "JOIN core_corps c ON c.id = o.corps_id JOIN core_unit u ON u.id = o.unit_id "
        "LEFT JOIN core_region r ON r.id = u.region_id "
        "WHERE o.unit_id IN (SELECT id FROM core_unit WHERE path LIKE %s) "
        "ORDER BY o.family_name, o.given_names, o.id",
        [unit.path + "%"],
    )

    def run() -> None:
        response = client.get(f"/agents/export.xlsx?unit={unit.code}")
        assert response.status_code == 200, response.status_code
        assert len(response.content) > 1000

    return run, floor
