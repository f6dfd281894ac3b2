"""Bulk import of reference data from XLSX/CSV: units with their parents, grades with their
order in a corps — for a force that starts from scratch.

Every row is checked first (French messages naming the row and column); one bad row and
nothing is written. Rows are written through `reference_save`, so each unit and grade is
validated and audited like one entered on the reference screens. Existing codes are
updated only where the file says something different (importing the same file twice
changes nothing). Units may come in any order: a unit whose parent is further down the
file waits for it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from matricule.core.models import (
    Agency,
    Corps,
    Grade,
    GradeBand,
    Region,
    StatuteVersion,
    Unit,
    UnitType,
)
from matricule.core.services import reference_save
from matricule.core.tabular import TabularError, TabularLimits, tabular_rows

LIMITS = TabularLimits(max_bytes=20 * 1024 * 1024, max_rows=20_000, max_columns=50)

UNIT_HEADERS = {
    "code": ("code", "code unite", "code de l'unite", "unit code"),
    "name": ("nom", "libelle", "nom de l'unite", "name", "unit name"),
    "type": ("type", "type d'unite", "code type", "unit type"),
    "parent": ("parent", "unite parente", "code parent", "rattachement", "parent unit"),
    "region": ("region", "code region", "region code"),
}
GRADE_HEADERS = {
    "statute": ("statut", "code statut", "statute"),
    "corps": ("corps", "code corps"),
    "code": ("code", "code grade", "grade code"),
    "name": ("nom", "libelle", "grade", "name"),
    "order": ("rang", "ordre", "order", "rank order"),
    "band": ("categorie", "code categorie", "band"),
}


class ReferenceImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


@dataclass
class ReferenceReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def _key(text: Any) -> str:
    """Accent- and case-free form of a header or code."""
    value = "" if text is None else str(text).strip()
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", value.lower()) if not unicodedata.combining(c)
    )
    return " ".join(folded.replace("’", "'").split())


def _rows(
    handle: IO[bytes], filename: str, headers: dict[str, tuple[str, ...]], required: set[str]
) -> list[tuple[int, dict[str, str]]]:
    try:
        records = list(tabular_rows(handle, filename, LIMITS))
    except TabularError as error:
        raise ReferenceImportError([str(error)]) from error
    records = [(n, c) for n, c in records if any(str(v or "").strip() for v in c)]
    if not records:
        raise ReferenceImportError([_("Le fichier est vide.")])
    number, header = records[0]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        for name, synonyms in headers.items():
            if _key(cell) in synonyms and name not in columns:
                columns[name] = index
    missing = sorted(required - set(columns))
    if missing:
        raise ReferenceImportError(
            [
                _("Ligne %(row)d : colonne « %(column)s » absente.") % {"row": number, "column": m}
                for m in missing
            ]
        )
    out = []
    for row, cells in records[1:]:
        values = {}
        for name, index in columns.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            values[name] = "" if value is None else str(value).strip()
        out.append((row, values))
    return out


def units_import(
    *,
    agency: Agency,
    handle: IO[bytes],
    filename: str,
    by: AbstractBaseUser | None,
    dry_run: bool = False,
) -> ReferenceReport:
    """Create or update the units of a file (code, name, type, parent, region)."""
    rows = _rows(handle, filename, UNIT_HEADERS, {"code", "name", "type"})
    types = {_key(t.code): t for t in UnitType.objects.all()} | {
        _key(t.name): t for t in UnitType.objects.all()
    }
    regions = {_key(r.code): r for r in Region.objects.all()} | {
        _key(r.name): r for r in Region.objects.all()
    }
    existing = {u.code.upper(): u for u in Unit.objects.filter(agency=agency)}
    in_file = {values["code"].upper() for _row, values in rows}
    problems: list[str] = []
    for row, values in rows:
        code = values["code"].upper()
        if not code or not values["name"]:
            problems.append(
                _("Ligne %(row)d : le code et le nom sont obligatoires.") % {"row": row}
            )
        if _key(values["type"]) not in types:
            problems.append(
                _("Ligne %(row)d, colonne type : type d'unité « %(value)s » inconnu.")
                % {"row": row, "value": values["type"]}
            )
        named = values.get("parent", "").upper()
        if named and named not in existing and named not in in_file:
            problems.append(
                _("Ligne %(row)d, colonne parent : unité « %(value)s » introuvable.")
                % {"row": row, "value": values.get("parent")}
            )
        if values.get("region") and _key(values["region"]) not in regions:
            problems.append(
                _("Ligne %(row)d, colonne région : région « %(value)s » inconnue.")
                % {"row": row, "value": values["region"]}
            )
    if problems:
        raise ReferenceImportError(problems)
    report = ReferenceReport()
    with transaction.atomic():
        pending = list(rows)
        while pending:
            waiting = []
            for row, values in pending:
                code = values["code"].upper()
                parent_code = values.get("parent", "").upper()
                if parent_code and parent_code not in existing:
                    waiting.append((row, values))
                    continue
                unit = existing.get(code)
                unit_type = types[_key(values["type"])]
                region = (
                    regions.get(_key(values.get("region", ""))) if values.get("region") else None
                )
                parent = existing.get(parent_code) if parent_code else None
                wanted = (
                    values["name"],
                    unit_type.pk,
                    parent.pk if parent else None,
                    region.pk if region else None,
                )
                if unit is not None:
                    current = (unit.name, unit.unit_type_id, unit.parent_id, unit.region_id)
                    if current == wanted:
                        report.unchanged += 1
                        continue
                    unit.name, unit.unit_type, unit.parent, unit.region = (
                        values["name"],
                        unit_type,
                        parent,
                        region,
                    )
                    report.updated += 1
                else:
                    unit = Unit(
                        agency=agency,
                        code=code,
                        name=values["name"],
                        unit_type=unit_type,
                        parent=parent,
                        region=region,
                    )
                    report.created += 1
                reference_save(instance=unit, by=by)
                existing[code] = unit
            if len(waiting) == len(pending):
                raise ReferenceImportError(
                    [
                        _("Ligne %(row)d : unités qui dépendent les unes des autres (boucle).")
                        % {"row": waiting[0][0]}
                    ]
                )
            pending = waiting
        if dry_run:
            transaction.set_rollback(True)
    return report


def grades_import(
    *,
    agency: Agency,
    handle: IO[bytes],
    filename: str,
    by: AbstractBaseUser | None,
    dry_run: bool = False,
) -> ReferenceReport:
    """Create or update the grades of a file (statute, corps, code, name, order, band)."""
    rows = _rows(handle, filename, GRADE_HEADERS, {"statute", "corps", "code", "name", "order"})
    statutes = {_key(s.code): s for s in StatuteVersion.objects.filter(agency=agency)}
    corps = {_key(c.code): c for c in Corps.objects.filter(agency=agency)}
    bands = {_key(b.code): b for b in GradeBand.objects.all()}
    problems: list[str] = []
    for row, values in rows:
        if _key(values["statute"]) not in statutes:
            problems.append(
                _("Ligne %(row)d, colonne statut : statut « %(value)s » inconnu.")
                % {"row": row, "value": values["statute"]}
            )
        if _key(values["corps"]) not in corps:
            problems.append(
                _("Ligne %(row)d, colonne corps : corps « %(value)s » inconnu.")
                % {"row": row, "value": values["corps"]}
            )
        if not values["order"].isdigit():
            problems.append(
                _(
                    "Ligne %(row)d, colonne rang : un nombre entier est attendu (1 pour le "
                    "plus bas)."
                )
                % {"row": row}
            )
        if values.get("band") and _key(values["band"]) not in bands:
            problems.append(
                _("Ligne %(row)d, colonne catégorie : catégorie « %(value)s » inconnue.")
                % {"row": row, "value": values["band"]}
            )
    if problems:
        raise ReferenceImportError(problems)
    report = ReferenceReport()
    default_band = GradeBand.objects.order_by("order").first()
    with transaction.atomic():
        for row, values in rows:
            statute = statutes[_key(values["statute"])]
            grade = Grade.objects.filter(statute=statute, code=values["code"].upper()).first()
            band = bands.get(_key(values.get("band", ""))) or (
                grade.band if grade else default_band
            )
            wanted = dict(
                corps=corps[_key(values["corps"])],
                name=values["name"],
                order=int(values["order"]),
                band=band,
            )
            if grade is not None:
                if all(getattr(grade, k) == v for k, v in wanted.items()):
                    report.unchanged += 1
                    continue
                for k, v in wanted.items():
                    setattr(grade, k, v)
                report.updated += 1
            else:
                grade = Grade(statute=statute, code=values["code"].upper(), **wanted)
                report.created += 1
            try:
                reference_save(instance=grade, by=by)
            except Exception as error:
                raise ReferenceImportError(
                    [_("Ligne %(row)d : %(error)s") % {"row": row, "error": error}]
                ) from error
        if dry_run:
            transaction.set_rollback(True)
    return report
