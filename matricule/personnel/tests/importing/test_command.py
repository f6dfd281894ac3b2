"""The import_officers command: report on the terminal, exit code, mapping, author."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from matricule.personnel.models import ImportJob, Officer
from matricule.personnel.tests.importing.support import HEADER, csv_file, messy_file, new_row

pytestmark = pytest.mark.django_db


def test_command_dry_run_prints_the_report_and_exits_1_on_errors(clerk, tmp_path):
    path = tmp_path / "agents.csv"
    path.write_bytes(messy_file())
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_officers", str(path), "--dry-run", "--user", clerk.username, stdout=out
        )
    assert raised.value.returncode == 1
    assert "Essai terminé — à créer : 2, à mettre à jour : 0" in str(raised.value)
    assert "ligne 5, colonne Grade, valeur « Sergant » : Grade inconnu" in out.getvalue()
    assert not Officer.objects.filter(family_name="Diarra").exists()


def test_command_imports_with_mapping_and_prints_a_summary(clerk, tmp_path):
    header = [*HEADER[:-1], "Tél. perso"]
    path = tmp_path / "agents.csv"
    path.write_bytes(csv_file([header, new_row(1)]))
    out = io.StringIO()
    call_command(
        "import_officers",
        str(path),
        "--mode",
        "valid_rows",
        "--map",
        "Tél. perso=phone",
        "--user",
        clerk.username,
        stdout=out,
    )
    assert "Import terminé — créés : 1, mis à jour : 0" in out.getvalue()
    assert Officer.objects.get(nina="90000000000001B").phone == "+223 76 12 34 56"
    job = ImportJob.objects.get()
    assert (job.mode, job.mapping, job.created_by) == ("valid_rows", {"Tél. perso": "phone"}, clerk)


def test_command_without_any_possible_author_says_so(mali, tmp_path):
    path = tmp_path / "agents.csv"
    path.write_bytes(csv_file([HEADER, new_row(1)]))
    with pytest.raises(CommandError, match="Aucun utilisateur ne peut être l'auteur"):
        call_command("import_officers", str(path), "--dry-run")
