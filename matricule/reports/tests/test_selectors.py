"""Every figure against the hand-built force, on dates before and after each event."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from matricule.reports.selectors.ages import age_pyramid, retirement_list, retirements_due
from matricule.reports.selectors.establishment import establishment_strength
from matricule.reports.selectors.headcount import headcount
from matricule.reports.selectors.people import HOST, ReportFilters
from matricule.reports.tests.conftest import EXITED, POSTED, SECONDED

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def units(viewer: Any, on: datetime.date, count_at: str = "home") -> dict[str, int]:
    result = headcount(
        viewer=viewer, filters=ReportFilters(as_of=on, count_at=count_at), group_by=["unit"]
    )
    return {i.keys["unit"].code: i.count for i in result.items}


def leaf_counts(viewer: Any, on: datetime.date, count_at: str = "home") -> dict[str, int]:
    from matricule.reports.selectors.people import people_on

    out: dict[str, int] = {}
    for row in people_on(viewer=viewer, filters=ReportFilters(as_of=on, count_at=count_at)):
        out[row.unit.code] = out.get(row.unit.code, 0) + row.n
    return out


def test_a_posting_moves_the_officer_on_its_date(force, cast):
    director = cast["director"]
    before = leaf_counts(director, POSTED - DAY)
    after = leaf_counts(director, POSTED)
    assert before == {"BKO-CA01": 2, "BKO-CA02": 1, "KAY-CC": 1}
    assert after == {"BKO-CA01": 1, "BKO-CA02": 1, "KAY-CC": 2}


def test_a_secondment_counts_home_or_host_as_chosen(force, cast):
    director = cast["director"]
    assert leaf_counts(director, SECONDED)["BKO-CA02"] == 1
    # Counted at the host unit, the officer leaves the PN director's figures (OCS is not his).
    assert "BKO-CA02" not in leaf_counts(director, SECONDED, HOST)
    assert leaf_counts(director, SECONDED - DAY, HOST)["BKO-CA02"] == 1
    result = headcount(viewer=director, filters=ReportFilters(as_of=SECONDED), group_by=[])
    assert (result.total, result.seconded) == (4, 1)


def test_an_exit_leaves_the_count_on_its_date(force, cast):
    director = cast["director"]
    assert sum(leaf_counts(director, EXITED - DAY).values()) == 4
    assert sum(leaf_counts(director, EXITED).values()) == 3
    assert sum(leaf_counts(director, datetime.date(2014, 12, 31)).values()) == 3
    assert sum(leaf_counts(director, datetime.date(2009, 12, 31)).values()) == 0


def test_a_bamako_clerk_counts_only_bamako(force, cast):
    clerk = cast["bamako_clerk"]
    assert leaf_counts(clerk, POSTED - DAY) == {"BKO-CA01": 2, "BKO-CA02": 1}
    assert leaf_counts(clerk, POSTED) == {"BKO-CA01": 1, "BKO-CA02": 1}
    assert leaf_counts(cast["kayes_clerk"], POSTED) == {"KAY-CC": 2}
    assert leaf_counts(cast["officer"], POSTED) == {}


def test_events_periods_and_snapshot_agree_today(force, cast):
    from matricule.reports.selectors.people import EVENTS, PERIODS, SNAPSHOT

    director = cast["director"]
    for group_by in (["region", "sex"], ["grade"], ["unit"]):
        found = [
            headcount(viewer=director, filters=ReportFilters(), group_by=group_by, source=source)
            for source in (SNAPSHOT, PERIODS, EVENTS)
        ]
        snap, periods, events = ([(i.keys, i.count) for i in r.items] for r in found)
        assert snap == periods == events
    assert found[0].total == 3


def test_headcount_by_region_and_sex(force, cast):
    result = headcount(
        viewer=cast["director"],
        filters=ReportFilters(as_of=POSTED - DAY),
        group_by=["region", "sex"],
    )
    got = {(i.keys["region"].code, i.keys["sex"].code): i.count for i in result.items}
    assert got == {("BKO", "M"): 2, ("BKO", "F"): 1, ("KAY", "M"): 1}


def test_filters_by_sex_region_and_unit(force, cast):
    from matricule.core.refcache import refdata

    director = cast["director"]
    kay = next(r for r in refdata().regions if r.code == "KAY")
    f = ReportFilters(as_of=POSTED, region_id=kay.pk)
    assert headcount(viewer=director, filters=f, group_by=[]).total == 2
    f = ReportFilters(as_of=POSTED, sex="F")
    assert headcount(viewer=director, filters=f, group_by=[]).total == 1
    unit = next(u for u in refdata().units if u.code == "DR-BKO")
    f = ReportFilters(as_of=POSTED, unit=unit)
    result = headcount(viewer=director, filters=f, group_by=["unit"])
    assert {i.keys["unit"].code: i.count for i in result.items} == {"BKO-CA01": 1, "BKO-CA02": 1}


def test_age_pyramid_by_sex(force, cast):
    on = datetime.date(2021, 1, 1)
    pyramid = age_pyramid(viewer=cast["director"], filters=ReportFilters(as_of=on))
    bands = {b.label: (b.men, b.women) for b in pyramid.bands if b.total}
    # Awa 28, Bakary 40, Cheick 45, Dramane 54 on 01/01/2021.
    assert bands == {"25–29": (0, 1), "40–44": (1, 0), "45–49": (1, 0), "50–54": (1, 0)}
    assert pyramid.total == 4


def test_age_bands_turn_on_the_birthday(force, cast):
    director = cast["director"]
    on = datetime.date(2020, 8, 8)  # Bakary is 39 the day before his 40th birthday
    bands = {
        b.label: b.men for b in age_pyramid(viewer=director, filters=ReportFilters(as_of=on)).bands
    }
    assert bands["35–39"] == 1
    on = datetime.date(2020, 8, 9)
    bands = {
        b.label: b.men for b in age_pyramid(viewer=director, filters=ReportFilters(as_of=on)).bands
    }
    assert bands["40–44"] == 1 and bands["35–39"] == 0


def test_retirements_due_by_year_with_the_officers_behind_each_bar(force, cast):
    from matricule.core.dates import add_years

    director = cast["director"]
    cheick = force["cheick"]
    cheick.refresh_from_db()
    day = add_years(cheick.birth_date, cheick.corps.retirement_age)
    today = day - datetime.timedelta(days=400)
    due = retirements_due(viewer=director, filters=ReportFilters(), years=5, today=today)
    assert due.per_year[day.year] >= 1
    people = retirement_list(viewer=director, filters=ReportFilters(), year=day.year, today=today)
    assert cheick.pk in [o.pk for o, _d in people]
    assert dict(people_day for people_day in [(o.pk, d) for o, d in people])[cheick.pk] == day
    assert due.within_12_months == 0 or day < add_years(today, 1)


def test_establishment_compares_posts_and_officers_per_unit_and_band(force, cast):
    strength = establishment_strength(viewer=cast["director"], filters=ReportFilters(as_of=POSTED))
    by_unit = {u.unit.code: u for r in strength.regions for u in r.units}
    assert by_unit["KAY-CC"].actual == 2
    assert by_unit["BKO-CA01"].actual == 1
    assert strength.actual == 4
    assert strength.authorised == sum(r.authorised for r in strength.regions)
    assert all(r.actual == sum(u.actual for u in r.units) for r in strength.regions)


def test_an_exact_as_of_date_matches_the_record_as_on_that_date(force, cast):
    """The report's rows equal personnel's own replay of each record (situation_on)."""
    from matricule.personnel.models import IN_SERVICE_STATUSES, Officer
    from matricule.personnel.selectors import situation_on

    director = cast["director"]
    for on in (
        datetime.date(2011, 1, 1),
        POSTED - DAY,
        POSTED,
        SECONDED,
        EXITED - DAY,
        EXITED,
        timezone.localdate(),
    ):
        expected: dict[str, int] = {}
        for officer in Officer.objects.all():
            s = situation_on(officer=officer, on=on)
            if s is not None and s.status in IN_SERVICE_STATUSES:
                expected[s.unit.code] = expected.get(s.unit.code, 0) + 1
        assert leaf_counts(director, on) == expected, on


def test_the_monthly_series_equals_the_count_from_events_on_each_day(force, cast):
    from dataclasses import replace

    from matricule.core.models import Region
    from matricule.reports.selectors.headcount import monthly_change
    from matricule.reports.selectors.people import EVENTS, people_on

    def from_events(viewer, filters):
        return sum(r.n for r in people_on(viewer=viewer, filters=filters, source=EVENTS))

    kayes = Region.objects.get(code="KAY")
    for viewer in (cast["director"], cast["bamako_clerk"], cast["kayes_clerk"]):
        for as_of in (datetime.date(2021, 5, 1), datetime.date(2022, 3, 15), timezone.localdate()):
            for filters in (
                ReportFilters(as_of=as_of),
                ReportFilters(as_of=as_of, count_at=HOST),
                ReportFilters(as_of=as_of, sex="M", region_id=kayes.pk),
            ):
                series = monthly_change(viewer=viewer, filters=filters)
                assert len(series) == 13 and series[-1][0] == as_of
                expected = [
                    (day, from_events(viewer, replace(filters, as_of=day))) for day, _n in series
                ]
                assert series == expected, (viewer.username, filters)
