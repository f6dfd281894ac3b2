"""XLSX import of one stage's results: every row is checked first; one bad row and nothing
is written, with each problem named by row and column in French."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from matricule.core.audit import audit_record
from matricule.core.exports import Column, Sheet, workbook_bytes
from matricule.core.tabular import TabularError, TabularLimits, tabular_format, tabular_rows
from matricule.personnel.models import fold
from matricule.recruitment.models import Candidate, Cohort, Intake, IntakeStatus, Stage, StageResult
from matricule.recruitment.rules import StageSpec, stage_outcome
from matricule.recruitment.services import check_can_sit, refresh_elimination
from matricule.recruitment.services._common import invalidate_ranking

if TYPE_CHECKING:
    from matricule.accounts.models import User

MAX_ROWS = 50_000
MAX_BYTES = 10 * 1024 * 1024
NUMBER_HEADERS = {
    "numero",
    "n",
    "no",
    "n°",
    "numero de candidature",
    "n° de candidature",
    "candidat",
}
ABSENT_HEADERS = {"absent", "absence", "abs"}
NOTE_HEADERS = {"observation", "observations", "remarque"}
YES = {"oui", "o", "x", "1", "abs", "absent", "absente", "true", "vrai"}


class ImportRefused(Exception):
    """The file has problems; nothing was written. `problems` are French sentences."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    rows: int
    created: int
    corrected: int
    eliminated: int


def template_workbook(*, stage: Stage) -> bytes:
    """An empty sheet for the stage, with the candidates still in the running.

    Written by the shared export helper: a name typed as a formula stays text.
    """
    spec = StageSpec.load(stage)
    candidates = Candidate.objects.filter(
        intake_id=stage.intake_id,
        eligible=True,
        withdrawn_on__isnull=True,
        eliminated_stage__isnull=True,
    ).order_by("application_number")
    columns = [
        Column(_("Numéro"), 14),
        Column(_("Nom"), 20),
        Column(_("Prénom(s)"), 24),
        *[Column(code, 10) for code in spec.input_codes],
        Column(_("Absent"), 8),
    ]
    rows = candidates.values_list("application_number", "family_name", "given_names")
    return workbook_bytes(
        [
            Sheet(
                title=str(stage.get_kind_display()),
                columns=columns,
                rows=rows.iterator(chunk_size=2000),
            )
        ]
    )


def _header_key(value: Any) -> str:
    return fold(str(value or "")).strip()


# Read through the shared safe reader (core.tabular): a zip bomb or a sheet of millions
# of rows is refused, with its limit named, before or while reading.
LIMITS = TabularLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1, max_columns=100)


