"""Benchmarks of the foundation: subtree counts and the HR clerk's home page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from matricule.accounts.models import User
from matricule.core.benchmarking import Context, operation
from matricule.core.models import Unit
from matricule.personnel.models import Officer


def _sql(query: str, params: list[Any]) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    return run


def _largest_regional_directorate() -> Unit:
    return Unit.objects.get(agency__code="PN", code="DR-BKO")


@operation("unit_subtree")
def unit_subtree(ctx: Context) -> tuple[Callable[[], Any], Callable[[], Any]]:
    unit = _largest_regional_directorate()

    def run() -> int:
        return Officer.objects.filter(unit_id__in=unit.subtree_ids()).count()

    floor = _sql(
        "SELECT COUNT(*) FROM personnel_officer WHERE unit_id IN "
        "(SELECT id FROM core_unit WHERE path >= %s AND path < %s)",
        [unit.path, unit.path + ":"],
    )
    return run, floor


def logged_in_client(username: str) -> Client:
    """A test client signed in as `username`, second factor included, as in production."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@operation("login_home")
def login_home(ctx: Context) -> tuple[Callable[[], Any], Callable[[], Any]]:
    client = logged_in_client("rh.bamako")
    unit = _largest_regional_directorate()

    def run() -> None:
        response = client.get("/")
        assert response.status_code == 200, response.status_code

    floor = _sql(
        "SELECT COUNT(*), SUM(CASE WHEN status IN ('active','leave','suspended','seconded',"
        "'deployed','training') THEN 1 ELSE 0 END), SUM(CASE WHEN sex = 'F' AND status IN "
        "('active','leave','suspended','seconded','deployed','training') THEN 1 ELSE 0 END) "
        "FROM personnel_officer WHERE agency_id = %s AND unit_id IN "
        "(SELECT id FROM core_unit WHERE path >= %s AND path < %s)",
        [unit.agency_id, unit.path, unit.path + ":"],
    )
    return run, floor
