"""The engine at its boundaries: durations, leap years, the sanction window, missing cycles."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from matricule.promotions.engine import (
    OfficerInputs,
    RuleSpec,
    Sanction,
    average,
    evaluate,
    rank_key,
)
from matricule.promotions.wording import duration, years_months

REF = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def officer(**kw) -> OfficerInputs:
    base = dict(
        officer_id=1,
        matricule="PN000001",
        full_name="TRAORÉ Moussa",
        sex="M",
        birth_date=datetime.date(1985, 3, 14),
        entry_date=datetime.date(2010, 10, 1),
        grade_id=10,
        grade_name="Sergent",
        grade_since=datetime.date(2022, 3, 1),
    )
    base.update(kw)
    return OfficerInputs(**base)


def rule(**kw) -> RuleSpec:
    base = dict(
        id=1,
        target_grade_id=11,
        target_grade_name="Sergent-chef",
        route="choice",
        source_grade_ids=frozenset({10}),
        source_grade_names="Sergent",
        min_years_in_grade=4,
        min_years_of_service=0,
        min_average_mark=None,
        mark_cycles=3,
        missing_cycles="skip",
        required_courses=(),
        max_sanction_group=1,
        sanction_years=3,
        no_pending_case=True,
        max_age=None,
        min_exam_score=None,
        service_cap_years=30,
        components=(("years_in_grade", Decimal(2), None),),
    )
    base.update(kw)
    return RuleSpec(**base)


def crit(result, code):
    return next(c for c in result.criteria if c["code"] == code)


def test_four_years_and_three_months_reads_in_french():
    result = evaluate(officer(grade_since=datetime.date(2022, 3, 30)), rule(), REF)
    c = crit(result, "years_in_grade")
    assert c["text"] == "4 ans et 3 mois dans le grade (minimum 4 ans) : rempli"
    assert c["met"] and c["value"] == "4 ans et 3 mois" and c["threshold"] == "4 ans"


def test_a_day_short_of_four_years_is_not_met():
    result = evaluate(officer(grade_since=datetime.date(2022, 7, 1)), rule(), REF)
    c = crit(result, "years_in_grade")
    assert not c["met"] and not result.eligible
    assert c["value"] == "3 ans et 11 mois"
    assert evaluate(officer(grade_since=datetime.date(2022, 6, 30)), rule(), REF).eligible


def test_leap_day_grade_dates():
    since = datetime.date(2020, 2, 29)
    # 2024 is a leap year: four years after 29/02/2020 is 29/02/2024.
    assert not crit(
        evaluate(officer(grade_since=since), rule(), datetime.date(2024, 2, 28)), "years_in_grade"
    )["met"]
    assert crit(
        evaluate(officer(grade_since=since), rule(), datetime.date(2024, 2, 29)), "years_in_grade"
    )["met"]
    # One year after 29/02/2020 is 28/02/2021.
    one = rule(min_years_in_grade=1)
    assert crit(
        evaluate(officer(grade_since=since), one, datetime.date(2021, 2, 28)), "years_in_grade"
    )["met"]
    assert not crit(
        evaluate(officer(grade_since=since), one, datetime.date(2021, 2, 27)), "years_in_grade"
    )["met"]


def test_suspension_does_not_count_and_is_said():
    o = officer(grade_since=datetime.date(2022, 6, 30), excluded_grade_days=10)
    c = crit(evaluate(o, rule(), REF), "years_in_grade")
    assert not c["met"]
    assert "10 jours de suspension ou de congé sans solde non comptés" in c["text"]


def test_sanction_window_boundaries():
    limit = datetime.date(2023, 6, 30)  # three years before the reference date
    outside = officer(sanctions=[Sanction(limit, 2, "mise à pied")])
    inside = officer(sanctions=[Sanction(limit + datetime.timedelta(days=1), 2, "mise à pied")])
    assert crit(evaluate(outside, rule(), REF), "sanctions")["met"]
    c = crit(evaluate(inside, rule(), REF), "sanctions")
    assert not c["met"]
    assert c["text"] == (
        "aucune sanction du 2e groupe ou au-delà depuis 3 ans : non rempli — "
        "mise à pied du 01/07/2023"
    )


def test_a_first_group_sanction_is_tolerated_when_the_rule_says_so():
    o = officer(sanctions=[Sanction(datetime.date(2025, 3, 12), 1, "blâme")])
    assert crit(evaluate(o, rule(), REF), "sanctions")["met"]
    c = crit(evaluate(o, rule(max_sanction_group=0), REF), "sanctions")
    assert not c["met"] and "blâme du 12/03/2025" in c["text"]


def test_missing_cycle_rules():
    marks = [(2025, Decimal("15")), (2024, None), (2023, Decimal("13"))]
    assert average(marks, "skip") == (Decimal("14.00"), 1)
    assert average(marks, "zero") == (Decimal("9.33"), 1)
    o = officer(grade_since=datetime.date(2020, 1, 1), marks=marks)
    assert evaluate(o, rule(min_average_mark=Decimal(12)), REF).eligible
    assert not evaluate(o, rule(min_average_mark=Decimal(12), missing_cycles="zero"), REF).eligible
    failing = crit(
        evaluate(o, rule(min_average_mark=Decimal(12), missing_cycles="fail"), REF), "average_mark"
    )
    assert not failing["met"] and "1 cycle(s) manquant(s)" in failing["value"]


def test_pending_case_age_exam_and_courses():
    r = rule(
        max_age=40,
        route="exam",
        min_exam_score=Decimal(12),
        required_courses=((5, "Droits de l'homme"), (6, "Tir")),
    )
    o = officer(pending_case="CD-2026-4", courses={5}, exam_score=Decimal("11.5"))
    result = evaluate(o, r, REF)
    assert {c["code"]: c["met"] for c in result.criteria} == {
        "source_grade": True,
        "years_in_grade": True,
        "required_courses": False,
        "sanctions": True,
        "pending_case": False,
        "age": False,
        "exam_score": False,
    }
    assert "manque : Tir" in crit(result, "required_courses")["text"]
    assert (
        crit(result, "age")["text"] == "41 ans à la date de référence (maximum 40 ans) : non rempli"
    )


def test_points_formula_with_caps_and_negative_sanctions():
    r = rule(
        components=(
            ("years_of_service", Decimal(1), Decimal(10)),
            ("average_mark", Decimal(2), None),
            ("decorations", Decimal(3), Decimal(2)),
            ("sanctions", Decimal(4), None),
        )
    )
    o = officer(
        marks=[(2025, Decimal(15)), (2024, Decimal(13))],
        decorations=5,
        sanctions=[Sanction(datetime.date(2025, 1, 1), 1, "avertissement")],
    )
    result = evaluate(o, r, REF)
    points = {c["code"]: Decimal(c["points"]) for c in result.components}
    assert points == {
        "years_of_service": Decimal("10.00"),  # 15 years capped at 10
        "average_mark": Decimal("28.00"),
        "decorations": Decimal("6.00"),  # five capped at two
        "sanctions": Decimal("-4.00"),
    }
    assert result.points == Decimal("40.00")


def test_tie_breaks_grade_then_service_then_age():
    r = rule()
    a = evaluate(officer(grade_since=datetime.date(2020, 1, 1)), r, REF)
    b = evaluate(officer(grade_since=datetime.date(2021, 1, 1)), r, REF)
    c = evaluate(
        officer(grade_since=datetime.date(2021, 1, 1), entry_date=datetime.date(2005, 1, 1)), r, REF
    )
    d = evaluate(
        officer(
            grade_since=datetime.date(2021, 1, 1),
            entry_date=datetime.date(2005, 1, 1),
            birth_date=datetime.date(1980, 1, 1),
        ),
        r,
        REF,
    )
    same = Decimal(10)
    order = sorted(
        [("b", b), ("a", a), ("d", d), ("c", c)],
        key=lambda x: rank_key(same, x[1].tie, x[0]),
    )
    assert [name for name, _r in order] == ["a", "d", "c", "b"]


def test_durations():
    assert duration(1) == "1 an"
    assert duration(0, 7) == "7 mois"
    assert years_months(datetime.date(2020, 1, 31), datetime.date(2020, 2, 28)) == (0, 0)
    assert years_months(datetime.date(2020, 1, 31), datetime.date(2020, 2, 29)) == (0, 1)
    assert years_months(datetime.date(2020, 1, 31), datetime.date(2020, 3, 31)) == (0, 2)


def test_no_closed_cycle_at_all_is_said_and_does_not_bar():
    c = crit(evaluate(officer(marks=[]), rule(min_average_mark=Decimal(12)), REF), "average_mark")
    assert c["met"] and "aucun cycle d'évaluation clos" in c["text"]


def test_the_frozen_inputs_are_the_json_document_the_row_keeps():
    import json

    from matricule.promotions.engine import Sanction

    rich = officer(
        grade_name='Sergent « chef » \\ "x"',
        marks=[(2025, Decimal("14.50")), (2024, None)],
        courses={7, 3},
        decorations=2,
        sanctions=[
            Sanction(on=datetime.date(2024, 3, 12), group=None, detail="Blâme"),
            Sanction(on=datetime.date(2025, 1, 2), group=2, detail='Mise à pied "8 j"'),
        ],
        pending_case="CD-2026/12",
        exam_score=Decimal("11.25"),
        excluded_grade_days=30,
        excluded_service_days=45,
    )
    assert json.loads(rich.frozen_json()) == {
        "grade": 'Sergent « chef » \\ "x"',
        "grade_since": "2022-03-01",
        "entry_date": "2010-10-01",
        "birth_date": "1985-03-14",
        "excluded_service_days": 45,
        "excluded_grade_days": 30,
        "marks": [[2025, "14.50"], [2024, None]],
        "courses": [3, 7],
        "decorations": 2,
        "sanctions": [["2024-03-12", None, "Blâme"], ["2025-01-02", 2, 'Mise à pied "8 j"']],
        "pending_case": "CD-2026/12",
        "exam_score": "11.25",
    }
    plain = json.loads(officer().frozen_json())
    assert plain["marks"] == [] and plain["sanctions"] == [] and plain["exam_score"] is None
