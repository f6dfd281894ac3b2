"""The eligibility engine: each criterion and each component for one officer, from inputs.

Pure functions over plain data (`OfficerInputs`, `RuleSpec`): the run reads every input in a
few bulk queries, then calls `evaluate` per officer and per applicable rule, with no query.
The result is what is frozen in the run (criteria, components, inputs).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import Any

from django.utils.translation import gettext as _

from matricule.core.dates import add_years, age_on
from matricule.promotions.models.rules import Component, MissingCycles, Route
from matricule.promotions.wording import Words, day, number, years_months

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Sanction:
    on: datetime.date
    group: int | None
    detail: str


@lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """A JSON string (grade names and case references repeat across the force)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class OfficerInputs:
    """What the run read about one officer, as of the reference date."""

    officer_id: int
    matricule: str
    full_name: str
    sex: str
    birth_date: datetime.date
    entry_date: datetime.date
    grade_id: int
    grade_name: str
    grade_since: datetime.date
    corps_name: str = ""
    region_name: str = ""
    # The school promotion the officer came out of, when recruited through Matricule.
    school_cohort: str = ""
    # Days suspended or on leave without pay, since entry and since the grade.
    excluded_service_days: int = 0
    excluded_grade_days: int = 0
    marks: list[tuple[int, Decimal | None]] = field(default_factory=list)
    courses: set[int] = field(default_factory=set)  # courses held and valid on the date
    decorations: int = 0
    sanctions: list[Sanction] = field(default_factory=list)
    pending_case: str = ""  # reference of a pending proceeding, "" when none
    exam_score: Decimal | None = None

    def frozen_json(self) -> str:
        """What the run read, as the JSON kept in the row (`Eligibility.inputs`).

        Written directly rather than through `json.dumps` of a dict: a run freezes 100,000
        of them, and the generic encoder was a sixth of the run (0.22 against 0.26 ms per
        officer on PostgreSQL). A test reads the text back with `json.loads`."""
        marks = ", ".join(f"[{y}, null]" if m is None else f'[{y}, "{m}"]' for y, m in self.marks)
        sanctions = ", ".join(
            f'["{s.on.isoformat()}", {"null" if s.group is None else s.group}, {_text(s.detail)}]'
            for s in self.sanctions
        )
        exam = "null" if self.exam_score is None else f'"{self.exam_score}"'
        return (
            f'{{"grade": {_text(self.grade_name)}, '
            f'"grade_since": "{self.grade_since.isoformat()}", '
            f'"entry_date": "{self.entry_date.isoformat()}", '
            f'"birth_date": "{self.birth_date.isoformat()}", '
            f'"excluded_service_days": {self.excluded_service_days}, '
            f'"excluded_grade_days": {self.excluded_grade_days}, '
            f'"marks": [{marks}], '
            f'"courses": [{", ".join(map(str, sorted(self.courses)))}], '
            f'"decorations": {self.decorations}, '
            f'"sanctions": [{sanctions}], '
            f'"pending_case": {_text(self.pending_case)}, '
            f'"exam_score": {exam}}}'
        )


@dataclass(frozen=True)
class RuleSpec:
    """A rule version as the engine needs it (read once per run)."""

    id: int
    target_grade_id: int
    target_grade_name: str
    route: str
    source_grade_ids: frozenset[int]
    source_grade_names: str
    min_years_in_grade: int
    min_years_of_service: int
    min_average_mark: Decimal | None
    mark_cycles: int
    missing_cycles: str
    required_courses: tuple[tuple[int, str], ...]
    max_sanction_group: int
    sanction_years: int
    no_pending_case: bool
    max_age: int | None
    min_exam_score: Decimal | None
    service_cap_years: int
    components: tuple[tuple[str, Decimal, Decimal | None], ...]  # code, weight, cap

    @cached_property
    def required_ids(self) -> frozenset[int]:
        return frozenset(cid for cid, _name in self.required_courses)


@dataclass
class Result:
    eligible: bool
    points: Decimal
    criteria: list[dict[str, Any]]
    components: list[dict[str, Any]]
    # Tie-breaks: more days in grade, then in service, then older (earlier birth).
    tie: tuple[int, int, int]


