"""UN police readiness rules at their edges, the roster's lists and the share of women."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from matricule.accounts.roles import Perm, Role
from matricule.core.dates import add_months, add_years
from matricule.deployments.models import UnAssessment
from matricule.deployments.selectors.readiness import officer_readiness, un_readiness
from matricule.personnel.models import CareerEvent

pytestmark = pytest.mark.django_db
D = datetime.timedelta
TESTS = ("language", "interview", "driving", "computer")


@pytest.fixture
def planner(make_user):
    return make_user(Role.OPERATIONS_PLANNER, username="onu.test")


@pytest.fixture
def candidate(hire, give, languages, today):
    """An officer who meets every rule, with AMS results `days` ago."""

    def make(
        *,
        family_name: str = "Traoré",
        sex: str = "M",
        days: int = 100,
        score: str = "75",
        birth: datetime.date = datetime.date(1985, 3, 14),
        entry: datetime.date = datetime.date(2012, 10, 1),
        grade: str = "SGT",
        tests: tuple[str, ...] = TESTS,
        licence: datetime.date | None = datetime.date(2015, 1, 1),
    ):
        officer = hire(
            family_name=family_name, sex=sex, birth_date=birth, entry_date=entry, grade=grade
        )
        if licence is not None:
            give.skill(officer, "licence_b", obtained=licence)
        taken = today - D(days=days)
        for test in tests:
            UnAssessment.objects.create(
                officer=officer,
                test=test,
                taken_on=taken,
                score=Decimal(score) if test == "language" else None,
                passed=Decimal(score) >= 60 if test == "language" else True,
                language=languages["en"] if test == "language" else None,
            )
        return officer

    return make


def _verdict(officer, today, armed=False):
    return officer_readiness(officer=officer, on=today, armed=armed)


def test_an_officer_meeting_every_rule_is_cleared_for_24_months(candidate, today):
    officer = candidate(days=100)
    readiness = _verdict(officer, today)
    assert readiness.cleared and readiness.status == "cleared"
    assert readiness.valid_until == add_months(today - D(days=100), 24)
    assert [c.code for c in readiness.criteria] == ["age", "service", "licence", "discipline"]
    assert all(c.met for c in readiness.criteria)
    assert readiness.criteria[-1].label == "Discipline : aucune sanction ni procédure"


def test_the_clearance_lasts_24_months_to_the_day(candidate, today):
    last_day = candidate(family_name="Jour", days=(today - add_months(today, -24)).days)
    assert _verdict(last_day, today).cleared
    assert _verdict(last_day, today).status == "expiring"
    expired = candidate(family_name="Lendemain", days=(today - add_months(today, -24)).days + 1)
    readiness = _verdict(expired, today)
    assert not readiness.cleared
    assert readiness.status == "not_ready"  # every test is out of date
    assert all(t.state == "expired" for t in readiness.tests)


def test_the_language_test_is_passed_at_sixty_percent(candidate, today):
    assert _verdict(candidate(family_name="Soixante", score="60"), today).cleared
    short = _verdict(candidate(family_name="Presque", score="59.5"), today)
    assert short.status == "one_short"
    assert short.missing_tests == ["Langue de la mission"]
    assert short.tests[0].text.startswith("Langue de la mission : échouée le")


@pytest.mark.parametrize(
    ("years", "extra_days", "cleared"),
    [(25, 0, True), (25, 1, False), (63, 1, True), (63, 0, False)],
)
def test_ages_25_and_62_are_the_bounds(candidate, today, years, extra_days, cleared):
    birth = add_years(today, -years) + D(days=extra_days)
    entry = add_years(birth, 18) if years == 25 else datetime.date(2012, 10, 1)
    grade = "SGT" if years == 25 else "COM"  # commissaires serve until 65
    officer = candidate(birth=birth, entry=entry, grade=grade)
    readiness = _verdict(officer, today)
    assert readiness.cleared is cleared
    age = next(c for c in readiness.criteria if c.code == "age")
    assert age.met is cleared


def test_five_years_of_service_do_not_count_the_initial_training(candidate, status_event, today):
    entry = add_years(today, -6)
    officer = candidate(entry=entry, birth=add_years(today, -30))
    assert _verdict(officer, today).cleared
    # Now the same career began with two years at the school.
    CareerEvent.objects.filter(officer=officer, kind="entry").update(status="training")
    status_event(officer, "active", add_years(today, -4))
    readiness = _verdict(officer, today)
    service = next(c for c in readiness.criteria if c.code == "service")
    assert not service.met
    assert service.label == "Service : 4 ans hors formation initiale (5 au moins)"


def test_a_licence_held_less_than_a_year_fails_the_rule(candidate, today):
    officer = candidate(licence=today - D(days=330))
    licence = next(c for c in _verdict(officer, today).criteria if c.code == "licence")
    assert not licence.met
    assert licence.label == "Permis de conduire depuis 10 mois (1 an au moins)"
    without = candidate(family_name="Sans", licence=None)
    assert not _verdict(without, today).cleared


def test_a_sanction_or_a_suspension_keeps_the_officer_off_the_roster(
    candidate, status_event, today
):
    from matricule.personnel.services import Act, event_record

    sanctioned = candidate(family_name="Blâmé")
    event_record(
        officer=sanctioned,
        kind="sanction",
        effective_date=today - D(days=400),
        detail="Blâme",
        act=Act(kind="decision", number="2025-12/DGPN", date=today - D(days=410)),
        by=None,
    )
    assert not _verdict(sanctioned, today).cleared
    suspended = candidate(family_name="Suspendu")
    status_event(suspended, "suspended", today - D(days=3))
    labels = [c.label for c in _verdict(suspended, today).criteria if not c.met]
    assert labels == ["Discipline : suspendu, procédure en cours"]


def test_firearms_count_only_for_armed_missions(candidate, today):
    officer = candidate()
    assert _verdict(officer, today).cleared
    armed = _verdict(officer, today, armed=True)
    assert armed.status == "one_short" and armed.missing_tests == ["Tir"]


def test_the_latest_sitting_of_a_test_counts(candidate, today):
    officer = candidate(days=300)
    UnAssessment.objects.create(
        officer=officer, test="interview", taken_on=today - D(days=10), passed=False
    )
    assert _verdict(officer, today).status == "one_short"


def test_the_roster_lists_cleared_expiring_and_one_short_with_the_share_of_women(
    planner, candidate, today, django_assert_max_num_queries
):
    candidate(family_name="Awa", sex="F")
    candidate(family_name="Bintou", sex="F", days=(today - add_months(today, -24)).days - 30)
    candidate(family_name="Cheick")
    candidate(family_name="Drissa")
    candidate(family_name="Oumar", tests=("language", "interview", "driving"))
    candidate(family_name="Zoumana", tests=("language",))

    un_readiness(viewer=planner, perm=Perm.DEPLOYMENT_PLAN, on=today)  # warm the caches
    # The assessed, the people, their latest sittings, the record of those at most one test
    # short, the page's officers and sittings (and the record of page rows not read yet).
    with django_assert_max_num_queries(7):
        roster = un_readiness(viewer=planner, perm=Perm.DEPLOYMENT_PLAN, on=today)
    assert (roster.assessed, roster.cleared, roster.expiring, roster.one_short) == (6, 4, 1, 1)
    assert [r.name for r in roster.rows] == [
        "AWA Moussa",
        "BINTOU Moussa",
        "CHEICK Moussa",
        "DRISSA Moussa",
    ]
    assert (roster.women_cleared, roster.women_share, roster.below_target) == (2, 50.0, False)
    expiring = un_readiness(viewer=planner, perm=Perm.DEPLOYMENT_PLAN, on=today, show="expiring")
    assert [r.name for r in expiring.rows] == ["BINTOU Moussa"]
    short = un_readiness(viewer=planner, perm=Perm.DEPLOYMENT_PLAN, on=today, show="one_short")
    assert [(r.name, r.missing_tests) for r in short.rows] == [("OUMAR Moussa", ["Informatique"])]
    everyone = un_readiness(viewer=planner, perm=Perm.DEPLOYMENT_PLAN, on=today, show="all")
    zoumana = everyone.rows[-1]
    assert (zoumana.name, zoumana.status) == ("ZOUMANA Moussa", "not_ready")
    # Three tests short: the record is read for the row shown all the same.
    assert [c.code for c in zoumana.criteria] == ["age", "service", "licence", "discipline"]


def test_below_the_twenty_percent_target_the_roster_says_how_many_women_are_needed(
    planner, candidate, today
):
    for name in ("Un", "Deux", "Trois", "Quatre", "Cinq"):
        candidate(family_name=name)
    candidate(family_name="Six", sex="F", tests=("language",))
    roster = un_readiness(viewer=planner, perm=Perm.DEPLOYMENT_PLAN, on=today)
    assert (roster.cleared, roster.women_share, roster.below_target) == (5, 0.0, True)
    # (0 + x) / (5 + x) >= 20 %  →  x = 2 (1.25 rounded up).
    assert roster.women_needed == 2


def test_the_roster_keeps_to_the_planners_scope(make_user, candidate, today):
    candidate()
    gao = make_user(Role.OPERATIONS_PLANNER, "DR-GAO")
    assert un_readiness(viewer=gao, perm=Perm.DEPLOYMENT_PLAN, on=today).assessed == 0
