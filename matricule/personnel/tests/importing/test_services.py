"""Import jobs: modes, upserts, scope, XLSX files and the background worker."""

from __future__ import annotations

import datetime
import unicodedata

import pytest

from matricule.accounts.roles import Role
from matricule.core.matricule import matricule_format
from matricule.core.models import Agency, AuditEntry
from matricule.personnel.importing.report import job_summary
from matricule.personnel.importing.services import import_start
from matricule.personnel.models import CareerEvent, ImportJob, Officer
from matricule.personnel.tests.importing.support import (
    HEADER,
    counts,
    csv_file,
    messages_for,
    messy_file,
    new_row,
    run,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


# --- Modes ----------------------------------------------------------------------------


def test_atomic_import_of_a_messy_file_writes_nothing(clerk):
    officers, events, audit = (
        Officer.objects.count(),
        CareerEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    job = run(clerk, messy_file(), mode=ImportJob.Mode.ATOMIC)
    assert job.state == ImportJob.State.DONE
    assert counts(job) == (0, 0, 0, 6)
    assert (Officer.objects.count(), CareerEvent.objects.count(), AuditEntry.objects.count()) == (
        officers,
        events,
        audit,
    )
    assert job_summary(job) == (
        "Tout ou rien — lignes en erreur : 6. Rien n'a été enregistré : corrigez le fichier et "
        "importez-le de nouveau."
    )


def test_valid_rows_import_writes_only_the_good_rows_with_names_in_nfc(clerk):
    job = run(clerk, messy_file(), mode=ImportJob.Mode.VALID_ROWS)
    assert counts(job) == (2, 0, 0, 6)
    created = Officer.objects.filter(nina__in=[f"{90000000000000 + n:014d}B" for n in (1, 6)])
    assert sorted(o.family_name for o in created) == ["Diarra", "Maïga"]
    maiga = created.get(nina="90000000000006B")
    assert maiga.family_name == unicodedata.normalize("NFC", "Maïga")
    assert maiga.search_name == "maiga awa g"
    assert maiga.grade.code == "GP" and maiga.unit.code == "BKO-CA01"
    entry = maiga.events.get()
    assert (entry.act_kind, entry.act_number, entry.act_date) == (
        "note",
        f"IMPORT-{job.pk}",
        datetime.date(2024, 10, 1),
    )
    assert AuditEntry.objects.filter(action="officer.create").count() == 2
    assert AuditEntry.objects.filter(action="personnel.import", object_id=str(job.pk)).exists()


def test_atomic_import_of_a_clean_file_writes_every_row_in_one_go(clerk):
    job = run(
        clerk, csv_file([HEADER, new_row(1), new_row(2), new_row(3)]), mode=ImportJob.Mode.ATOMIC
    )
    assert counts(job) == (3, 0, 0, 0)
    assert job.processed_rows == job.total_rows == 3
    assert job.finished_at is not None
    assert Officer.objects.filter(family_name="Diarra").count() == 3


def test_re_importing_the_same_file_changes_nothing(clerk):
    data = csv_file([HEADER, new_row(1), new_row(2)])
    first = run(clerk, data, mode=ImportJob.Mode.ATOMIC)
    assert counts(first) == (2, 0, 0, 0)
    audit = AuditEntry.objects.count()
    versions = list(Officer.objects.order_by("id").values_list("version", flat=True))
    again = run(clerk, data, mode=ImportJob.Mode.ATOMIC)
    assert counts(again) == (0, 0, 2, 0)
    assert AuditEntry.objects.count() == audit
    assert list(Officer.objects.order_by("id").values_list("version", flat=True)) == versions


def test_file_matricule_is_kept_for_a_new_officer_and_never_handed_out_again(clerk, mali):
    number = mali.matricule_seq + 50
    matricule = matricule_format(prefix="PN", digits=6, number=number)
    job = run(
        clerk, csv_file([HEADER, new_row(1, Matricule=matricule)]), mode=ImportJob.Mode.ATOMIC
    )
    assert counts(job) == (1, 0, 0, 0)
    assert Officer.objects.filter(matricule=matricule).exists()
    mali.refresh_from_db()
    assert mali.matricule_seq == number


def test_badly_formed_matricule_gets_a_new_one_with_an_info_line(clerk):
    job = run(clerk, csv_file([HEADER, new_row(1, Matricule="12345")]), mode=ImportJob.Mode.ATOMIC)
    assert counts(job) == (1, 0, 0, 0)
    [line] = [line for line in job.report if line["row"] == 2]
    assert line["level"] == "info"
    assert line["message"].startswith("Matricule non conforme au format de l'agence")
    officer = Officer.objects.get(nina="90000000000001B")
    assert [(i.source, i.value) for i in officer.legacy_ids.all()] == [("ancien registre", "12345")]


# --- Existing officers: upsert by matricule, then NINA --------------------------------


def test_existing_officer_found_by_matricule_gets_identity_updated_but_not_career(
    clerk, make_officer
):
    officer = make_officer(family_name="Keita", given_names="Oumar", phone="")
    row = new_row(
        1,
        Matricule=officer.matricule,
        NINA=officer.nina,
        Nom="Keïta",
        **{"Prénom(s)": "Oumar", "Sexe": "M", "Date de naissance": "14/03/1985", "Unité": "GAO-CC"},
    )
    job = run(clerk, csv_file([HEADER, row]), mode=ImportJob.Mode.VALID_ROWS)
    assert counts(job) == (0, 1, 0, 0)
    officer.refresh_from_db()
    assert (officer.family_name, officer.phone, officer.version) == ("Keïta", "+223 76 12 34 56", 2)
    assert officer.unit.code == "BKO-CA01"  # career data is never changed by an import
    entry = AuditEntry.objects.get(action="officer.update", object_id=str(officer.pk))
    assert entry.before == {"family_name": "Keita", "phone": ""}


def test_existing_officer_found_by_nina_when_the_file_has_no_matricule(clerk, make_officer):
    officer = make_officer(nina="12345678901234A", birth_place="Kayes")
    data = csv_file([["NINA", "Lieu de naissance"], ["12345678901234a", "Ségou"]])
    job = run(clerk, data, mode=ImportJob.Mode.ATOMIC)
    assert counts(job) == (0, 1, 0, 0)
    officer.refresh_from_db()
    assert officer.birth_place == "Ségou"


def test_blank_cells_erase_nothing(clerk, make_officer):
    officer = make_officer(phone="+223 66 00 00 00")
    job = run(
        clerk,
        csv_file([["Matricule", "Téléphone"], [officer.matricule, ""]]),
        mode=ImportJob.Mode.ATOMIC,
    )
    assert counts(job) == (0, 0, 1, 0)
    officer.refresh_from_db()
    assert officer.phone == "+223 66 00 00 00"


def test_clerk_of_bamako_cannot_import_into_gao_nor_update_gao_officers(make_user, make_officer):
    clerk = make_user(Role.HR_CLERK, "DR-BKO")
    gao = make_officer(unit="GAO-CC")
    data = csv_file(
        [HEADER, new_row(1, Unité="GAO-CC"), new_row(2, Matricule=gao.matricule, NINA=gao.nina)]
    )
    job = run(clerk, data, mode=ImportJob.Mode.VALID_ROWS)
    assert counts(job) == (0, 0, 0, 2)
    assert messages_for(job, 2) == ["Cette unité est hors de votre périmètre."]
    assert messages_for(job, 3)[0].startswith("Cet agent relève d'une unité hors de votre")


# --- Units and files ------------------------------------------------------------------


def test_unit_is_found_by_its_name_whatever_the_accents_and_case(clerk):
    job = run(
        clerk,
        csv_file([HEADER, new_row(1, Unité="COMMISSARIAT DU 1ER ARRONDISSEMENT")]),
        mode=ImportJob.Mode.ATOMIC,
    )
    assert counts(job) == (1, 0, 0, 0)


def test_unreadable_file_fails_with_a_french_message(clerk):
    job = run(clerk, b"PK\x03\x04 pas un classeur", filename="agents.xlsx")
    assert job.state == ImportJob.State.FAILED
    assert "n'est pas un classeur XLSX valide" in job.report[0]["message"]


def test_xlsx_with_date_cells_serial_numbers_and_numeric_phones(clerk):
    data = xlsx_file(
        [
            [
                "Last Name",
                "First Name",
                "Gender",
                "Date of birth",
                "Rank",
                "Unit",
                "Appointed date",
                "NINA",
                "Phone",
            ],
            [
                "Coulibaly",
                "Mariam",
                "Female",
                datetime.datetime(1997, 5, 2),  # noqa: DTZ001 - a date cell, naive in Excel
                "GP",
                "BKO-CA02",
                45566,
                "90000000000001B",
                76123456,
            ],
            [None, None, None, None, None, None, None, None, None],
            [
                "Sangaré",
                "Ibrahim",
                "M",
                "02/05/1996",
                "Gardien de la paix principal",
                "BKO-CA03",
                datetime.date(2024, 10, 1),
                "90000000000002B",
                "+22366001122",
            ],
        ]
    )
    job = run(
        clerk,
        data,
        filename="recrues.xlsx",
        mode=ImportJob.Mode.ATOMIC,
        options={"date_order": "dmy"},
    )
    assert counts(job) == (2, 0, 0, 0), job.report
    mariam = Officer.objects.get(nina="90000000000001B")
    assert (mariam.birth_date, mariam.entry_date, mariam.phone, mariam.sex) == (
        datetime.date(1997, 5, 2),
        datetime.date(2024, 10, 1),
        "76123456",
        "F",
    )
    assert Officer.objects.get(nina="90000000000002B").grade.code == "GPP"


# --- Background -----------------------------------------------------------------------


def test_file_over_a_thousand_rows_runs_as_a_task_and_ends_done(
    clerk, django_capture_on_commit_callbacks
):
    rows = [HEADER] + [new_row(n) for n in range(1, 1102)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = import_start(
            agency=Agency.objects.get(code="PN"),
            data=csv_file(rows),
            filename="gros.csv",
            mode=ImportJob.Mode.DRY_RUN,
            mapping={},
            by=clerk,
        )
        assert job.state == ImportJob.State.PENDING  # queued, not run in the request
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert counts(job) == (1101, 0, 0, 0)
    assert job.processed_rows == job.total_rows == 1101
    assert job.percent == 100


def test_queued_import_writes_its_rows_when_the_task_runs(
    clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(
            agency=Agency.objects.get(code="PN"),
            data=csv_file([HEADER, new_row(1), new_row(2)]),
            filename="a.csv",
            mode=ImportJob.Mode.VALID_ROWS,
            mapping={},
            by=clerk,
            in_background=True,
        )
    job.refresh_from_db()
    assert (job.state, counts(job)) == (ImportJob.State.DONE, (2, 0, 0, 0))
    assert Officer.objects.filter(family_name="Diarra").count() == 2
