"""Benchmarks of the foundation: subtree counts and the HR clerk's home page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matricule.core.benchmarking import Context, logged_in_client, operation, sql_floor
from matricule.core.models import Unit
from matricule.personnel.models import Officer


def _largest_regional_directorate() -> Unit:
    return Unit.objects.get(agency__code="PN", code="DR-BKO")


@operation("unit_subtree")
def unit_subtree(ctx: Context) -> tuple[Callable[[], Any], Callable[[], Any]]:
    unit = _largest_regional_directorate()

    def run() -> int:
        return Officer.objects.filter(unit_id__in=unit.subtree_ids()).count()

    floor = sql_floor(
        "SELECT COUNT(*) FROM personnel_officer WHERE unit_id IN "
        "(SELECT id FROM core_unit WHERE path >= %s AND path < %s)",
        [unit.path, unit.path + ":"],
    )
    return run, floor


@operation("login_home")
def login_home(ctx: Context) -> tuple[Callable[[], Any], Callable[[], Any]]:
    client = logged_in_client("rh.bamako")
    unit = _largest_regional_directorate()

    def run() -> None:
        response = client.get("/")
        assert response.status_code == 200, response.status_code

    floor = sql_floor(
        "SELECT COUNT(*), SUM(CASE WHEN status IN ('active','leave','suspended','seconded',"
        "'deployed','training') THEN 1 ELSE 0 END), SUM(CASE WHEN sex = 'F' AND status IN "
        "('active','leave','suspended','seconded','deployed','training') THEN 1 ELSE 0 END) "
        "FROM personnel_officer WHERE agency_id = %s AND unit_id IN "
        "(SELECT id FROM core_unit WHERE path >= %s AND path < %s)",
        [unit.agency_id, unit.path, unit.path + ":"],
    )
    return run, floor
