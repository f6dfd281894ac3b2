"""Bulk reference import: units with their parents (any order), grades with their order."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from matricule.core.models import AuditEntry, Grade, Unit
from matricule.core.reference_import import ReferenceImportError, units_import

pytestmark = pytest.mark.django_db

UNITS = (
    "Code;Nom;Type;Unité parente;Région\n"
    "KTI-P2;Poste de police de Kati 2;section;KTI-CP;KKR\n"  # its parent comes next
    "KTI-CP;Commissariat de Kati;commissariat;DR-KKR;KKR\n"
).encode()


def test_units_come_in_any_order_and_twice_changes_nothing(mali, tmp_path):
    path = tmp_path / "unites.csv"
    path.write_bytes(UNITS)
    out = io.StringIO()
    call_command("import_reference", str(path), "--kind", "units", stdout=out)
    assert out.getvalue().strip() == "créés : 2, mis à jour : 0, inchangés : 0"
    post = Unit.objects.get(code="KTI-P2")
    assert post.parent.code == "KTI-CP" and post.path.startswith(post.parent.path)
    assert AuditEntry.objects.filter(action="reference.create", object_repr=post.name).exists()
    out = io.StringIO()
    call_command("import_reference", str(path), "--kind", "units", stdout=out)
    assert out.getvalue().strip() == "créés : 0, mis à jour : 0, inchangés : 2"


def test_a_bad_row_writes_nothing_and_is_named_in_french(mali):
    data = UNITS + "X-1;Unité fantôme;inconnu;NULLE-PART;\n".encode()
    with pytest.raises(ReferenceImportError) as raised:
        units_import(agency=mali, handle=io.BytesIO(data), filename="u.csv", by=None)
    assert raised.value.problems == [
        "Ligne 4, colonne type : type d'unité « inconnu » inconnu.",
        "Ligne 4, colonne parent : unité « NULLE-PART » introuvable.",
    ]
    assert not Unit.objects.filter(code__startswith="KTI").exists()


def test_grades_with_their_order_in_a_corps(mali, tmp_path):
    path = tmp_path / "grades.csv"
    path.write_bytes(
        "Statut;Corps;Code;Nom;Rang;Catégorie\nS2023;GP;GP;Gardien de la paix;1;EXEC\n".encode()
    )
    out = io.StringIO()
    call_command("import_reference", str(path), "--kind", "grades", stdout=out)
    assert out.getvalue().strip() == "créés : 0, mis à jour : 0, inchangés : 1"
    path.write_bytes(b"Statut;Corps;Code;Nom;Rang\nS2023;SO;ASP;Aspirant;99\nS2023;XX;Y;Y;x\n")
    with pytest.raises(CommandError):
        call_command("import_reference", str(path), "--kind", "grades", stderr=io.StringIO())
    assert not Grade.objects.filter(code="ASP").exists()