def results_import(*, stage: Stage, data: bytes, filename: str, by: User | None) -> ImportReport:
    """Check every row of the file, then write all results at once, or none."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([_("Fichier trop volumineux (10 Mo au plus).")])
    name = filename if tabular_format(filename) else "resultats.xlsx"
    try:
        return _results_import(stage=stage, data=data, filename=name, by=by)
    except TabularError as error:
        raise ImportRefused([str(error)]) from error


def _results_import(*, stage: Stage, data: bytes, filename: str, by: User | None) -> ImportReport:
    records = tabular_rows(io.BytesIO(data), filename, LIMITS)
    first = next(records, None)
    if first is None:
        raise ImportRefused([_("Le fichier est vide.")])
    header = first[1]
    rows = (cells for _number, cells in records)
    spec = StageSpec.load(stage)
    codes = {fold(c): c for c in spec.input_codes}
    columns: dict[str, int] = {}
    absent_col = note_col = None
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if key in NUMBER_HEADERS and "numero" not in columns:
            columns["numero"] = index
        elif key in codes:
            columns[codes[key]] = index
        elif key in ABSENT_HEADERS:
            absent_col = index
        elif key in NOTE_HEADERS:
            note_col = index
    problems: list[str] = []
    if "numero" not in columns:
        problems.append(_("Colonne « Numéro » (numéro de candidature) introuvable en ligne 1."))
    for code in spec.input_codes:
        if code not in columns:
            problems.append(
                _(
                    "Colonne « %(c)s » introuvable en ligne 1 "
                    "(colonnes attendues : Numéro, %(all)s)."
                )
                % {"c": code, "all": ", ".join(spec.input_codes)}
            )
    if problems:
        raise ImportRefused(problems)

    intake = Intake.objects.get(pk=stage.intake_id)
    candidates = {
        c.application_number: c
        for c in Candidate.objects.filter(intake=intake).only(
            "id", "application_number", "sex", "eligible", "withdrawn_on", "intake_id"
        )
    }
    stage_orders = list(intake.stages.values_list("order", flat=True))
    passed: dict[int, set[int]] = {}
    for cid, order in (
        StageResult.objects.filter(stage__intake=intake, passed=True, stage__order__lt=stage.order)
        .values_list("candidate_id", "stage__order")
        .iterator(chunk_size=5000)
    ):
        passed.setdefault(cid, set()).add(order)

    def cell_name(col: int) -> str:
        return f"{get_column_letter(col + 1)} (« {header[col]} »)"

    parsed: list[tuple[Candidate, Any, bool, str]] = []
    seen: dict[str, int] = {}
    line = 1
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            problems.append(_("Plus de %(n)s lignes : découpez le fichier.") % {"n": MAX_ROWS})
            break
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        values = list(row) + [None] * (len(header) - len(row))
        number = str(values[columns["numero"]] or "").strip().upper()
        if isinstance(values[columns["numero"]], float) and values[columns["numero"]].is_integer():
            number = str(int(values[columns["numero"]]))
        where = _("Ligne %(l)s") % {"l": line}
        candidate = candidates.get(number)
        if not number:
            problems.append(
                _("%(w)s, colonne %(c)s : numéro de candidature manquant.")
                % {"w": where, "c": cell_name(columns["numero"])}
            )
            continue
        if candidate is None:
            problems.append(
                _("%(w)s, colonne %(c)s : aucun candidat n° « %(n)s » dans ce concours.")
                % {"w": where, "c": cell_name(columns["numero"]), "n": number}
            )
            continue
        if number in seen:
            problems.append(
                _("%(w)s : le candidat n° %(n)s figure déjà en ligne %(p)s.")
                % {"w": where, "n": number, "p": seen[number]}
            )
            continue
        seen[number] = line
        why = check_can_sit(
            candidate,
            stage,
            stage_orders=stage_orders,
            passed_orders=passed.get(candidate.pk, set()),
        )
        if why:
            problems.append(
                _("%(w)s : candidat n° %(n)s — %(why)s.") % {"w": where, "n": number, "why": why}
            )
            continue
        absent = absent_col is not None and fold(str(values[absent_col] or "")) in YES
        raw = {code: values[index] for code, index in columns.items() if code != "numero"}
        try:
            verdict = stage_outcome(spec, sex=candidate.sex, absent=absent, values=raw)
        except ValueError as error:
            found = error.args[0] if isinstance(error.args[0], dict) else {"note": str(error)}
            for code, message in found.items():
                col = columns.get(code)
                problems.append(
                    _("%(w)s, colonne %(c)s : %(m)s.")
                    % {"w": where, "c": cell_name(col) if col is not None else code, "m": message}
                )
            continue
        note = str(values[note_col] or "").strip()[:255] if note_col is not None else ""
        parsed.append((candidate, verdict, absent, note))
    if problems:
        raise ImportRefused(problems)
    if not parsed:
        raise ImportRefused([_("Aucune ligne de résultat dans le fichier.")])
    return _write(stage=stage, intake=intake, parsed=parsed, filename=filename, by=by)


def _write(
    *,
    stage: Stage,
    intake: Intake,
    parsed: list[tuple[Candidate, Any, bool, str]],
    filename: str,
    by: User | None,
) -> ImportReport:
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        if (
            locked.status in (IntakeStatus.DRAFT, IntakeStatus.GRADUATED)
            or Cohort.objects.filter(intake=locked).exists()
        ):
            raise ImportRefused(
                [_("Les résultats de ce concours ne peuvent pas être saisis maintenant.")]
            )
        ids = [c.pk for c, _v, _a, _n in parsed]
        existing: dict[int, StageResult] = {}
        for start in range(0, len(ids), 900):
            for result in StageResult.objects.filter(
                stage=stage, candidate_id__in=ids[start : start + 900]
            ):
                existing[result.candidate_id] = result
        creates: list[StageResult] = []
        updates: list[StageResult] = []
        corrections: list[dict[str, Any]] = []
        now = timezone.now()
        for candidate, verdict, absent, note in parsed:
            found = existing.get(candidate.pk)
            if found is None:
                result = StageResult(candidate_id=candidate.pk, stage=stage)
                creates.append(result)
            else:
                result = found
                if (result.mark, result.fit, result.absent) != (verdict.mark, verdict.fit, absent):
                    corrections.append(
                        {
                            "candidat": candidate.application_number,
                            "avant": [str(result.mark), result.fit, result.absent],
                            "apres": [str(verdict.mark), verdict.fit, absent],
                        }
                    )
                updates.append(result)
            result.mark = verdict.mark
            result.fit = verdict.fit
            result.absent = absent
            result.passed = verdict.passed
            result.detail = verdict.detail
            result.note = note
            result.entered_by = by
            result.entered_at = now
        StageResult.objects.bulk_create(creates, batch_size=1000)
        StageResult.objects.bulk_update(
            updates,
            ["mark", "fit", "absent", "passed", "detail", "note", "entered_by", "entered_at"],
            batch_size=500,
        )
        refresh_elimination(ids, intake=locked)
        eliminated = sum(1 for _c, v, _a, _n in parsed if not v.passed)
        invalidate_ranking(locked, by=by)
        audit_record(
            by=by,
            action="result.import",
            obj=stage,
            after={
                "fichier": filename[:120],
                "lignes": len(parsed),
                "nouveaux": len(creates),
                "corriges": corrections[:2000],
                "elimines": eliminated,
            },
        )
    return ImportReport(
        rows=len(parsed), created=len(creates), corrected=len(corrections), eliminated=eliminated
    )


def assignments_import(*, cohort: Cohort, data: bytes, filename: str, by: User | None) -> int:
    """The assignment table from XLSX: Numéro, Unité (code) and optionally Moyenne.

    Every row is checked first; one bad row and nothing is written.
    """
    if len(data) > MAX_BYTES:
        raise ImportRefused([_("Fichier trop volumineux (10 Mo au plus).")])
    name = filename if tabular_format(filename) else "affectations.xlsx"
    try:
        return _assignments_import(cohort=cohort, data=data, filename=name, by=by)
    except TabularError as error:
        raise ImportRefused([str(error)]) from error


def _assignments_import(*, cohort: Cohort, data: bytes, filename: str, by: User | None) -> int:
    from decimal import Decimal

    from matricule.core.models import Unit
    from matricule.recruitment.models import CohortMember
    from matricule.recruitment.rules import parse_mark
    from matricule.recruitment.services import TRAINING_PASS_MARK

    records = tabular_rows(io.BytesIO(data), filename, LIMITS)
    first = next(records, None)
    header = first[1] if first else []
    rows = (cells for _number, cells in records)
    keys = [_header_key(h) for h in header]
    number_col = next((i for i, k in enumerate(keys) if k in NUMBER_HEADERS), None)
    unit_col = next(
        (i for i, k in enumerate(keys) if k in {"unite", "code unite", "affectation"}), None
    )
    mark_col = next(
        (i for i, k in enumerate(keys) if k in {"moyenne", "note", "moyenne de formation"}), None
    )
    if number_col is None or unit_col is None:
        raise ImportRefused(
            [_("Colonnes « Numéro » et « Unité » (code de l'unité) attendues en ligne 1.")]
        )
    members = {
        m.candidate.application_number: m
        for m in CohortMember.objects.filter(cohort=cohort).select_related("candidate")
    }
    agency_id = cohort.school.agency_id
    units = {u.code.upper(): u for u in Unit.objects.filter(agency_id=agency_id, is_active=True)}
    problems: list[str] = []
    planned: list[tuple[CohortMember, Unit, Decimal | None]] = []
    for line, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        values = list(row) + [None] * (len(header) - len(row))
        raw_number = values[number_col]
        number = (
            str(int(raw_number))
            if isinstance(raw_number, float) and raw_number.is_integer()
            else str(raw_number or "").strip().upper()
        )
        member = members.get(number)
        if member is None:
            problems.append(
                _("Ligne %(l)s, colonne %(c)s : aucun élève n° « %(n)s » dans cette promotion.")
                % {"l": line, "c": get_column_letter(number_col + 1), "n": number}
            )
            continue
        code = str(values[unit_col] or "").strip().upper()
        unit = units.get(code)
        if unit is None:
            problems.append(
                _("Ligne %(l)s, colonne %(c)s : unité « %(u)s » inconnue ou fermée.")
                % {"l": line, "c": get_column_letter(unit_col + 1), "u": code}
            )
            continue
        mark = None
        if mark_col is not None and values[mark_col] not in (None, ""):
            try:
                mark = parse_mark(values[mark_col])
            except ValueError as error:
                problems.append(
                    _("Ligne %(l)s, colonne %(c)s : %(m)s.")
                    % {"l": line, "c": get_column_letter(mark_col + 1), "m": error}
                )
                continue
        planned.append((member, unit, mark))
    if problems:
        raise ImportRefused(problems)
    if not planned:
        raise ImportRefused([_("Aucune ligne dans le fichier.")])
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.graduated_on is not None:
            raise ImportRefused(
                [_("Cette promotion est sortie : le tableau ne peut plus changer.")]
            )
        changed = []
        for member, unit, mark in planned:
            member.first_unit = unit
            if mark is not None:
                member.training_mark = mark
                member.passed = mark >= TRAINING_PASS_MARK
            changed.append(member)
        CohortMember.objects.bulk_update(
            changed, ["first_unit", "training_mark", "passed"], batch_size=500
        )
        audit_record(
            by=by,
            action="cohort.assignments_import",
            obj=locked,
            after={
                "fichier": filename[:120],
                "lignes": [
                    [m.candidate.application_number, u.code, str(mk) if mk is not None else None]
                    for m, u, mk in planned
                ],
            },
        )
    return len(planned)
