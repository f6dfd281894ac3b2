"""Legacy values mapped to the reference data: grades, units, positions, sexes, exit reasons.

A register exported by another system writes its own rank names and unit codes. Each
distinct value found in the file is read, in this order, through:

1. the value map: the clerk's (screen, `--value-map` file) over the one saved for the
   source by earlier imports;
2. the reference data: a grade's or unit's code, then its exact name (accent- and
   case-free); the usual words for positions, sexes and exit reasons;
3. otherwise the value is *unmapped*: its rows are in error, reported once with the
   value and its count, and a similar reference value is suggested (never applied).

Units missing from the reference data may instead be created in bulk under a chosen
parent unit. Grades are never invented.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matricule.personnel.importing.cells import EXIT_WORDS, SEX_WORDS, STATUS_WORDS, cell_text
from matricule.personnel.models import Status, fold

MAPPED_FIELDS: Final = ("grade", "unit", "status", "sex", "exit_reason")
VALUE_MAP_HEADER: Final = ("field", "value", "code")
# Distinct values kept per field for the mapping screen (a register has a few hundred).
DISTINCT_SHOWN = 1000
SIMILARITY = 0.72

# How a value was read (shown on the mapping screen).
BY_MAP: Final = "map"
BY_CODE: Final = "code"
BY_NAME: Final = "name"
BY_WORD: Final = "word"
TO_CREATE: Final = "create"
UNMAPPED: Final = "unmapped"


ValueMap = dict[str, dict[str, str]]  # field → folded value → code


def value_key(text: str) -> str:
    return fold(cell_text(text))[:200]


def value_map_parse(data: bytes) -> ValueMap:
    """Read a `field,value,code` CSV (UTF-8 or Windows-1252, ',' or ';')."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [fold(h) for h in next(reader, [])]
    if tuple(header[:3]) != VALUE_MAP_HEADER:
        raise ValueError(
            _(
                "Fichier de correspondances : la première ligne doit être « field,value,code » "
                "(champ, valeur du fichier, code de l'application)."
            )
        )
    mapping: ValueMap = {}
    for number, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 3:
            raise ValueError(
                _("Fichier de correspondances, ligne %(n)d : trois colonnes attendues.")
                % {"n": number}
            )
        name, value, code = (c.strip() for c in row[:3])
        name = {"motif": "exit_reason", "position": "status", "sexe": "sex", "unite": "unit"}.get(
            fold(name), fold(name).replace(" ", "_")
        )
        if name not in MAPPED_FIELDS:
            raise ValueError(
                _(
                    "Fichier de correspondances, ligne %(n)d : champ « %(field)s » inconnu "
                    "(grade, unit, status, sex ou exit_reason)."
                )
                % {"n": number, "field": name}
            )
        if value and code:
            mapping.setdefault(name, {})[value_key(value)] = code
    return mapping


def value_map_csv(rows: list[tuple[str, str, str]]) -> bytes:
    """A value map as the `field,value,code` CSV the command and the screen read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(VALUE_MAP_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def merged(*maps: ValueMap) -> ValueMap:
    """Later maps win."""
    out: ValueMap = {}
    for mapping in maps:
        for name, values in mapping.items():
            out.setdefault(name, {}).update(values)
    return out


def _status_code(text: str, words: dict[str, str]) -> str | None:
    key = fold(text).replace(".", "").strip()
    if key in words:
        return words[key]
    for status in Status:
        if key in (status.value, fold(str(status.label))):
            return status.value if status.value in words.values() else None
    return None


@dataclass
class Reading:
    """How one distinct value reads: its code in the application and how it was found."""

    code: str | None
    how: str
    suggestion: str = ""


@dataclass
class ValueBook:
    """The distinct values of the mapped fields and how each reads, for one file."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # key → value as written
    readings: dict[str, dict[str, Reading]] = field(default_factory=dict)
    first_rows: dict[str, dict[str, int]] = field(default_factory=dict)
    # A register repeats a few hundred values over tens of thousands of rows.
    _keys: dict[str, str] = field(default_factory=dict, repr=False)

    def add(self, name: str, text: str, row: int) -> str:
        key = self._keys.get(text)
        if key is None:
            key = self._keys[text] = value_key(text)
        counter = self.counts.get(name)
        if counter is None:
            counter = self.counts[name] = Counter()
            self.labels[name] = {}
            self.first_rows[name] = {}
        if key not in counter:
            self.labels[name][key] = text
            self.first_rows[name][key] = row
        counter[key] += 1
        return key

    def summary(self) -> dict[str, list[dict[str, Any]]]:
        """For ImportJob.values: per field, each value with its count and reading."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, counter in self.counts.items():
            lines = []
            for key, count in counter.most_common(DISTINCT_SHOWN):
                reading = self.readings.get(name, {}).get(key, Reading(None, UNMAPPED))
                lines.append(
                    {
                        "value": self.labels[name][key],
                        "count": count,
                        "code": reading.code or "",
                        "how": reading.how,
                        "suggestion": reading.suggestion,
                    }
                )
            out[name] = lines
        return out


def simple_reading(name: str, text: str, explicit: ValueMap) -> Reading:
    """Sex, position and exit reason: the map, else the usual words."""
    key = value_key(text)
    words = {"sex": SEX_WORDS, "status": STATUS_WORDS, "exit_reason": EXIT_WORDS}[name]
    code = explicit.get(name, {}).get(key)
    if code is not None:
        resolved = _status_code(code, words) if name != "sex" else words.get(fold(code))
        if resolved is None and name == "sex" and code.upper() in ("M", "F"):
            resolved = code.upper()
        return Reading(resolved, BY_MAP if resolved else UNMAPPED)
    resolved = (
        words.get(fold(text).replace(".", "").strip())
        if name == "sex"
        else _status_code(text, words)
    )
    return Reading(resolved, BY_WORD if resolved else UNMAPPED)


def suggest(text: str, candidates: dict[str, str]) -> str:
    """The closest reference value (folded name or code → code), or ''."""
    key = value_key(text)
    if not key or not candidates:
        return ""
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=SIMILARITY)
    return candidates[close[0]] if close else ""


def unmapped_message(name: str, label: str, count: int, suggestion: str) -> str:
    what = {
        "grade": _("Grade inconnu"),
        "unit": _("Unité inconnue"),
        "status": _("Position non reconnue"),
        "sex": _("Sexe non reconnu"),
        "exit_reason": _("Motif de sortie non reconnu"),
    }[name]
    hint = {
        "grade": _(
            "indiquez à quel grade il correspond (écran « Correspondances » ou fichier "
            "--value-map) : les grades ne sont jamais créés par un import"
        ),
        "unit": _(
            "indiquez l'unité qui lui correspond, ou faites créer les unités manquantes "
            "sous une unité parente"
        ),
        "status": _("indiquez la position qui lui correspond (active, leave, retired…)"),
        "sex": _("indiquez M ou F"),
        "exit_reason": _("indiquez retired, resigned, dismissed ou deceased"),
    }[name]
    text = ngettext(
        "%(what)s « %(value)s » (%(count)d ligne) : %(hint)s.",
        "%(what)s « %(value)s » (%(count)d lignes) : %(hint)s.",
        count,
    ) % {
        "what": what,
        "value": label,
        "count": count,
        "hint": hint,
    }
    if suggestion:
        text += " " + _("Suggestion : « %(code)s ».") % {"code": suggestion}
    return text
