"""The candidate search: every requirement met and missed, in French; ranking; pool; queries."""

from __future__ import annotations

import datetime

import pytest

from matricule.accounts.roles import Perm, Role
from matricule.core.dates import add_months, add_years
from matricule.deployments.selectors.search import (
    SearchFilters,
    candidate_search,
    search_period,
)

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def planner(make_user):
    return make_user(Role.OPERATIONS_PLANNER, username="operations.test")


@pytest.fixture
def operation(make_operation):
    return make_operation()


def _search(viewer, position, today, **filters):
    period = search_period(position, today=today)
    return candidate_search(
        viewer=viewer,
        perm=Perm.DEPLOYMENT_PLAN,
        position=position,
        period=period,
        filters=SearchFilters(**filters),
        today=today,
    )


def _by_matricule(result):
    return {c.officer.matricule: c for c in result.rows}


def test_a_full_match_comes_first_and_says_what_it_matches(
    planner, operation, make_position, hire, give, today
):
    position = make_position(
        operation,
        grade_range=("SGT", "ADC"),
        skill=[("counter_terrorism", 2)],
        language=("en", 3),
        licence=("licence_c", 1),
    )
    awa = hire(family_name="Traoré", given_names="Awa", sex="F", grade="ADJ")
    give.skill(awa, "counter_terrorism", 3, expires=datetime.date(2031, 5, 12))
    give.language(awa, "en", 3)
    give.skill(awa, "licence_c", obtained=add_years(today, -3))
    near = hire(family_name="Keïta", given_names="Modibo", grade="SGT")
    give.skill(near, "counter_terrorism", 2)
    give.language(near, "en", 2)

    result = _search(planner, position, today)

    assert [c.officer.matricule for c in result.rows] == [awa.matricule, near.matricule]
    first = result.rows[0]
    assert first.full and first.score == 100 and first.rank == 1
    assert first.lacks == []
    assert first.matches == [
        "Grade Adjudant (requis Sergent à Adjudant-chef)",
        "Lutte antiterroriste niveau 3 (requis 2), valide jusqu'au 12/05/2031",
        "Anglais B2 (requis B2)",
        "Permis C (poids lourds) depuis 3 ans (requis 1 an)",
    ]
    second = result.rows[1]
    assert second.missing == 2 and second.score == 50
    assert second.lacks == [
        "Anglais B1, requis B2 : manque",
        "Permis C (poids lourds) non détenu : manque",
    ]
    assert (result.total, result.full, result.near) == (2, 1, 1)


def test_a_licence_held_eight_months_lacks_a_year_and_one_held_a_year_meets_it(
    planner, operation, make_position, hire, give, today
):
    position = make_position(operation, skill=[("first_aid", 1)], licence=("licence_c", 1))
    period = search_period(position, today=today)
    recent = hire(family_name="Coulibaly")
    give.skill(recent, "licence_c", obtained=add_months(period.start, -8))
    year = hire(family_name="Diallo")
    give.skill(year, "licence_c", obtained=add_years(period.start, -1))
    for officer in (recent, year):
        give.skill(officer, "first_aid", 1)

    rows = _by_matricule(_search(planner, position, today))

    assert rows[recent.matricule].lacks == [
        "Permis C (poids lourds) depuis 8 mois, requis 1 an : manque"
    ]
    assert rows[year.matricule].full
    assert "Permis C (poids lourds) depuis 1 an (requis 1 an)" in rows[year.matricule].matches


def test_an_unverified_licence_does_not_count(planner, operation, make_position, hire, give, today):
    position = make_position(operation, licence=("licence_b", 1), skill=[("first_aid", 1)])
    officer = hire()
    give.skill(officer, "licence_b", obtained=datetime.date(2010, 1, 1), confirmed=False)
    give.skill(officer, "first_aid", 1)
    (row,) = _search(planner, position, today).rows
    assert row.lacks == ["Permis B (véhicules légers) déclaré, non vérifié : manque"]


