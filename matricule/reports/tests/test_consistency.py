"""On the demo force: the headcount on several dates equals the records replayed on those
dates, and today it equals what the officer list and the API count with the same filters."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from matricule.core.dates import add_years
from matricule.core.models import Unit
from matricule.personnel.models import IN_SERVICE_STATUSES, CareerEvent, Officer, Status
from matricule.reports.selectors.people import HOST, ReportFilters, people_on

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(mali: Any) -> None:
    from matricule.personnel.demo import seed_demo

    seed_demo(officers=150, seed=11, today=timezone.localdate())


def _replayed(on: datetime.date, count_at: str) -> Counter[str]:
    from matricule.personnel.career import replay

    events: dict[int, list[CareerEvent]] = {}
    for ev in CareerEvent.objects.filter(is_superseded=False, effective_date__lte=on):
        events.setdefault(ev.officer_id, []).append(ev)
    codes = dict(Unit.objects.values_list("id", "code"))
    counts: Counter[str] = Counter()
    for rows in events.values():
        state = replay(rows, on=on)
        if state is None or state.status not in IN_SERVICE_STATUSES:
            continue
        unit = state.unit_id
        if count_at == HOST and state.status == Status.SECONDED and state.host_unit_id:
            unit = state.host_unit_id
        counts[codes[unit]] += 1
    return counts


def _reported(viewer: Any, on: datetime.date, count_at: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in people_on(viewer=viewer, filters=ReportFilters(as_of=on, count_at=count_at)):
        counts[row.unit.code] += row.n
    return counts


def test_headcount_equals_the_replayed_records_on_several_dates(demo, make_user):
    director = make_user("hr_director", username="drh-demo")
    inspector_ocs = make_user(None, username="ocs-demo")
    from matricule.accounts.models import RoleGrant
    from matricule.core.models import Agency

    for agency in Agency.objects.exclude(code="PN"):
        RoleGrant.objects.create(user=inspector_ocs, role="inspector", agency=agency)
    RoleGrant.objects.create(
        user=inspector_ocs, role="inspector", agency=Agency.objects.get(code="PN")
    )
    today = timezone.localdate()
    assert Officer.objects.count() >= 150
    for on in (
        add_years(today, -15),
        add_years(today, -5),
        datetime.date(2019, 12, 31),
        add_years(today, -1),
        today,
    ):
        assert _reported(director, on, "home") == _replayed(on, "home"), on
        # Seen from every agency, hosts included, counting at the host unit.
        assert _reported(inspector_ocs, on, HOST) == _replayed(on, HOST), on


@pytest.mark.parametrize("params", ["", "unit=DR-BKO", "sex=F", "region=KAY", "corps=SO"])
def test_today_equals_the_officer_list_and_the_api(demo, make_user, client, params):
    from matricule.personnel.filters import filters_from_params
    from matricule.personnel.selectors import officer_list
    from matricule.reports.filters import report_filters
    from matricule.reports.selectors.headcount import headcount

    director = make_user("hr_director", username="drh")
    query = dict(p.split("=") for p in params.split("&") if p)
    officer_filters, errors = filters_from_params(query, viewer=director)
    if errors:
        pytest.skip(f"filtre absent du jeu de démonstration : {errors}")
    listed = (
        officer_list(viewer=director, filters=officer_filters)
        .filter(status__in=IN_SERVICE_STATUSES, entry_date__lte=timezone.localdate())
        .count()
    )
    filters, _errors = report_filters(query, viewer=director)
    out = io.StringIO()
    call_command("issue_token", "drh", stdout=out, stderr=io.StringIO())
    token = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip().splitlines()[-1]}"}
    via_api = sum(
        client.get(f"/api/v1/officers?{params}&status={s}&limit=1", **token).json()["count"]
        for s in IN_SERVICE_STATUSES
    )
    reported = client.get("/api/v1/reports/headcount?" + params, **token).json()["count"]
    assert headcount(viewer=director, filters=filters, group_by=[]).total == listed
    assert listed == via_api == reported


def test_the_monthly_series_equals_the_replayed_records_on_each_day(demo, make_user):
    from matricule.reports.selectors.headcount import monthly_change

    director = make_user("hr_director", username="drh-demo")
    for as_of in (timezone.localdate(), add_years(timezone.localdate(), -3)):
        series = monthly_change(viewer=director, filters=ReportFilters(as_of=as_of))
        assert [n for _day, n in series] == [
            sum(_replayed(day, "home").values()) for day, _n in series
        ]
