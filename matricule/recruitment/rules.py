"""The rules of a concours, as pure functions: eligibility, stage marks, pass or fail.

Nothing here touches the database, so each rule is tested on its own and the services,
the XLSX import and the API all apply exactly the same ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from matricule.core.dates import age_on
from matricule.personnel.models import MaritalStatus, fold
from matricule.recruitment.models import (
    DiplomaLevel,
    Intake,
    PassRule,
    PhysicalEvent,
    Stage,
    StageKind,
    WrittenSubject,
)

TWO_PLACES = Decimal("0.01")
TWENTY = Decimal(20)


def eligibility_reasons(
    *,
    intake: Intake,
    birth_date: datetime.date,
    diploma: int,
    nationality: str,
    marital_status: str,
) -> list[str]:
    """Why a candidate may not sit the concours, in French; an empty list means eligible."""
    reasons: list[str] = []
    day = intake.age_reference_date
    age = age_on(birth_date, day)
    if age < intake.age_min:
        reasons.append(
            _("Âge insuffisant : %(age)s ans au %(day)s (minimum %(min)s ans).")
            % {"age": age, "day": f"{day:%d/%m/%Y}", "min": intake.age_min}
        )
    elif age > intake.age_max:
        reasons.append(
            _("Âge limite dépassé : %(age)s ans au %(day)s (maximum %(max)s ans).")
            % {"age": age, "day": f"{day:%d/%m/%Y}", "max": intake.age_max}
        )
    if diploma < intake.min_diploma:
        reasons.append(
            _("Diplôme insuffisant : %(has)s ; minimum exigé : %(min)s.")
            % {
                "has": DiplomaLevel(diploma).label,
                "min": DiplomaLevel(intake.min_diploma).label,
            }
        )
    required = intake.nationality_required.strip()
    if required and fold(nationality) != fold(required):
        reasons.append(
            _("Nationalité exigée : %(req)s (déclarée : %(has)s).")
            % {"req": required, "has": nationality or "—"}
        )
    if intake.marital_status_required and marital_status != intake.marital_status_required:
        reasons.append(
            _("Situation de famille exigée : %(req)s (déclarée : %(has)s).")
            % {
                "req": MaritalStatus(intake.marital_status_required).label.lower(),
                "has": MaritalStatus(marital_status).label.lower() if marital_status else "—",
            }
        )
    return reasons


def quantize(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def parse_mark(raw: Any) -> Decimal:
    """A mark out of 20 from a form, a cell or JSON: '12,5', 12.5 or Decimal('12.5')."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("note manquante"))
    text = str(raw).strip().replace(",", ".")
    if not text:
        raise ValueError(_("note manquante"))
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValueError(_("« %(v)s » n'est pas une note") % {"v": str(raw)[:20]}) from None
    if not value.is_finite() or value < 0 or value > TWENTY:
        raise ValueError(_("note « %(v)s » hors de 0 à 20") % {"v": str(raw)[:20]})
    return quantize(value)


def parse_performance(raw: Any) -> Decimal:
    if isinstance(raw, bool) or raw is None or not str(raw).strip():
        raise ValueError(_("performance manquante"))
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValueError(
            _("« %(v)s » n'est pas une performance chiffrée") % {"v": str(raw)[:20]}
        ) from None
    if not value.is_finite() or value < 0 or value > 100_000:
        raise ValueError(_("performance « %(v)s » impossible") % {"v": str(raw)[:20]})
    return value


FIT_WORDS = {"apte": True, "oui": True, "a": True, "inapte": False, "non": False, "i": False}