def test_a_skill_must_be_valid_over_the_whole_period_not_just_the_first_day(
    planner, operation, make_position, hire, give, today
):
    position = make_position(operation, skill=[("counter_terrorism", 2)], licence=("licence_b", 0))
    period = search_period(position, today=today)
    expiring = hire(family_name="Sangaré")
    give.skill(expiring, "counter_terrorism", 2, expires=period.start + D(days=5))
    give.skill(expiring, "licence_b")
    covering = hire(family_name="Maïga")
    give.skill(covering, "counter_terrorism", 2, expires=period.end)
    give.skill(covering, "licence_b")

    rows = _by_matricule(_search(planner, position, today))

    assert rows[covering.matricule].full
    assert rows[expiring.matricule].lacks == [
        f"Lutte antiterroriste niveau 2 valide jusqu'au {period.start + D(days=5):%d/%m/%Y} "
        f"seulement, requise jusqu'au {period.end:%d/%m/%Y} : manque"
    ]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("low", "Lutte antiterroriste niveau 1, requis 2 : manque"),
        ("none", "Lutte antiterroriste niveau 2 requis : non détenue, manque"),
        ("declared", "Lutte antiterroriste déclarée, non vérifiée (requis niveau 2) : manque"),
        ("expired", "Lutte antiterroriste niveau 2 expirée le 31/12/2021 : manque"),
        ("late", "après le début"),
    ],
)
def test_each_way_of_lacking_a_skill_is_explained(
    planner, operation, make_position, hire, give, today, setup, expected
):
    position = make_position(operation, skill=[("counter_terrorism", 2), ("first_aid", 1)])
    period = search_period(position, today=today)
    officer = hire()
    give.skill(officer, "first_aid", 1)
    if setup == "low":
        give.skill(officer, "counter_terrorism", 1)
    elif setup == "declared":
        give.skill(officer, "counter_terrorism", 2, confirmed=False)
    elif setup == "expired":
        give.skill(officer, "counter_terrorism", 2, expires=datetime.date(2021, 12, 31))
    elif setup == "late":
        give.skill(officer, "counter_terrorism", 2, obtained=period.start + D(days=1))
    (row,) = _search(planner, position, today).rows
    assert len(row.lacks) == 1
    assert expected in row.lacks[0]
    assert row.matches == ["Premiers secours niveau 1 (requis 1), sans date d'expiration"]


def test_a_language_not_spoken_and_a_grade_out_of_range_are_explained(
    planner, operation, make_position, hire, give, today
):
    position = make_position(
        operation, grade_range=("SGT", "ADC"), language=("en", 2), skill=[("first_aid", 1)]
    )
    officer = hire(grade="GP")
    give.skill(officer, "first_aid", 1)
    (row,) = _search(planner, position, today).rows
    assert row.lacks == [
        "Grade Gardien de la paix, requis Sergent à Adjudant-chef : manque",
        "Anglais non parlé, requis B1 : manque",
    ]


def test_age_and_years_of_service_are_checked_on_the_first_day(
    planner, operation, make_position, hire, give, today
):
    position = make_position(
        operation, skill=[("first_aid", 1)], age_min=25, age_max=62, service_years_min=5
    )
    period = search_period(position, today=today)
    young = hire(
        family_name="Dembélé",
        birth_date=add_years(period.start, -24),
        entry_date=add_years(period.start, -3),
    )
    give.skill(young, "first_aid", 1)
    seasoned = hire(
        family_name="Touré",
        birth_date=add_years(period.start, -25),
        entry_date=add_years(period.start, -6),
    )
    give.skill(seasoned, "first_aid", 1)

    rows = _by_matricule(_search(planner, position, today))

    assert rows[young.matricule].lacks == [
        "3 ans de service, requis 5 : manque",
        "Âge 24 ans, requis 25 à 62 ans : manque",
    ]
    assert "Âge 25 ans (requis 25 à 62 ans)" in rows[seasoned.matricule].matches


def test_service_years_exclude_the_initial_training(
    planner, operation, make_position, hire, give, status_event, today
):
    position = make_position(operation, skill=[("first_aid", 1)], service_years_min=5)
    period = search_period(position, today=today)
    officer = hire(entry_date=add_years(period.start, -6))
    from matricule.personnel.models import CareerEvent

    # The career starts at the school: 2 years "in training", then service.
    CareerEvent.objects.filter(officer=officer, kind="entry").update(status="training")
    status_event(officer, "active", add_years(period.start, -4))
    give.skill(officer, "first_aid", 1)
    (row,) = _search(planner, position, today).rows
    assert "4 ans de service, requis 5 : manque" in row.lacks


def test_ranking_prefers_levels_above_the_minimum_then_rotation_then_seniority(
    planner, make_operation, make_position, hire, give, today
):
    from matricule.deployments.services import assignment_create

    operation = make_operation(start=today + D(days=60))
    position = make_position(operation, skill=[("counter_terrorism", 2)])
    past = make_operation(name="Escorte DEF", start=today - D(days=300), days=10)
    older = make_operation(name="Escorte référendum", start=today - D(days=900), days=10)

    expert = hire(family_name="Expert", entry_date=datetime.date(2018, 1, 1))
    give.skill(expert, "counter_terrorism", 4)
    fresh = hire(family_name="Fresh", entry_date=datetime.date(2019, 1, 1))
    give.skill(fresh, "counter_terrorism", 2)
    recent = hire(family_name="Recent", entry_date=datetime.date(2011, 1, 1))
    give.skill(recent, "counter_terrorism", 2)
    assignment_create(
        position=make_position(past), officer=recent, start_date=past.start_date, by=None
    )
    longago = hire(family_name="Longago", entry_date=datetime.date(2011, 1, 1))
    give.skill(longago, "counter_terrorism", 2)
    assignment_create(
        position=make_position(older), officer=longago, start_date=older.start_date, by=None
    )
    senior = hire(family_name="Senior", entry_date=datetime.date(2012, 1, 1))
    give.skill(senior, "counter_terrorism", 2)

    result = _search(planner, position, today)

    assert [c.officer.family_name for c in result.rows] == [
        "Expert",  # two levels above the minimum
        "Senior",  # never deployed, in service since 2012
        "Fresh",  # never deployed, since 2019
        "Longago",  # back from a mission two and a half years ago
        "Recent",  # back from a mission ten months ago
    ]
    assert result.rows[0].surplus == 2
    assert result.rows[3].last_return == older.end_date