CRITERION_LABELS = {
    "source_grade": lambda: _("Grade d'origine"),
    "years_in_grade": lambda: _("Ancienneté dans le grade"),
    "years_of_service": lambda: _("Années de service"),
    "average_mark": lambda: _("Note moyenne des évaluations"),
    "required_courses": lambda: _("Formations obligatoires"),
    "sanctions": lambda: _("Sanctions"),
    "pending_case": lambda: _("Procédure disciplinaire en cours"),
    "age": lambda: _("Âge à la date de référence"),
    "exam_score": lambda: _("Note à l'examen professionnel"),
    "rule": lambda: _("Règle d'avancement"),
}


def criterion_label(code: str) -> str:
    label = CRITERION_LABELS.get(code)
    return label() if label else code


def _criterion(code: str, value: str, threshold: str, met: bool, text: str) -> dict[str, Any]:
    return {"code": code, "value": value, "threshold": threshold, "met": met, "text": text}


def shifted(start: datetime.date, excluded_days: int) -> datetime.date:
    """The start date moved later by the days that do not count."""
    return start + datetime.timedelta(days=excluded_days)


def average(
    marks: Sequence[tuple[int, Decimal | None]], rule: MissingCycles | str
) -> tuple[Decimal | None, int]:
    """The average of the cycles and the number missing, per the rule for missing cycles."""
    present = [m for _y, m in marks if m is not None]
    missing = len(marks) - len(present)
    if not marks:
        return None, 0
    if rule == MissingCycles.ZERO:
        values = [m if m is not None else Decimal(0) for _y, m in marks]
    else:
        values = present
    if not values:
        return None, missing
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO, ROUND_HALF_UP), missing


def no_rule_result(grade_name: str, words: Words | None = None) -> Result:
    w = words or Words()
    _ = w
    criterion = w.criterion(
        ("rule", grade_name),
        lambda: _criterion(
            "rule",
            grade_name,
            "—",
            False,
            _("Aucune règle d'avancement en vigueur ne part du grade « %(grade)s ».")
            % {"grade": grade_name},
        ),
    )
    return Result(
        eligible=False,
        points=Decimal(0),
        criteria=[criterion],
        components=[],
        tie=(0, 0, 0),
    )


