"""officer_marks: the contract promotions relies on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from matricule.evaluations.models import Cycle, CycleStatus, Evaluation, Step
from matricule.evaluations.selectors import officer_marks
from matricule.evaluations.tests.factories import closed_evaluation_for_test, cycle_dates
from matricule.personnel.tests.factories import officer_create_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(mali):
    alpha = officer_create_for_test(family_name="Alpha", given_names="Moussa")
    beta = officer_create_for_test(family_name="Beta", given_names="Awa", sex="F")
    return mali, alpha, beta


def test_marks_are_the_last_closed_cycles_newest_first(cast):
    mali, alpha, beta = cast
    for year, mark in ((2021, "12"), (2022, "13.5"), (2023, "15"), (2024, "16")):
        closed_evaluation_for_test(officer=alpha, year=year, mark=Decimal(mark))
    closed_evaluation_for_test(officer=beta, year=2022, mark=Decimal("11"))
    # An open cycle of 2025 does not count.
    Cycle.objects.create(agency=mali, year=2025, **cycle_dates(2025))
    marks = officer_marks(
        officer_ids=[alpha.pk, beta.pk], agency_id=mali.pk, up_to_year=2025, count=3
    )
    assert marks[alpha.pk] == [
        (2024, Decimal("16")),
        (2023, Decimal("15")),
        (2022, Decimal("13.5")),
    ]
    assert marks[beta.pk] == [(2024, None), (2023, None), (2022, Decimal("11"))]
    older = officer_marks(officer_ids=[alpha.pk], agency_id=mali.pk, up_to_year=2022, count=3)
    assert older == {alpha.pk: [(2022, Decimal("13.5")), (2021, Decimal("12"))]}


def test_all_officers_of_the_agency_when_none_is_named(cast, django_assert_max_num_queries):
    mali, alpha, beta = cast
    closed_evaluation_for_test(officer=alpha, year=2023, mark=Decimal("14"))
    with django_assert_max_num_queries(3):
        marks = officer_marks(officer_ids=None, agency_id=mali.pk, up_to_year=2024, count=2)
    assert marks[alpha.pk] == [(2023, Decimal("14"))]
    assert marks[beta.pk] == [(2023, None)]
    assert all(officer_id in marks for officer_id in (alpha.pk, beta.pk))


def test_an_evaluation_not_closed_gives_no_mark(cast):
    mali, alpha, _beta = cast
    evaluation = closed_evaluation_for_test(officer=alpha, year=2023, mark=Decimal("14"))
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Step.APPEAL)
    marks = officer_marks(officer_ids=[alpha.pk], agency_id=mali.pk, up_to_year=2024, count=1)
    assert marks == {alpha.pk: [(2023, None)]}


def test_no_closed_cycle_gives_empty_lists(cast):
    mali, alpha, _beta = cast
    assert officer_marks(officer_ids=[alpha.pk], agency_id=mali.pk, up_to_year=2030, count=3) == {
        alpha.pk: []
    }


def test_the_factory_reuses_the_cycle_of_the_year(cast):
    _mali, alpha, beta = cast
    first = closed_evaluation_for_test(officer=alpha, year=2023, mark=Decimal("14"))
    second = closed_evaluation_for_test(officer=beta, year=2023, mark=Decimal("9.25"))
    assert first.cycle_id == second.cycle_id
    assert first.cycle.status == CycleStatus.CLOSED
    assert second.final_mark == Decimal("9.25") and second.status == Step.CLOSED


def test_many_named_officers_are_filtered_without_a_huge_in_list(cast):
    mali, alpha, _beta = cast
    closed_evaluation_for_test(officer=alpha, year=2023, mark=Decimal("14"))
    ids = [alpha.pk, *range(10_000_000, 10_001_000)]
    marks = officer_marks(officer_ids=ids, agency_id=mali.pk, up_to_year=2024, count=1)
    assert marks[alpha.pk] == [(2023, Decimal("14"))]
    assert marks[10_000_000] == [(2023, None)]
