"""Checking rows: each problem in French, the officers on file, grades, units, dates."""

from __future__ import annotations

import pytest

from matricule.core.matricule import matricule_format
from matricule.core.models import AuditEntry
from matricule.personnel.importing.planning import CREATE, SKIP, plan_rows, reference_load
from matricule.personnel.importing.reading import read_table
from matricule.personnel.importing.report import ERROR, INFO, job_summary
from matricule.personnel.models import CareerEvent, ImportJob, Officer
from matricule.personnel.tests.importing.support import (
    HEADER,
    counts,
    csv_file,
    messages_for,
    messy_file,
    new_row,
    run,
)

pytestmark = pytest.mark.django_db


# --- A messy file ---------------------------------------------------------------------


def test_messy_file_dry_run_reports_each_problem_in_french_and_writes_nothing(clerk):
    officers, events, audit = (
        Officer.objects.count(),
        CareerEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    job = run(clerk, messy_file())
    assert job.state == ImportJob.State.DONE
    assert job.total_rows == 8
    assert counts(job) == (2, 0, 0, 6)
    assert messages_for(job, 3) == ["Date impossible : ce jour n'existe pas dans le calendrier."]
    [grade] = messages_for(job, 5)
    assert grade.startswith("Grade inconnu « Sergant » (1 ligne) : indiquez à quel grade")
    assert grade.endswith("Suggestion : « SGT ».")
    assert (
        messages_for(job, 6)
        == messages_for(job, 7)
        == ["NINA en double dans le fichier (2 lignes : 6, 7)."]
    )
    assert messages_for(job, 9)[0].startswith("Unité inconnue « Commissariat de Tataouine »")
    assert messages_for(job, 10)[0].startswith("Le NINA comporte 14 chiffres")
    assert messages_for(job, 2) == messages_for(job, 4) == messages_for(job, 8) == []
    line = next(line for line in job.report if line["row"] == 5)
    assert line == {
        "row": 5,
        "column": "Grade",
        "value": "Sergant",
        "message": grade,
        "level": "error",
    }
    assert (Officer.objects.count(), CareerEvent.objects.count(), AuditEntry.objects.count()) == (
        officers,
        events,
        audit,
    )


# --- Existing officers: matricule, then NINA ------------------------------------------


def test_nina_of_another_officer_of_the_agency_is_refused(clerk, make_officer):
    first = make_officer(nina="12345678901234A")
    second = make_officer(nina="22222222222222B")
    data = csv_file([["Matricule", "NINA"], [first.matricule, second.nina]])
    job = run(clerk, data)
    assert job.error_count == 1
    assert messages_for(job, 2) == [
        f"Ce NINA est déjà celui d'un autre agent de l'agence (matricule {second.matricule})."
    ]


def test_nina_matching_an_officer_with_another_matricule_is_refused(clerk, make_officer):
    officer = make_officer(nina="12345678901234A")
    other = matricule_format(prefix="PN", digits=6, number=999_000)
    job = run(clerk, csv_file([["Matricule", "NINA"], [other, officer.nina]]))
    assert job.error_count == 1
    assert messages_for(job, 2)[0].startswith(
        f"Le NINA est celui de l'agent de matricule {officer.matricule}"
    )


# --- Grades, units and required values ------------------------------------------------


def test_grade_is_read_in_the_statute_in_force_on_the_entry_date(clerk):
    data = csv_file(
        [
            HEADER,
            new_row(
                1,
                Grade="sous-brigadier",
                **{"Date d'entrée": "01/10/2005", "Date de naissance": "01/01/1980"},
            ),
            new_row(
                2, Grade="SGT", **{"Date d'entrée": "01/10/2005", "Date de naissance": "01/01/1980"}
            ),
        ]
    )
    job = run(clerk, data, options={"date_order": "dmy"})
    assert counts(job) == (1, 0, 0, 1)
    assert messages_for(job, 3) == [
        "Ce grade n'existe pas dans le Statut de 2002 (et régimes antérieurs), en vigueur à la "
        "date d'entrée du 01/10/2005 : indiquez le grade à l'entrée en service (les "
        "avancements s'enregistrent ensuite dans la carrière)."
    ]


def test_new_officer_needs_the_career_columns(clerk):
    data = csv_file([["NINA", "Nom", "Prénoms"], ["90000000000001B", "Diarra", "Awa"]])
    job = run(clerk, data)
    assert job.error_count == 1
    columns = {line["column"] for line in job.report}
    assert columns == {"sexe", "date de naissance", "grade", "unité", "date d'entrée"}
    assert all("obligatoire pour créer un nouvel agent" in m for m in messages_for(job, 2))


def test_file_without_key_nor_required_columns_fails_at_the_header(clerk):
    job = run(clerk, csv_file([["Nom", "Téléphone"], ["Diarra", "76 12 34 56"]]))
    assert job.state == ImportJob.State.FAILED
    assert {line["column"] for line in job.report if line["level"] == "error"} == {
        "prénom(s)",
        "sexe",
        "date de naissance",
        "grade",
        "unité",
        "date d'entrée",
    }


def test_entry_before_sixteen_and_in_the_future_are_refused(clerk):
    data = csv_file(
        [
            HEADER,
            new_row(1, **{"Date d'entrée": "01/10/2005", "Date de naissance": "01/01/1995"}),
            new_row(2, **{"Date d'entrée": "01/10/2999"}),
        ]
    )
    job = run(clerk, data)
    assert messages_for(job, 2) == [
        "La date d'entrée précède les 16 ans de l'agent (né le 01/01/1995)."
    ]
    assert messages_for(job, 3) == ["La date d'entrée ne peut pas être dans le futur."]


# --- Skipped rows and error lines ---------------------------------------------------------


def two_errors_and_an_info() -> bytes:
    return csv_file(
        [
            HEADER,
            new_row(1, NINA="1234", **{"Téléphone": "pas de numéro"}),  # 2: two errors
            new_row(2, Matricule="12345"),  # 3: an info line; the row is still created
        ]
    )


def test_a_row_with_two_errors_is_one_skipped_row_and_an_info_line_skips_nothing(mali):
    table = read_table(two_errors_and_an_info(), "agents.csv")
    reference = reference_load(agency=mali, by=None)
    plan = plan_rows(table=table, mapping={}, reference=reference)
    assert [(p.row, p.column, p.level) for p in plan.problems if p.row > 1] == [
        (2, "NINA", ERROR),
        (2, "Téléphone", ERROR),
        (3, "Matricule", INFO),
    ]
    assert [r.action for r in plan.rows] == [SKIP, CREATE]
    assert (plan.count(SKIP), plan.count(CREATE), plan.error_rows) == (1, 1, 1)
    # A row's action is not a problem's level: counting rows by the level finds none.
    assert plan.count(ERROR) == 0


def test_job_counts_rows_in_error_not_error_lines(clerk):
    job = run(clerk, two_errors_and_an_info())
    assert counts(job) == (1, 0, 0, 1)
    assert [line["level"] for line in job.report if line["row"] > 1] == ["error", "error", "info"]
    assert job_summary(job) == (
        "Essai terminé — à créer : 1, à mettre à jour : 0, inchangés : 0, lignes en erreur : 1. "
        "Rien n'a été enregistré."
    )