def evaluate(
    o: OfficerInputs, rule: RuleSpec, ref: datetime.date, words: Words | None = None
) -> Result:
    """Every criterion with value, threshold and verdict, and the points of the formula.

    A run says the same few things of 100,000 officers: each criterion is phrased once per
    distinct set of facts it depends on (its key) and the same dict is reused after that
    (`Words.criterion`); the dicts are shared, so they are never changed in place.
    """
    w = words or Words()
    _ = w
    criteria: list[dict[str, Any]] = []
    add = criteria.append
    memo = w.criterion

    met = o.grade_id in rule.source_grade_ids
    add(
        memo(
            ("source_grade", o.grade_name, rule.source_grade_names, met),
            lambda: _criterion(
                "source_grade",
                o.grade_name,
                rule.source_grade_names,
                met,
                _("grade actuel « %(grade)s » (grades d'origine : %(sources)s) : %(verdict)s")
                % {
                    "grade": o.grade_name,
                    "sources": rule.source_grade_names,
                    "verdict": w.verdict(met),
                },
            ),
        )
    )

    grade_start = shifted(o.grade_since, o.excluded_grade_days)
    gy, gm = years_months(grade_start, ref)
    met = add_years(grade_start, rule.min_years_in_grade) <= ref

    def years_in_grade() -> dict[str, Any]:
        note = (
            _(" (%(days)d jours de suspension ou de congé sans solde non comptés)")
            % {"days": o.excluded_grade_days}
            if o.excluded_grade_days
            else ""
        )
        return _criterion(
            "years_in_grade",
            w.duration(gy, gm),
            w.duration(rule.min_years_in_grade),
            met,
            _("%(value)s dans le grade (minimum %(min)s)%(note)s : %(verdict)s")
            % {
                "value": w.duration(gy, gm),
                "min": w.duration(rule.min_years_in_grade),
                "note": note,
                "verdict": w.verdict(met),
            },
        )

    add(
        memo(
            ("years_in_grade", gy, gm, rule.min_years_in_grade, o.excluded_grade_days, met),
            years_in_grade,
        )
    )

    service_start = shifted(o.entry_date, o.excluded_service_days)
    if rule.min_years_of_service:
        sy, sm = years_months(service_start, ref)
        met = add_years(service_start, rule.min_years_of_service) <= ref
        add(
            memo(
                ("years_of_service", sy, sm, rule.min_years_of_service, met),
                lambda: _criterion(
                    "years_of_service",
                    w.duration(sy, sm),
                    w.duration(rule.min_years_of_service),
                    met,
                    _("%(value)s de service (minimum %(min)s) : %(verdict)s")
                    % {
                        "value": w.duration(sy, sm),
                        "min": w.duration(rule.min_years_of_service),
                        "verdict": w.verdict(met),
                    },
                ),
            )
        )

    cycles = o.marks[: rule.mark_cycles]
    avg, missing = average(cycles, rule.missing_cycles)
    if rule.min_average_mark is not None and not cycles:
        # No evaluation cycle was ever closed for the officer's service: nothing to assess.
        add(
            memo(
                ("average_mark", None, rule.min_average_mark, rule.mark_cycles),
                lambda: _criterion(
                    "average_mark",
                    _("aucun cycle d'évaluation clos"),
                    _("%(min)s/20 sur les %(n)d derniers cycles")
                    % {"min": number(rule.min_average_mark), "n": rule.mark_cycles},
                    True,
                    _("aucun cycle d'évaluation clos : critère sans objet : rempli"),
                ),
            )
        )
    elif rule.min_average_mark is not None:
        if rule.missing_cycles == MissingCycles.FAIL and missing:
            met = False
        else:
            met = avg is not None and avg >= rule.min_average_mark
        minimum = rule.min_average_mark

        def average_mark() -> dict[str, Any]:
            value = (
                _("%(avg)s/20 sur %(n)d cycles") % {"avg": number(avg), "n": len(cycles) - missing}
                if avg is not None
                else _("aucune note")
            )
            if missing:
                value += " " + _("(%(n)d cycle(s) manquant(s))") % {"n": missing}
            threshold = _("%(min)s/20 sur les %(n)d derniers cycles") % {
                "min": number(minimum),
                "n": rule.mark_cycles,
            }
            return _criterion(
                "average_mark",
                value,
                threshold,
                met,
                _("note moyenne %(value)s (minimum %(threshold)s) : %(verdict)s")
                % {"value": value, "threshold": threshold, "verdict": w.verdict(met)},
            )

        add(
            memo(
                ("average_mark", avg, len(cycles), missing, minimum, rule.mark_cycles, met),
                average_mark,
            )
        )

    if rule.required_courses:
        lacking = tuple(name for cid, name in rule.required_courses if cid not in o.courses)

        def required_courses() -> dict[str, Any]:
            held = len(rule.required_courses) - len(lacking)
            met = not lacking
            value = _("%(held)d sur %(total)d") % {
                "held": held,
                "total": len(rule.required_courses),
            }
            text = _("formations obligatoires détenues et valides : %(value)s : %(verdict)s") % {
                "value": value,
                "verdict": w.verdict(met),
            }
            if lacking:
                text += " — " + _("manque : %(list)s") % {"list": ", ".join(lacking)}
            return _criterion(
                "required_courses",
                value,
                ", ".join(name for _cid, name in rule.required_courses),
                met,
                text,
            )

        add(memo(("required_courses", rule.required_courses, lacking), required_courses))

    since = add_years(ref, -rule.sanction_years)
    window = [s for s in o.sanctions if since < s.on <= ref] if o.sanctions else []
    # A sanction whose group was never recorded (old register) counts as 1st group.
    too_heavy = tuple(s for s in window if (s.group or 1) > rule.max_sanction_group)

    def sanctions() -> dict[str, Any]:
        met = not too_heavy
        heavier = rule.max_sanction_group + 1
        if heavier > 4:
            threshold = _("sans limite de groupe")
        elif rule.max_sanction_group == 0:
            threshold = _("aucune sanction depuis %(years)s") % {
                "years": w.duration(rule.sanction_years)
            }
        else:
            threshold = _("aucune sanction du %(group)s ou au-delà depuis %(years)s") % {
                "group": w.group_ordinal(heavier),
                "years": w.duration(rule.sanction_years),
            }
        value = (
            "; ".join(
                _("%(sanction)s du %(date)s") % {"sanction": s.detail, "date": day(s.on)}
                for s in too_heavy
            )
            if too_heavy
            else _("aucune")
        )
        text = f"{threshold} : {w.verdict(met)}"
        if too_heavy:
            text += f" — {value}"
        return _criterion("sanctions", value, threshold, met, text)

    add(memo(("sanctions", rule.max_sanction_group, rule.sanction_years, too_heavy), sanctions))

    if rule.no_pending_case:
        case = o.pending_case

        def pending_case() -> dict[str, Any]:
            value = _("procédure %(ref)s en cours") % {"ref": case} if case else _("aucune")
            return _criterion(
                "pending_case",
                value,
                _("aucune"),
                not case,
                _("procédure disciplinaire en cours : %(value)s : %(verdict)s")
                % {"value": value, "verdict": w.verdict(not case)},
            )

        add(memo(("pending_case", case), pending_case))

    if rule.max_age is not None:
        age = age_on(o.birth_date, ref)
        max_age = rule.max_age
        met = age <= max_age
        add(
            memo(
                ("age", age, max_age),
                lambda: _criterion(
                    "age",
                    w.duration(age),
                    w.duration(max_age),
                    age <= max_age,
                    _("%(age)s à la date de référence (maximum %(max)s) : %(verdict)s")
                    % {
                        "age": w.duration(age),
                        "max": w.duration(max_age),
                        "verdict": w.verdict(age <= max_age),
                    },
                ),
            )
        )

    if rule.route == Route.EXAM or rule.min_exam_score is not None:
        minimum = rule.min_exam_score if rule.min_exam_score is not None else Decimal(10)
        score = o.exam_score
        met = score is not None and score >= minimum

        def exam_score() -> dict[str, Any]:
            value = (
                _("%(score)s/20") % {"score": number(score)}
                if score is not None
                else _("non présenté")
            )
            return _criterion(
                "exam_score",
                value,
                _("%(min)s/20") % {"min": number(minimum)},
                met,
                _("note d'examen %(value)s (minimum %(min)s/20) : %(verdict)s")
                % {"value": value, "min": number(minimum), "verdict": w.verdict(met)},
            )

        add(memo(("exam_score", score, minimum, met), exam_score))

    eligible = all(c["met"] for c in criteria)

    values: dict[str, Decimal] = {}
    for code, _weight, _cap in rule.components:
        if code == Component.YEARS_IN_GRADE:
            values[code] = _years((ref - grade_start).days)
        elif code == Component.YEARS_OF_SERVICE:
            values[code] = min(_years((ref - service_start).days), Decimal(rule.service_cap_years))
        elif code == Component.AVERAGE_MARK:
            values[code] = avg or Decimal(0)
        elif code == Component.EXAM_SCORE:
            values[code] = o.exam_score or Decimal(0)
        elif code == Component.REQUIRED_COURSES:
            values[code] = Decimal(len(rule.required_ids & o.courses))
        elif code == Component.OPTIONAL_COURSES:
            values[code] = Decimal(len(o.courses - rule.required_ids))
        elif code == Component.DECORATIONS:
            values[code] = Decimal(o.decorations)
        elif code == Component.SANCTIONS:
            values[code] = Decimal(sum(s.group or 1 for s in window))
    components = []
    total = Decimal(0)
    for code, weight, cap in rule.components:
        value_ = values.get(code, Decimal(0))
        if cap is not None:
            value_ = min(value_, cap)
        sign = -1 if code == Component.SANCTIONS else 1
        pts, component = w.component(
            (code, value_, weight, cap, sign),
            lambda: _component(code, value_, weight, cap, sign),  # noqa: B023 - called at once
        )
        total += pts
        components.append(component)
    tie = (
        (ref - grade_start).days,
        (ref - service_start).days,
        (ref - o.birth_date).days,
    )
    return Result(eligible, total, criteria, components, tie)


def _component(
    code: str, value: Decimal, weight: Decimal, cap: Decimal | None, sign: int
) -> tuple[Decimal, dict[str, Any]]:
    pts = (sign * weight * value).quantize(TWO, ROUND_HALF_UP)
    return pts, {
        "code": code,
        "value": str(value.quantize(TWO)),
        "weight": str(weight),
        "cap": None if cap is None else str(cap),
        "points": str(pts),
    }


@lru_cache(maxsize=65536)
def _years(days: int) -> Decimal:
    """Years of 365.25 days, to the hundredth."""
    if days <= 0:
        return Decimal(0)
    return (Decimal(days) / Decimal("365.25")).quantize(TWO, ROUND_HALF_UP)


def rank_key(points: Decimal, tie: tuple[int, int, int], matricule: str) -> tuple[Any, ...]:
    """Order of the list: points, then seniority in grade, in service, then age."""
    return (-points, -tie[0], -tie[1], -tie[2], matricule)


TIE_BREAKS: tuple[Callable[[], str], ...] = (
    lambda: _("plus grande ancienneté dans le grade"),
    lambda: _("puis plus grande ancienneté de service"),
    lambda: _("puis l'agent le plus âgé"),
)