def test_near_misses_stop_at_the_tolerance_and_need_one_of_the_skills(
    planner, operation, make_position, hire, give, today
):
    position = make_position(
        operation, skill=[("counter_terrorism", 2), ("first_aid", 1), ("negotiation", 1)]
    )
    one = hire(family_name="Un")
    give.skill(one, "counter_terrorism", 2)
    none = hire(family_name="Aucun")
    assert [c.officer.pk for c in _search(planner, position, today).rows] == [one.pk]
    assert _search(planner, position, today, max_missing=1).rows == []
    assert none.pk not in [
        c.officer.pk for c in _search(planner, position, today, max_missing=3).rows
    ]


def test_the_pool_limits_sex_and_unit_and_the_scope_is_the_planners(
    make_user, operation, make_position, hire, give, today
):
    from matricule.core.models import Unit

    gao = Unit.objects.get(agency__code="PN", code="DR-GAO")
    position = make_position(operation, skill=[("first_aid", 1)], sex="F", pool_unit=gao)
    woman_gao = hire(unit="GAO-CC", sex="F", given_names="Fatoumata", family_name="Maïga")
    man_gao = hire(unit="GAO-CC", family_name="Cissé")
    woman_bamako = hire(unit="BKO-CA01", sex="F", given_names="Aminata")
    for officer in (woman_gao, man_gao, woman_bamako):
        give.skill(officer, "first_aid", 1)
    national = make_user(Role.OPERATIONS_PLANNER)
    bamako = make_user(Role.OPERATIONS_PLANNER, "DR-BKO")
    assert [c.officer.pk for c in _search(national, position, today).rows] == [woman_gao.pk]
    assert _search(bamako, position, today).rows == []


def test_unavailable_officers_are_shown_last_with_the_reason_when_asked(
    planner, operation, make_position, hire, give, status_event, today
):
    position = make_position(operation, skill=[("first_aid", 1)])
    on_leave = hire(family_name="Congé")
    status_event(on_leave, "leave", today - D(days=2))
    give.skill(on_leave, "first_aid", 1)
    free = hire(family_name="Libre")
    give.skill(free, "first_aid", 1)
    assert [c.officer.pk for c in _search(planner, position, today).rows] == [free.pk]
    rows = _search(planner, position, today, include_unavailable=True).rows
    assert [(c.officer.pk, c.available) for c in rows] == [(free.pk, True), (on_leave.pk, False)]
    assert rows[1].unavailable == [
        f"En congé depuis le {today - D(days=2):%d/%m/%Y}, sans fin prévue."
    ]


def test_the_search_costs_the_same_queries_for_three_or_twelve_candidates(
    planner, operation, make_position, hire, give, today, django_assert_num_queries
):
    position = make_position(
        operation,
        grade_range=("GP", "MAJ"),
        skill=[("first_aid", 1)],
        language=("en", 2),
        licence=("licence_b", 1),
    )

    def officers(n, start):
        for i in range(n):
            officer = hire(family_name=f"Agent{chr(97 + start + i)}")
            give.skill(officer, "first_aid", 1)
            give.language(officer, "en", 2 + i % 2)

    officers(3, 0)
    _search(planner, position, today)  # the reference copy is loaded once per process
    planner.__dict__.pop("active_grants", None)
    with django_assert_num_queries(7):
        assert len(_search(planner, position, today).rows) == 3
    officers(9, 3)
    planner.__dict__.pop("active_grants", None)
    with django_assert_num_queries(7):
        assert len(_search(planner, position, today).rows) == 12


def test_ocs_staff_are_searchable_for_a_joint_operation(
    make_user, make_operation, make_position, hire, give, today
):
    """A planner of the joint task force (police and OCS) finds the OCS's members of other
    corps, shown in their own ranks; a planner of the police alone does not."""
    from matricule.accounts.models import RoleGrant
    from matricule.accounts.roles import Role
    from matricule.core.models import Agency
    from matricule.personnel.tests.factories import ocs_member_for_test

    position = make_position(make_operation(), skill=[("narcotics", 2)])
    police = hire(family_name="Traoré", given_names="Awa", sex="F")
    customs = ocs_member_for_test(origin="DOUANES", family_name="Diarra")
    for officer in (police, customs):
        give.skill(officer, "narcotics", 3)
    joint = make_user(Role.OPERATIONS_PLANNER)
    RoleGrant.objects.create(
        user=joint, role=Role.OPERATIONS_PLANNER, agency=Agency.objects.get(code="OCS")
    )
    found = _by_matricule(_search(joint, position, today))
    assert set(found) == {police.matricule, customs.matricule}
    assert found[customs.matricule].officer.grade_label == "Inspecteur des douanes (Douanes)"
    police_only = make_user(Role.OPERATIONS_PLANNER)
    assert set(_by_matricule(_search(police_only, position, today))) == {police.matricule}
