"""Calibration flags the lenient, the harsh and the flat rater of a fixture, and no one else."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from matricule.core.models import Unit
from matricule.evaluations.models import Evaluation, Step
from matricule.evaluations.selectors import calibration, completion
from matricule.evaluations.services import form_ensure
from matricule.personnel.tests.factories import letters, officer_create_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(org, open_cycle):
    """Thirteen raters in the units of the Bamako region, 12 marks each; three are biased."""
    rng = random.Random(4)
    units = list(Unit.objects.filter(parent__code="DR-BKO").order_by("code")[:13])
    assert len(units) == 13
    form = form_ensure(corps=org["agents"][0].corps, on=open_cycle.reference_date, by=None)
    raters = {}
    rows = []
    for i, unit in enumerate(units):
        rater = officer_create_for_test(
            unit=unit.code, grade="CNE", family_name=f"Chef{letters(i)}", given_names="Noté"
        )
        raters[i] = rater
        for j in range(12):
            officer = officer_create_for_test(
                unit=unit.code, family_name=f"Agent{letters(i * 20 + j)}", given_names="Awa"
            )
            if i == 0:  # lenient
                mark = rng.uniform(17, 19.5)
            elif i == 1:  # harsh
                mark = rng.uniform(7, 10)
            elif i == 2:  # everyone gets 18
                mark = 18
            else:
                mark = rng.gauss(13.5, 1.5)
            rows.append(
                Evaluation(
                    cycle=open_cycle,
                    officer=officer,
                    unit=unit,
                    form=form,
                    evaluator=rater,
                    status=Step.REVIEW,
                    rating_mark=Decimal(str(round(min(20, max(0, mark)), 2))),
                )
            )
    Evaluation.objects.bulk_create(rows)
    return raters


def test_the_three_biased_raters_are_flagged_and_no_one_else(org, open_cycle, rated):
    stats = {s.rater_id: s for s in calibration(viewer=org["hr"], cycle=open_cycle)}
    flagged = {rid for rid, st in stats.items() if st.flagged}
    assert flagged == {rated[0].pk, rated[1].pk, rated[2].pk}
    assert stats[rated[0].pk].lenient and stats[rated[1].pk].harsh and stats[rated[2].pk].flat
    assert stats[rated[3].pk].n == 12 and sum(stats[rated[3].pk].histogram) == 12
    assert stats[rated[0].pk].group_n == 13 * 12


def test_calibration_is_scoped(org, open_cycle, rated):
    assert calibration(viewer=org["hr_gao"], cycle=open_cycle) == []


def test_completion_counts_per_unit_with_constant_queries(
    org, open_cycle, rated, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        result = completion(viewer=org["hr"], cycle=open_cycle)
    assert result.totals.total == Evaluation.objects.filter(cycle=open_cycle).count()
    dgpn = next(r for r in result.rows if r.code == "DGPN")
    assert dgpn.counts[Step.REVIEW] == 13 * 12 and dgpn.has_children
    region = Unit.objects.get(code="DR-BKO")
    with django_assert_max_num_queries(6):
        drill = completion(viewer=org["hr"], cycle=open_cycle, unit=region)
    assert {r.code for r in drill.rows} >= {"BKO-CA01", "BKO-CA02"}
