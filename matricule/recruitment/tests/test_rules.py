from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from matricule.recruitment.models import Intake, PassRule, Stage, StageKind
from matricule.recruitment.rules import (
    ScoringTable,
    StageSpec,
    age_on,
    eligibility_reasons,
    parse_mark,
    stage_outcome,
    weighted_score,
)

D = datetime.date


def _intake(**kw: object) -> Intake:
    base = {
        "age_reference_date": D(2026, 12, 31),
        "age_min": 18,
        "age_max": 25,
        "min_diploma": 4,
        "nationality_required": "malienne",
        "marital_status_required": "",
    }
    base.update(kw)
    return Intake(**base)


def _reasons(intake: Intake, birth: datetime.date, **kw: object) -> list[str]:
    args = {"diploma": 4, "nationality": "Malienne", "marital_status": "single"}
    args.update(kw)
    return eligibility_reasons(intake=intake, birth_date=birth, **args)  # type: ignore[arg-type]


def test_age_is_counted_in_completed_years_on_the_stated_date():
    assert age_on(D(2001, 1, 1), D(2026, 12, 31)) == 25
    assert age_on(D(2000, 12, 31), D(2026, 12, 31)) == 26
    assert age_on(D(2001, 1, 1), D(2026, 12, 30)) == 25
    assert age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17


@pytest.mark.parametrize(
    ("birth", "ok"),
    [
        (D(2001, 1, 1), True),  # 25 on the reference date: still eligible
        (D(2000, 12, 31), False),  # turns 26 on the reference date itself
        (D(2008, 12, 31), True),  # turns 18 on the reference date itself
        (D(2009, 1, 1), False),  # 17 on the reference date
    ],
)
def test_age_boundaries_on_the_reference_date(birth, ok):
    reasons = _reasons(_intake(), birth)
    assert (not reasons) is ok
    if not ok:
        assert "31/12/2026" in reasons[0]


def test_too_old_reason_is_in_french_with_the_age_and_limit():
    (reason,) = _reasons(_intake(), D(1999, 6, 1))
    assert reason == "Âge limite dépassé : 27 ans au 31/12/2026 (maximum 25 ans)."


def test_diploma_below_the_minimum_is_refused_with_both_levels_named():
    (reason,) = _reasons(_intake(), D(2003, 1, 1), diploma=1)
    assert reason.startswith("Diplôme insuffisant : DEF")
    assert "Baccalauréat" in reason
    assert not _reasons(_intake(), D(2003, 1, 1), diploma=6)


def test_nationality_is_compared_without_case_or_accents():
    assert not _reasons(_intake(), D(2003, 1, 1), nationality="MALIENNE")
    (reason,) = _reasons(_intake(), D(2003, 1, 1), nationality="sénégalaise")
    assert reason.startswith("Nationalité exigée : malienne")


def test_marital_status_only_when_the_statute_requires_it():
    assert not _reasons(_intake(), D(2003, 1, 1), marital_status="married")
    (reason,) = _reasons(
        _intake(marital_status_required="single"), D(2003, 1, 1), marital_status="married"
    )
    assert reason == "Situation de famille exigée : célibataire (déclarée : marié(e))."


def test_several_reasons_are_all_given():
    reasons = _reasons(_intake(), D(1990, 1, 1), diploma=0, nationality="ivoirienne")
    assert len(reasons) == 3


@pytest.mark.parametrize("raw", ["21", "-1", "abc", "", None, "nan", "inf"])
def test_bad_marks_are_refused(raw):
    with pytest.raises(ValueError):
        parse_mark(raw)


def test_marks_accept_the_french_decimal_comma():
    assert parse_mark("12,5") == Decimal("12.50")


def test_scoring_table_for_times_and_for_repetitions():
    times = ScoringTable(False, ((Decimal(13), Decimal(20)), (Decimal(15), Decimal(10))))
    assert times.points(Decimal("12.9")) == 20
    assert times.points(Decimal("13")) == 20
    assert times.points(Decimal("14")) == 10
    assert times.points(Decimal("16")) == 0
    reps = ScoringTable(True, ((Decimal(40), Decimal(20)), (Decimal(20), Decimal(10))))
    assert reps.points(Decimal(45)) == 20
    assert reps.points(Decimal(20)) == 10
    assert reps.points(Decimal(19)) == 0


def test_a_mark_below_the_pass_mark_fails_with_the_reason():
    stage = Stage(kind=StageKind.INTERVIEW, rule=PassRule.MARK, pass_mark=Decimal(10), order=1)
    spec = StageSpec(stage=stage)
    verdict = stage_outcome(spec, sex="M", absent=False, values={"note": "9,5"})
    assert not verdict.passed
    assert (
        verdict.reason
        == "Note de 9,50/20 à l'épreuve « Entretien », inférieure au minimum de 10,00/20."
    )
    assert stage_outcome(spec, sex="M", absent=False, values={"note": "10"}).passed


def test_absence_fails_the_stage():
    stage = Stage(kind=StageKind.MEDICAL, rule=PassRule.FIT, order=1)
    verdict = stage_outcome(StageSpec(stage=stage), sex="F", absent=True, values={})
    assert not verdict.passed
    assert "Absent" in verdict.reason


def test_weighted_score():
    assert weighted_score([(Decimal(12), Decimal(3)), (Decimal(16), Decimal(1))]) == Decimal(
        "13.000"
    )
    assert weighted_score([]) == 0


def test_integer_score_matches_the_decimal_rule_exactly():
    import random

    from matricule.recruitment.services.ranking import score_milli

    rng = random.Random(3)
    for _ in range(2000):
        pairs = [
            (Decimal(rng.randint(0, 2000)) / 100, Decimal(rng.randint(1, 500)) / 100)
            for _ in range(rng.randint(1, 5))
        ]
        exact = weighted_score(pairs)
        fast = score_milli([(int(m * 100), int(w * 100)) for m, w in pairs])
        assert Decimal(fast) / 1000 == exact, pairs
