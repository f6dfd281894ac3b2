"""Migrating a messy legacy register: officers, then their postings and yearly ranks."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.models import Agency, AuditEntry, Unit
from matricule.personnel.importing.rejects import rejects_workbook
from matricule.personnel.importing.values import value_map_parse
from matricule.personnel.models import (
    CareerEvent,
    EventKind,
    ImportJob,
    ImportValueMap,
    LegacyIdentifier,
    Officer,
    Status,
)
from matricule.personnel.tests.importing import legacy
from matricule.personnel.tests.importing.support import counts, messages_for, run

pytestmark = pytest.mark.django_db

SOURCE = "SIGRH"
OPTIONS = {
    "value_map": value_map_parse(legacy.value_map_csv()),
    "create_units_under": "DR-BKO",
    "unit_type": "commissariat",
}


def import_officers(clerk, mode=ImportJob.Mode.VALID_ROWS, **over):
    return run(
        clerk,
        legacy.officers_csv(),
        mode=mode,
        filename="registre.csv",
        options={**OPTIONS, **over},
        source=SOURCE,
    )


def officer(legacy_id: str) -> Officer:
    return Officer.objects.get(legacy_ids__source=SOURCE, legacy_ids__value=legacy_id)


def test_dry_run_reports_each_problem_once_in_french(clerk):
    job = import_officers(clerk, mode=ImportJob.Mode.DRY_RUN)
    assert job.state == ImportJob.State.DONE
    assert counts(job) == (8, 0, 0, 2)
    report = job.report
    # 14 ignored columns: one line, not one per row nor per column.
    [ignored] = [line for line in report if "non reconnues, ignorées" in line["message"]]
    assert ignored["message"].startswith("14 colonnes non reconnues, ignorées : « RELIGION »")
    # The unknown rank: named once, with its count, on the first of its rows.
    [rank] = [line for line in report if line["value"] == "GRADE-X"]
    assert rank["message"].startswith("Grade inconnu « GRADE-X » (2 lignes)")
    assert rank["message"].count("GRADE-X") == 1 and rank["row"] == 8
    assert messages_for(job, 9) == [rank["message"]]
    # Month-first dates, deduced from the values, said once per column.
    orders = [line for line in report if line["message"].startswith("Dates lues dans l'ordre")]
    assert {line["column"] for line in orders} == {"DATE NAIS", "DATE ENTREE", "DATE SORTIE"}
    assert all("mm/jj/aaaa" in line["message"] for line in orders)
    # Warnings that write nothing different: retirement age, probable duplicate, new unit.
    assert any("au-delà de l'âge de la retraite" in m for m in messages_for(job, 7))
    assert any(m.startswith("Doublon probable dans le fichier") for m in messages_for(job, 2))
    [unit] = [line for line in report if line["value"] == "POSTE KATI"]
    assert unit["level"] == "info" and "sera créée sous « Direction régionale" in unit["message"]
    # The values found, with their counts and readings, for the mapping screen.
    grades = {line["value"]: (line["count"], line["code"]) for line in job.values["grade"]}
    assert grades["BRIG-CHEF"] == (3, "BRC") and grades["GRADE-X"] == (2, "")
    assert not Officer.objects.filter(legacy_ids__source=SOURCE).exists()


def test_ambiguous_dates_are_asked_when_nothing_settles_them(clerk):
    data = (
        b"ID AGENT;NOM;PRENOMS;SEXE;DATE NAIS;GRADE;AFFECTATION;DATE ENTREE\r\n"
        b"B-1;KONE;Ali;M;03/04/1980;GP;BKO-CA01;01/02/2005\r\n"
    )
    job = run(clerk, data, source=SOURCE)
    assert job.state == ImportJob.State.FAILED
    asked = [line for line in job.report if line["level"] == "error"]
    assert [line["column"] for line in asked] == ["DATE NAIS", "DATE ENTREE"]
    assert all("Ordre des dates impossible à déduire" in line["message"] for line in asked)
    again = run(clerk, data, source=SOURCE, options={"date_order": "mdy"}, mode="atomic")
    assert counts(again) == (1, 0, 0, 0)
    kone = Officer.objects.get(family_name="KONE")
    assert (kone.birth_date, kone.entry_date) == (
        datetime.date(1980, 3, 4),
        datetime.date(2005, 1, 2),
    )


AMBIGUOUS = (
    b"ID AGENT;NOM;PRENOMS;SEXE;DATE NAIS;GRADE;AFFECTATION;DATE ENTREE\r\n"
    b"B-1;KONE;Ali;M;03/04/1980;GP;BKO-CA01;01/02/2005\r\n"
)


def test_the_mapping_screen_sets_a_date_order_per_column(
    clerk, client, login, make_user, django_capture_on_commit_callbacks
):
    failed = run(clerk, AMBIGUOUS, source=SOURCE)
    assert failed.state == ImportJob.State.FAILED
    address = reverse("personnel:import_values", args=[failed.pk])
    login(make_user(Role.OFFICER))
    assert client.get(address).status_code == 403
    login(clerk)
    page = client.get(address).content.decode()
    assert "DATE NAIS" in page and "DATE ENTREE" in page and "à préciser" in page
    # Birth dates were typed month-first, entry dates day-first.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"d-0": "mdy", "d-1": "dmy"})
    trial = ImportJob.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{trial.pk}/")
    assert trial.options["column_orders"] == {"DATE NAIS": "mdy", "DATE ENTREE": "dmy"}
    assert trial.state == ImportJob.State.DONE and counts(trial) == (1, 0, 0, 0)
    assert [c["order"] for c in trial.values["date_columns"]] == ["mdy", "dmy"]
    assert (
        "mm/jj/aaaa"
        in client.get(reverse("personnel:import_values", args=[trial.pk])).content.decode()
    )
    run(clerk, AMBIGUOUS, source=SOURCE, options=trial.options, mode="atomic")
    kone = Officer.objects.get(family_name="KONE")
    assert (kone.birth_date, kone.entry_date) == (
        datetime.date(1980, 3, 4),
        datetime.date(2005, 2, 1),
    )


def test_another_agency_s_mapping_screen_is_not_found(clerk, client, login, make_user):
    failed = run(clerk, AMBIGUOUS, source=SOURCE)
    outsider = make_user(Role.HR_CLERK)
    outsider.role_grants.update(agency=Agency.objects.get(code="OCS"))
    login(outsider)
    address = reverse("personnel:import_values", args=[failed.pk])
    assert client.get(address).status_code == 404
    assert client.post(address, {"d-0": "mdy"}).status_code == 404
    assert ImportJob.objects.count() == 1


def test_import_creates_whole_records_and_twice_creates_nobody(clerk):
    job = import_officers(clerk)
    assert counts(job) == (8, 0, 0, 2), job.report
    keita = officer("A-1001")
    assert (keita.birth_date, keita.entry_date) == (
        datetime.date(1962, 12, 25),
        datetime.date(1985, 9, 15),
    )
    assert keita.nationality == ""  # never assumed
    assert keita.grade.code != "" and keita.unit.code == "BKO-CA01"
    traore = officer("A-1002")
    assert traore.birth_date == datetime.date(1960, 3, 4)  # month first, as the file
    assert traore.status == Status.LEAVE and traore.in_service
    coulibaly = officer("A-1003")
    assert (coulibaly.birth_date, coulibaly.birth_date_approximate) == (
        datetime.date(1947, 7, 1),
        True,
    )
    assert (coulibaly.status, coulibaly.exit_date) == (Status.RETIRED, datetime.date(2008, 7, 1))
    assert not coulibaly.in_service
    diarra = officer("A-1004")
    assert (diarra.birth_date, diarra.entry_date) == (
        datetime.date(1935, 5, 12),
        datetime.date(1960, 10, 1),
    )
    assert diarra.status == Status.DECEASED
    exit_event = diarra.events.get(kind=EventKind.EXIT)
    assert (exit_event.historical, exit_event.source, exit_event.act_number) == (True, SOURCE, "")
    assert officer("A-1009").status == Status.DISMISSED
    kati = Unit.objects.get(name="POSTE KATI")
    assert (kati.parent.code, kati.unit_type.code) == ("DR-BKO", "commissariat")
    assert officer("A-1005").unit == kati
    # Legacy ids are unique per source and searchable like a matricule.
    assert LegacyIdentifier.objects.filter(source=SOURCE).count() == 8
    assert AuditEntry.objects.filter(action="officer.create").count() == 8
    # The mapping was saved for the source and is reused without being given again.
    assert ImportValueMap.objects.filter(source=SOURCE, field="grade").count() == 4
    total, audit = Officer.objects.count(), AuditEntry.objects.count()
    again = import_officers(clerk, value_map={})
    assert counts(again) == (0, 0, 8, 2), again.report
    assert Officer.objects.count() == total
    assert AuditEntry.objects.filter(action="officer.create").count() == 8
    assert AuditEntry.objects.count() == audit


def test_legacy_id_is_shown_on_the_record_and_found_by_the_search(clerk, client, login):
    import_officers(clerk)
    login(clerk)
    keita = officer("A-1001")
    page = client.get(reverse("personnel:officer_profile", args=[keita.matricule])).content.decode()
    assert "A-1001" in page and SOURCE in page
    found = client.get(reverse("personnel:officer_list"), {"q": "A-1001"})
    assert [o.pk for o in found.context["page"]] == [keita.pk]
    coulibaly = officer("A-1003")
    page = client.get(reverse("personnel:officer_profile", args=[coulibaly.matricule]))
    assert '1947 <span class="hint">(date approximative)</span>' in page.content.decode()


def test_history_postings_and_yearly_ranks_rebuild_timelines(clerk, client, login):
    import_officers(clerk)
    postings = run(
        clerk,
        legacy.postings_csv(),
        mode=ImportJob.Mode.VALID_ROWS,
        filename="affectations.csv",
        kind=ImportJob.Kind.POSTING,
        source=SOURCE,
        options=OPTIONS,
    )
    # 3 postings created (Keita: DRBKO and CIAT-2; Traore: CIAT-1), 2 rows unchanged,
    # the unknown agent in error.
    assert counts(postings) == (3, 2, 2, 1), postings.report
    [overlap] = [line for line in postings.report if "chevauche" in line["message"]]
    assert overlap["level"] == "info"
    assert messages_for(postings, 7)[0].startswith("Aucun agent de l'agence n'a ce matricule")
    keita = officer("A-1001")
    events = list(keita.events.filter(kind=EventKind.POSTING).order_by("effective_date"))
    assert [(e.unit.code, e.effective_date, e.end_date, e.historical) for e in events] == [
        ("DR-BKO", datetime.date(1990, 6, 1), datetime.date(2000, 12, 31), True),
        ("BKO-CA02", datetime.date(2001, 1, 1), None, True),
    ]
    ranks = run(
        clerk,
        legacy.grades_csv(),
        mode=ImportJob.Mode.VALID_ROWS,
        filename="grades.csv",
        kind=ImportJob.Kind.GRADE,
        source=SOURCE,
        options=OPTIONS,
    )
    # 25 yearly rows: 1985-95 is the entry grade (unchanged), then two periods.
    assert counts(ranks) == (2, 1, 11, 0), ranks.report
    assert any("hors de l'ordre du corps" in line["message"] for line in ranks.report)
    grades = list(keita.events.filter(kind=EventKind.GRADE).order_by("effective_date"))
    assert [(g.grade.code, g.effective_date, g.date_approximate) for g in grades] == [
        ("MAJ", datetime.date(1996, 7, 1), False),
        ("IP", datetime.date(2006, 1, 1), True),
    ]
    keita.refresh_from_db()
    assert keita.unit.code == "BKO-CA02"
    out = io.StringIO()
    call_command("check_snapshots", stdout=out)
    assert "instantanés conformes aux événements" in out.getvalue()
    # The record as it was: in 1992 at the regional direction, Brigadier-chef.
    login(clerk)
    page = client.get(
        reverse("personnel:officer_profile", args=[keita.matricule]), {"as_of": "1992-01-01"}
    ).content.decode()
    assert "Direction régionale" in page and "Brigadier-chef" in page
    # Importing the same history again changes nothing.
    before = CareerEvent.objects.count(), AuditEntry.objects.count()
    again = run(
        clerk,
        legacy.postings_csv(),
        mode=ImportJob.Mode.VALID_ROWS,
        filename="affectations.csv",
        kind=ImportJob.Kind.POSTING,
        source=SOURCE,
    )
    assert counts(again)[:3] == (0, 0, 5)
    ranks_again = run(
        clerk,
        legacy.grades_csv(),
        mode=ImportJob.Mode.VALID_ROWS,
        filename="grades.csv",
        kind=ImportJob.Kind.GRADE,
        source=SOURCE,
    )
    assert counts(ranks_again) == (0, 0, 25, 0)
    assert (CareerEvent.objects.count(), AuditEntry.objects.count()) == before


def test_rejected_rows_workbook_round_trips(clerk):
    job = import_officers(clerk)
    book = openpyxl.load_workbook(io.BytesIO(rejects_workbook(job=job)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][: len(legacy.OFFICERS_HEADER)] == tuple(legacy.OFFICERS_HEADER)
    assert rows[0][-1].startswith("Problème à corriger")
    rejected = rows[1:]
    assert [r[0] for r in rejected] == ["A-1007", "A-1008"]
    assert all("Grade inconnu « GRADE-X »" in r[-1] for r in rejected)
    # The clerk corrects the rank in the workbook and imports it as it is.
    for row in sheet.iter_rows(min_row=2):
        row[legacy.OFFICERS_HEADER.index("GRADE")].value = "GP"
    fixed = io.BytesIO()
    book.save(fixed)
    again = run(
        clerk,
        fixed.getvalue(),
        mode=ImportJob.Mode.ATOMIC,
        filename="corrige.xlsx",
        source=SOURCE,
        options={"date_order": "mdy"},
    )
    assert counts(again) == (2, 0, 0, 0), again.report
    assert officer("A-1008").grade.code == "GP"


def test_failed_all_or_nothing_batch_is_undone_by_the_system(clerk, monkeypatch):
    from matricule.personnel.importing import writing

    calls = {"n": 0}
    real = writing._write_batch

    def second_batch_fails(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise writing.IntegrityError("NINA pris entre-temps")
        return real(*args, **kwargs)

    monkeypatch.setattr(writing, "_write_batch", second_batch_fails)
    monkeypatch.setattr(writing, "batch_rows", lambda: 3)
    data = legacy.officers_csv().replace(b"GRADE-X", b"GPX")
    officers = Officer.objects.count()
    job = run(
        clerk,
        data,
        mode=ImportJob.Mode.ATOMIC,
        filename="registre.csv",
        options=OPTIONS,
        source=SOURCE,
    )
    assert job.state == ImportJob.State.FAILED and job.undone_at is not None
    assert Officer.objects.count() == officers
    assert not LegacyIdentifier.objects.filter(source=SOURCE).exists()
    assert not Unit.objects.filter(name="POSTE KATI").exists()
    assert AuditEntry.objects.filter(action="officer.delete").count() == 3
    assert AuditEntry.objects.filter(action="personnel.import_undo", object_id=str(job.pk)).exists()
    assert "annulé par le système" in job.report[-1]["message"] or any(
        "annulé par le système" in line["message"] for line in job.report
    )


def test_commands_follow_the_contract(clerk, tmp_path):
    officers = tmp_path / "registre.csv"
    officers.write_bytes(legacy.officers_csv())
    value_map = tmp_path / "correspondances.csv"
    value_map.write_bytes(legacy.value_map_csv())
    out = io.StringIO()
    call_command(
        "import_officers",
        str(officers),
        "--agency",
        "PN",
        "--mode",
        "valid_rows",
        "--date-order",
        "mdy",
        "--value-map",
        str(value_map),
        "--create-units-under",
        "DR-BKO",
        "--source",
        SOURCE,
        "--user",
        clerk.username,
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    assert "créés : 8, mis à jour : 0, inchangés : 0, lignes en erreur (non importées) : 2" in last
    assert last.endswith("[créés=8 mis_à_jour=0 inchangés=0 en_erreur=2]")
    postings = tmp_path / "affectations.csv.gz"
    import gzip

    postings.write_bytes(gzip.compress(legacy.postings_csv()))
    out = io.StringIO()
    call_command(
        "import_events",
        str(postings),
        "--source",
        SOURCE,
        "--mode",
        "valid_rows",
        "--value-map",
        str(value_map),
        "--user",
        clerk.username,
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    assert last.endswith("[créés=3 mis_à_jour=2 inchangés=2 en_erreur=1]"), last
    assert ImportJob.objects.filter(kind=ImportJob.Kind.POSTING).count() == 1
