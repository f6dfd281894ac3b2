"""Every audit action code written anywhere has a French and an English label."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from matricule.cards.models import CardStatus, RevokeReason
from matricule.core.audit_labels import action_choices, action_label, changes, describe
from matricule.core.models import AuditEntry
from matricule.personnel.models import EventKind
from matricule.personnel.services import RECORD_LINES

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_.]+)"')


def written_codes() -> set[str]:
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes.update(LITERAL.findall(path.read_text()))
    # Codes built at run time: f"event.{kind}", f"card.{status}", f"{kind}.add/remove".
    codes.update(f"event.{kind}" for kind in EventKind.values)
    codes.update(f"card.{reason}" for reason in RevokeReason.values)
    codes.add(f"card.{CardStatus.EXPIRED}")
    for kind in RECORD_LINES:
        codes.update({f"{kind}.add", f"{kind}.remove"})
    return codes


def test_the_scan_finds_the_codes_it_should():
    codes = written_codes()
    assert {"role.grant", "training.session.close", "correction.approve"} <= codes
    assert len(codes) > 80


@pytest.mark.parametrize("code", sorted(written_codes()))
def test_every_action_code_has_a_french_and_an_english_label(code):
    with translation.override("fr"):
        french = action_label(code)
    with translation.override("en"):
        english = action_label(code)
    assert french != code, f"{code} n'a pas de libellé : inscrivez-le dans un AuditVocabulary"
    assert english != code
    assert english != french or code.startswith("test."), f"{code} n'est pas traduit en anglais"


def test_the_action_filter_offers_every_label_grouped_by_app():
    groups = dict(action_choices())
    assert "Formation et compétences" in groups
    codes = {code for options in groups.values() for code, _label in options}
    assert "card.lost" in codes and "event.exit" in codes


def test_a_correction_reads_in_words_not_as_its_database_repr():
    entry = AuditEntry(
        action="correction.file",
        object_type="corrections.correctionrequest",
        object_id="1290",
        object_repr="#1290 17 birth_place",
        after={"target": "field", "field": "birth_place", "proposed": "Kati"},
    )
    with translation.override("fr"):
        assert describe(entry) == "Demande de correction n° 1290 : lieu de naissance"


def test_before_after_uses_field_labels_and_readable_values():
    entry = AuditEntry(
        action="officer.update",
        object_type="personnel.officer",
        before={"birth_place": "Kati", "sex": "M", "birth_date": "1990-05-01", "version": 3},
        after={"birth_place": "Kita", "sex": "F", "birth_date": "1990-05-01", "version": 4},
    )
    with translation.override("fr"):
        lines = {c.label: (c.before, c.after, c.changed) for c in changes(entry)}
    assert lines["lieu de naissance"] == ("Kati", "Kita", True)
    assert lines["sexe"] == ("Masculin", "Féminin", True)
    assert lines["date de naissance"] == ("01/05/1990", "01/05/1990", False)
    assert "version" not in lines
