"""The situation periods stay exactly what the career events say, through every write."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from matricule.core.models import Unit
from matricule.personnel.career import replay
from matricule.personnel.models import CareerEvent, EventKind, Officer, SituationPeriod, Status
from matricule.personnel.services import Act, event_record

pytestmark = pytest.mark.django_db
D = datetime.date
ACT = Act(kind="decision", number="2020-0042/DGPN", date=D(2020, 1, 2))


def _unit(code: str, agency: str = "PN") -> Unit:
    return Unit.objects.get(agency__code=agency, code=code)


def _spans(officer: Officer) -> list[tuple[D, D | None, str, str | None, str]]:
    return [
        (p.valid_from, p.valid_to, p.unit.code, p.host_unit.code if p.host_unit else None, p.status)
        for p in officer.periods.select_related("unit", "host_unit").order_by("valid_from")
    ]


def _holds_as_replayed(officer: Officer) -> None:
    """On the day before, of and after every event, the one period holding is the replay."""
    events = list(CareerEvent.objects.filter(officer=officer))
    for ev in events:
        for day in (ev.effective_date - datetime.timedelta(days=1), ev.effective_date):
            state = replay(events, on=day)
            held = [
                (p.unit_id, p.host_unit_id, p.grade_id, p.status)
                for p in officer.periods.all()
                if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)
            ]
            expected = (
                [(state.unit_id, state.host_unit_id, state.grade_id, state.status)] if state else []
            )
            assert held == expected, day


def _check(**options: object) -> str:
    out = io.StringIO()
    call_command("check_periods", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_postings_secondments_and_exits_keep_the_periods_exact(hire):
    officer = hire(entry_date=D(2012, 3, 1))
    assert _spans(officer) == [(D(2012, 3, 1), None, "BKO-CA01", None, Status.ACTIVE)]
    event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2016, 2, 1),
        unit=_unit("BKO-CA05"),
        act=ACT,
        by=None,
    )
    ocs = Unit.objects.filter(agency__code="OCS").order_by("path").first()
    event_record(
        officer=officer,
        kind=EventKind.SECONDMENT,
        effective_date=D(2019, 6, 1),
        unit=ocs,
        act=ACT,
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.EXIT,
        effective_date=D(2023, 1, 1),
        status=Status.RESIGNED,
        act=ACT,
        by=None,
    )
    assert _spans(officer) == [
        (D(2012, 3, 1), D(2016, 2, 1), "BKO-CA01", None, Status.ACTIVE),
        (D(2016, 2, 1), D(2019, 6, 1), "BKO-CA05", None, Status.ACTIVE),
        (D(2019, 6, 1), D(2023, 1, 1), "BKO-CA05", ocs.code, Status.SECONDED),
        (D(2023, 1, 1), None, "BKO-CA05", None, Status.RESIGNED),
    ]
    _holds_as_replayed(officer)
    assert "conformes" in _check()


def test_a_corrected_event_rewrites_the_periods_and_a_function_adds_none(hire):
    officer = hire(entry_date=D(2012, 3, 1))
    posting = event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2016, 2, 1),
        unit=_unit("BKO-CA05"),
        act=ACT,
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.FUNCTION,
        effective_date=D(2017, 5, 1),
        function="Chef de poste",
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2015, 7, 1),
        unit=_unit("GAO-CC"),
        act=ACT,
        by=None,
        supersedes=posting,
    )
    assert _spans(officer) == [
        (D(2012, 3, 1), D(2015, 7, 1), "BKO-CA01", None, Status.ACTIVE),
        (D(2015, 7, 1), None, "GAO-CC", None, Status.ACTIVE),
    ]
    _holds_as_replayed(officer)


def test_check_periods_catches_periods_edited_behind_the_services_and_fixes_them(hire):
    officer = hire(entry_date=D(2012, 3, 1))
    other = hire(entry_date=D(2014, 3, 1), family_name="Traoré")
    SituationPeriod.objects.filter(officer=officer).update(unit=_unit("GAO-CC"))
    SituationPeriod.objects.filter(officer=other).delete()
    with pytest.raises(SystemExit) as exit_info:
        _check()
    assert exit_info.value.code == 1
    assert "2 dossier(s) à réécrire" in _check(fix=True, dry_run=True)
    assert not SituationPeriod.objects.filter(officer=other).exists()
    assert "2 dossier(s) réécrit(s)" in _check(fix=True)
    assert _spans(officer) == [(D(2012, 3, 1), None, "BKO-CA01", None, Status.ACTIVE)]
    assert "conformes" in _check()


def test_rebuilding_many_officers_periods_reads_their_events_in_one_query(
    hire, django_assert_max_num_queries
):
    from matricule.personnel.services.periods import periods_rebuild

    ocs = Unit.objects.filter(agency__code="OCS").order_by("path").first()
    officers = [hire(entry_date=D(2012, 3, 1 + n)) for n in range(4)]
    for officer in officers:
        event_record(
            officer=officer,
            kind=EventKind.SECONDMENT,
            effective_date=D(2019, 6, 1),
            end_date=D(2022, 6, 1),
            unit=ocs,
            act=ACT,
            by=None,
        )
    SituationPeriod.objects.filter(officer__in=officers).delete()
    # Events, stored periods, the delete and the insert: none per officer or per event (an
    # event field left out of the read would be loaded by one query per event).
    with django_assert_max_num_queries(4):
        assert periods_rebuild(officer_ids=[o.pk for o in officers]) == len(officers)
    for officer in officers:
        _holds_as_replayed(officer)


def test_a_rebuild_rewrites_only_the_periods_that_changed(hire):
    """A posting slipped into the past (an imported history) changes the periods it covers;
    the periods before it and after the next posting are kept as they were (same rows)."""
    from matricule.personnel.services.periods import periods_rebuild

    officer = hire(entry_date=D(2012, 3, 1))
    for day, code in ((D(2016, 2, 1), "BKO-CA05"), (D(2020, 9, 1), "GAO-CC")):
        event_record(
            officer=officer,
            kind=EventKind.POSTING,
            effective_date=day,
            unit=_unit(code),
            act=ACT,
            by=None,
        )
    before = {p.valid_from: p.pk for p in officer.periods.all()}
    CareerEvent.objects.create(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2018, 1, 1),
        unit=_unit("BKO-CA01"),
        historical=True,
    )
    assert periods_rebuild(officer_ids=[officer.pk]) == 1
    assert _spans(officer) == [
        (D(2012, 3, 1), D(2016, 2, 1), "BKO-CA01", None, Status.ACTIVE),
        (D(2016, 2, 1), D(2018, 1, 1), "BKO-CA05", None, Status.ACTIVE),
        (D(2018, 1, 1), D(2020, 9, 1), "BKO-CA01", None, Status.ACTIVE),
        (D(2020, 9, 1), None, "GAO-CC", None, Status.ACTIVE),
    ]
    after = {p.valid_from: p.pk for p in officer.periods.all()}
    assert after[D(2012, 3, 1)] == before[D(2012, 3, 1)]
    assert after[D(2020, 9, 1)] == before[D(2020, 9, 1)]
    assert after[D(2016, 2, 1)] != before[D(2016, 2, 1)]  # it now ends in 2018
    _holds_as_replayed(officer)
    assert periods_rebuild(officer_ids=[officer.pk]) == 0