def parse_fit(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = fold(str(raw or ""))
    if word not in FIT_WORDS:
        raise ValueError(_("« %(v)s » : écrivez « apte » ou « inapte »") % {"v": str(raw)[:20]})
    return FIT_WORDS[word]


@dataclass(frozen=True)
class ScoringTable:
    """Points of a physical event for one sex: the best line whose threshold is reached."""

    higher_is_better: bool
    lines: tuple[tuple[Decimal, Decimal], ...]  # (threshold, points)

    def points(self, performance: Decimal) -> Decimal:
        best = Decimal(0)
        for threshold, points in self.lines:
            reached = (
                performance >= threshold if self.higher_is_better else performance <= threshold
            )
            if reached and points > best:
                best = points
        return best


@dataclass
class StageSpec:
    """A stage with what is needed to compute its marks, loaded once per import or entry."""

    stage: Stage
    subjects: list[WrittenSubject] = field(default_factory=list)
    events: list[PhysicalEvent] = field(default_factory=list)
    tables: dict[tuple[str, str], ScoringTable] = field(default_factory=dict)  # (code, sex)

    @classmethod
    def load(cls, stage: Stage) -> StageSpec:
        spec = cls(stage=stage)
        if stage.kind == StageKind.WRITTEN:
            spec.subjects = list(stage.subjects.all())
        if stage.kind == StageKind.PHYSICAL:
            spec.events = list(stage.events.prefetch_related("scoring"))
            for event in spec.events:
                for sex in ("M", "F"):
                    lines = tuple(
                        (row.threshold, row.points) for row in event.scoring.all() if row.sex == sex
                    )
                    spec.tables[(event.code, sex)] = ScoringTable(event.higher_is_better, lines)
        return spec

    @property
    def input_codes(self) -> list[str]:
        """What is typed for this stage: subject codes, event codes, or the single mark/verdict."""
        if self.stage.kind == StageKind.WRITTEN:
            return [s.code for s in self.subjects]
        if self.stage.kind == StageKind.PHYSICAL:
            return [e.code for e in self.events]
        return ["avis" if self.stage.rule == PassRule.FIT else "note"]


@dataclass(frozen=True)
class StageVerdict:
    mark: Decimal | None
    fit: bool | None
    passed: bool
    detail: dict[str, Any]
    reason: str  # why the candidate failed; empty when passed


def stage_outcome(
    spec: StageSpec, *, sex: str, absent: bool, values: Mapping[str, Any]
) -> StageVerdict:
    """Compute a stage's mark and verdict from what was typed; raises ValueError per input.

    `values` maps each input code (see StageSpec.input_codes) to its raw value. Errors are
    raised as a dict {code: message} inside the ValueError's first argument.
    """
    stage = spec.stage
    label = stage.get_kind_display()
    if absent:
        return StageVerdict(
            None, None, False, {}, _("Absent(e) à l'épreuve « %(s)s ».") % {"s": label}
        )
    errors: dict[str, str] = {}
    mark: Decimal | None = None
    fit: bool | None = None
    detail: dict[str, Any] = {}
    if stage.kind == StageKind.WRITTEN:
        if not spec.subjects:
            raise ValueError({"note": _("Aucune matière n'est définie pour cette épreuve écrite.")})
        marks: dict[str, Decimal] = {}
        for subject in spec.subjects:
            try:
                marks[subject.code] = parse_mark(values.get(subject.code))
            except ValueError as error:
                errors[subject.code] = str(error)
        if not errors:
            total = sum((marks[s.code] * s.coefficient for s in spec.subjects), Decimal(0))
            weight = sum((s.coefficient for s in spec.subjects), Decimal(0))
            mark = quantize(total / weight)
            detail = {"matieres": {code: str(m) for code, m in marks.items()}}
    elif stage.kind == StageKind.PHYSICAL:
        if not spec.events:
            raise ValueError({"note": _("Aucune épreuve physique n'est définie.")})
        points: dict[str, Decimal] = {}
        performances: dict[str, str] = {}
        for event in spec.events:
            try:
                performance = parse_performance(values.get(event.code))
            except ValueError as error:
                errors[event.code] = str(error)
                continue
            performances[event.code] = str(performance)
            table = spec.tables.get((event.code, sex))
            points[event.code] = table.points(performance) if table else Decimal(0)
        if not errors:
            mark = quantize(sum(points.values(), Decimal(0)) / len(points))
            detail = {
                "performances": performances,
                "points": {code: str(p) for code, p in points.items()},
            }
    elif stage.rule == PassRule.FIT:
        try:
            fit = parse_fit(values.get("avis"))
        except ValueError as error:
            errors["avis"] = str(error)
    else:
        try:
            mark = parse_mark(values.get("note"))
        except ValueError as error:
            errors["note"] = str(error)
    if errors:
        raise ValueError(errors)
    if stage.rule == PassRule.FIT:
        passed = bool(fit)
        reason = "" if passed else _("Déclaré(e) inapte à l'épreuve « %(s)s ».") % {"s": label}
    else:
        assert mark is not None
        pass_mark = stage.pass_mark if stage.pass_mark is not None else Decimal(0)
        passed = mark >= pass_mark
        reason = (
            ""
            if passed
            else _("Note de %(m)s/20 à l'épreuve « %(s)s », inférieure au minimum de %(p)s/20.")
            % {"m": _fr(mark), "s": label, "p": _fr(pass_mark)}
        )
    return StageVerdict(mark, fit, passed, detail, reason)


def _fr(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def weighted_score(marks: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ weight × mark / Σ weight, to three decimals; (mark, weight) pairs."""
    total = Decimal(0)
    weights = Decimal(0)
    for mark, weight in marks:
        total += mark * weight
        weights += weight
    if not weights:
        return Decimal(0)
    return (total / weights).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
