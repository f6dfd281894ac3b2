"""Benchmarks of the reports (issue 17), as the HR director of the PN (the whole force).

- report_headcount: grouped by region × grade, today (snapshot);
- report_headcount_as_of: the same five years ago, from the situation periods;
- report_age_pyramid: today, by 5-year band and sex;
- report_retirements: the next five years;
- report_dashboard: the /rapports/ page.
"""

# ruff: noqa: S608 -- the floors are SQL built from fixed fragments; every value is a parameter.
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from matricule.accounts.models import User
from matricule.core.benchmarking import Context, logged_in_client, operation, sql_floor
from matricule.core.dates import add_years
from matricule.personnel.models import IN_SERVICE_STATUSES
from matricule.reports.selectors.ages import age_pyramid, retirements_due
from matricule.reports.selectors.headcount import headcount
from matricule.reports.selectors.people import ReportFilters

Pair = tuple[Callable[[], Any], Callable[[], Any]]
DIRECTOR = "drh.pn"


def _director() -> User:
    return User.objects.get(username=DIRECTOR)


def _in(values: list[Any]) -> tuple[str, list[Any]]:
    return ", ".join(["%s"] * len(values)), list(values)


def _run(fn: Callable[[User], Any]) -> Callable[[], Any]:
    viewer = _director()

    def run() -> Any:
        viewer.__dict__.pop("active_grants", None)  # a new request loads its grants again
        return fn(viewer)

    return run


@operation("report_headcount")
def report_headcount(ctx: Context) -> Pair:
    serving, params = _in(list(IN_SERVICE_STATUSES))
    floor = sql_floor(
        "SELECT u.region_id, o.grade_id, COUNT(*) FROM personnel_officer o "
        "JOIN core_unit u ON u.id = o.unit_id WHERE o.agency_id = %s AND o.status IN ("
        + serving
        + ") GROUP BY u.region_id, o.grade_id",
        [_director().grants_with("personnel.view")[0].agency_id, *params],
    )
    return _run(
        lambda v: headcount(viewer=v, filters=ReportFilters(), group_by=["region", "grade"])
    ), floor


@operation("report_headcount_as_of", repeat=10)
def report_headcount_as_of(ctx: Context) -> Pair:
    # The floor reads what the report reads: the situation period of each officer holding on
    # the date (check_periods proves them equal to the career events).
    on = add_years(timezone.localdate(), -5)
    serving, params = _in(list(IN_SERVICE_STATUSES))
    agency = _director().grants_with("personnel.view")[0].agency_id
    floor = sql_floor(
        "SELECT p.unit_id, p.grade_id, o.sex, p.status = 'seconded', COUNT(*) "
        "FROM personnel_officer o JOIN personnel_situationperiod p ON p.officer_id = o.id "
        "WHERE o.agency_id = %s AND p.valid_from <= %s AND (p.valid_to IS NULL OR "
        "p.valid_to > %s) AND p.status IN (" + serving + ") GROUP BY 1, 2, 3, 4",
        [agency, on, on, *params],
    )
    return _run(
        lambda v: headcount(viewer=v, filters=ReportFilters(as_of=on), group_by=["region", "grade"])
    ), floor


@operation("report_age_pyramid")
def report_age_pyramid(ctx: Context) -> Pair:
    today = timezone.localdate()
    serving, params = _in(list(IN_SERVICE_STATUSES))
    cases = " ".join(
        f"WHEN o.birth_date <= %s THEN {a}" for a in (65, 60, 55, 50, 45, 40, 35, 30, 25, 20)
    )
    bounds = [add_years(today, -a) for a in (65, 60, 55, 50, 45, 40, 35, 30, 25, 20)]
    agency = _director().grants_with("personnel.view")[0].agency_id
    floor = sql_floor(
        f"SELECT CASE {cases} ELSE 0 END AS band, o.sex, o.grade_id, COUNT(*) "
        "FROM personnel_officer o WHERE o.agency_id = %s AND o.status IN ("
        + serving
        + ") GROUP BY band, o.sex, o.grade_id",
        [*bounds, agency, *params],
    )
    return _run(lambda v: age_pyramid(viewer=v, filters=ReportFilters())), floor


@operation("report_retirements")
def report_retirements(ctx: Context) -> Pair:
    from matricule.core.refcache import refdata

    today = timezone.localdate()
    serving, params = _in(list(IN_SERVICE_STATUSES))
    agency = _director().grants_with("personnel.view")[0].agency_id
    ors = " OR ".join("(o.corps_id = %s AND o.birth_date < %s)" for _c in refdata().corps)
    end = today.replace(year=today.year + 5, month=1, day=1)
    values: list[Any] = []
    for corps in refdata().corps:
        values += [corps.pk, add_years(end, -corps.retirement_age)]
    floor = sql_floor(
        "SELECT o.birth_date, o.corps_id, o.grade_id, o.unit_id FROM personnel_officer o "
        "WHERE o.agency_id = %s AND o.status IN (" + serving + f") AND ({ors})",
        [agency, *params, *values],
    )
    return _run(lambda v: retirements_due(viewer=v, filters=ReportFilters(), years=5)), floor


@operation("report_dashboard", repeat=10)
def report_dashboard(ctx: Context) -> Pair:
    client = logged_in_client(DIRECTOR)
    serving, params = _in(list(IN_SERVICE_STATUSES))
    agency = _director().grants_with("personnel.view")[0].agency_id
    floor = sql_floor(
        "SELECT o.unit_id, o.grade_id, o.sex, o.birth_date, COUNT(*) FROM personnel_officer o "
        "WHERE o.agency_id = %s AND o.status IN (" + serving + ") "
        "GROUP BY o.unit_id, o.grade_id, o.sex, o.birth_date",
        [agency, *params],
    )

    def run() -> None:
        response = client.get("/rapports/")
        assert response.status_code == 200, response.status_code

    return run, floor
