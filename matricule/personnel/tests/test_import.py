"""Importing officers from files: headers, values, checks, modes, upserts, background, command."""

from __future__ import annotations

import datetime
import io
import unicodedata

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from matricule.accounts.roles import Role
from matricule.core.matricule import matricule_format
from matricule.core.models import Agency, AuditEntry
from matricule.personnel.importing.cells import CellError, parse_date
from matricule.personnel.importing.columns import columns_match, mapping_parse
from matricule.personnel.importing.reading import read_table
from matricule.personnel.importing.report import job_summary
from matricule.personnel.importing.services import import_start
from matricule.personnel.models import CareerEvent, ImportJob, Officer

pytestmark = pytest.mark.django_db

HEADER = [
    "Matricule",
    "NINA",
    "Nom",
    "Prénom(s)",
    "Sexe",
    "Date de naissance",
    "Grade",
    "Unité",
    "Date d'entrée",
    "Téléphone",
]


def csv_file(rows: list[list[str]], sep: str = ";", encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(sep.join(row) for row in rows).encode(encoding)


def new_row(n: int, **over: str) -> list[str]:
    """A valid new recruit of 2024 (statute of 2023), with a NINA of its own."""
    values = {
        "Matricule": "",
        "NINA": f"{90000000000000 + n:014d}B",
        "Nom": "Diarra",
        "Prénom(s)": f"Awa {n}",
        "Sexe": "F",
        "Date de naissance": "14/03/1998",
        "Grade": "Gardien de la paix",
        "Unité": "BKO-CA01",
        "Date d'entrée": "01/10/2024",
        "Téléphone": "+223 76 12 34 56",
    }
    values.update({k.replace("_", " "): v for k, v in over.items()})
    return [values[h] for h in HEADER]


@pytest.fixture
def clerk(make_user):
    return make_user(Role.HR_CLERK)


def run(
    clerk,
    data: bytes,
    *,
    mode: str = ImportJob.Mode.DRY_RUN,
    filename: str = "agents.csv",
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    job = import_start(
        agency=Agency.objects.get(code="PN"),
        data=data,
        filename=filename,
        mode=mode,
        mapping=mapping or {},
        by=clerk,
    )
    job.refresh_from_db()
    return job


def messages_for(job: ImportJob, row: int) -> list[str]:
    return [line["message"] for line in job.report if line["row"] == row]


def counts(job: ImportJob) -> tuple[int, int, int, int]:
    return job.created_count, job.updated_count, job.unchanged_count, job.error_count


# --- Headers and mapping ---------------------------------------------------------------


def test_french_headers_are_recognised_with_accents_in_any_form():
    headers = [
        "Nom",
        "PRE\u0301NOM(S)",
        "Date de naissance",
        "Grade",
        "Unité",
        "Matricule",
        "Sexe",
        "N° NINA",
        "Date d’entrée",
    ]
    columns, problems, fatal = columns_match(headers, {})
    assert [columns[i] for i in range(len(headers))] == [
        "family_name",
        "given_names",
        "birth_date",
        "grade",
        "unit",
        "matricule",
        "sex",
        "nina",
        "entry_date",
    ]
    assert problems == [] and not fatal


def test_english_headers_are_recognised():
    headers = [
        "Last Name",
        "First Name",
        "Rank",
        "Unit",
        "Appointed date",
        "Date of birth",
        "Gender",
        "Service number",
        "Phone number",
    ]
    columns, _problems, fatal = columns_match(headers, {})
    assert list(columns.values()) == [
        "family_name",
        "given_names",
        "grade",
        "unit",
        "entry_date",
        "birth_date",
        "sex",
        "matricule",
        "phone",
    ]
    assert not fatal


def test_explicit_mapping_names_and_ignores_columns():
    headers = ["Nom", "Prénoms", "Tél. perso", "Nom du père", "Matricule"]
    mapping = mapping_parse("Tél. perso=téléphone\nNom du père=ignorer\n# commentaire\n")
    columns, problems, _fatal = columns_match(headers, mapping)
    assert columns == {0: "family_name", 1: "given_names", 2: "phone", 4: "matricule"}
    assert problems == []


def test_unknown_header_is_reported_as_ignored():
    _columns, problems, _fatal = columns_match(["Nom", "Matricule", "Religion"], {})
    assert [(p.column, p.level) for p in problems] == [("Religion", "info")]
    assert "Colonne non reconnue, ignorée" in problems[0].message


def test_two_columns_for_one_field_is_fatal():
    _columns, problems, fatal = columns_match(["Matricule", "Téléphone", "Tel"], {})
    assert fatal
    assert "désignent toutes deux le champ « téléphone »" in problems[0].message


def test_mapping_to_an_unknown_field_is_refused_in_french():
    with pytest.raises(ValueError, match="champ « religion » inconnu"):
        mapping_parse("Religion=religion")
    with pytest.raises(ValueError, match="En-tête=champ"):
        mapping_parse("sans signe égal")


# --- Values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21/11/2026", datetime.date(2026, 11, 21)),
        ("2026-11-21", datetime.date(2026, 11, 21)),
        ("21-11-2026", datetime.date(2026, 11, 21)),
        ("21.11.2026", datetime.date(2026, 11, 21)),
        ("1/2/85", datetime.date(1985, 2, 1)),
        ("3/4/05", datetime.date(2005, 4, 3)),
        ("2026-11-21 00:00:00", datetime.date(2026, 11, 21)),
        (44927, datetime.date(2023, 1, 1)),  # Excel serial number
        (44927.0, datetime.date(2023, 1, 1)),
        ("44927", datetime.date(2023, 1, 1)),  # a serial number saved to CSV
        # openpyxl reads date cells as naive datetimes.
        (datetime.datetime(2026, 11, 21, 0, 0), datetime.date(2026, 11, 21)),  # noqa: DTZ001
        (datetime.date(2026, 11, 21), datetime.date(2026, 11, 21)),
    ],
)
def test_common_date_formats_are_read(value, expected):
    assert parse_date(value, today=datetime.date(2026, 1, 1)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2020", "Date impossible"),
        ("le 3 mars", "Date illisible : écrivez-la sous la forme JJ/MM/AAAA"),
        ("21/11", "Date illisible"),
    ],
)
def test_bad_dates_say_how_to_write_them(value, message):
    with pytest.raises(CellError, match=message):
        parse_date(value)


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read_table(csv_file([HEADER, [""] * len(HEADER), new_row(1), [], new_row(2)]), "a.csv")
    assert [number for number, _cells in table.rows] == [3, 5]


def test_csv_in_windows_1252_with_commas_is_read():
    data = csv_file([["Nom", "Prénom"], ["Maïga", "Fatoumata"]], sep=",", encoding="cp1252")
    table = read_table(data, "a.csv")
    assert table.headers == ["Nom", "Prénom"]
    assert table.rows == [(2, ["Maïga", "Fatoumata"])]


# --- A messy file -----------------------------------------------------------------------


def messy_file() -> bytes:
    nfd = unicodedata.normalize("NFD", "Maïga")
    return csv_file(
        [
            HEADER,
            new_row(1),  # 2: fine
            new_row(2, **{"Date de naissance": "31/02/1990"}),  # 3: impossible date
            [""] * len(HEADER),  # 4: blank line
            new_row(3, Grade="Sergant"),  # 5: unknown grade
            new_row(4, NINA="90000000000099B"),  # 6: same NINA as row 7
            new_row(5, NINA="90000000000099B"),  # 7
            new_row(6, Nom=nfd, Sexe="Féminin"),  # 8: NFD accents, fine
            new_row(7, Unité="Commissariat de Tataouine"),  # 9: unknown unit
            new_row(8, NINA="1234"),  # 10: NINA too short
            [],  # 11: empty line
        ]
    )


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
    assert grade.startswith("Grade inconnu : indiquez le code (ex. SGT) ou le nom")
    assert (
        messages_for(job, 6)
        == messages_for(job, 7)
        == ["NINA en double dans le fichier (lignes 6, 7)."]
    )
    assert messages_for(job, 9)[0].startswith("Unité inconnue dans l'agence Police nationale")
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
    assert maiga.search_name == "maiga awa 6"
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
    [line] = job.report
    assert line["level"] == "info"
    assert line["message"].startswith("Matricule non conforme au format de l'agence")


# --- Existing officers: upsert by matricule, then NINA ----------------------------------


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


# --- Grades, units and required values ----------------------------------------------------


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
    job = run(clerk, data)
    assert counts(job) == (1, 0, 0, 1)
    assert messages_for(job, 3) == [
        "Ce grade n'existe pas dans le Statut de 2002 (et régimes antérieurs), en vigueur à la "
        "date d'entrée du 01/10/2005 : indiquez le grade à l'entrée en service (les "
        "avancements s'enregistrent ensuite dans la carrière)."
    ]


def test_unit_is_found_by_its_name_whatever_the_accents_and_case(clerk):
    job = run(
        clerk,
        csv_file([HEADER, new_row(1, Unité="COMMISSARIAT DU 1ER ARRONDISSEMENT")]),
        mode=ImportJob.Mode.ATOMIC,
    )
    assert counts(job) == (1, 0, 0, 0)


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


def test_unreadable_file_fails_with_a_french_message(clerk):
    job = run(clerk, b"PK\x03\x04 pas un classeur", filename="agents.xlsx")
    assert job.state == ImportJob.State.FAILED
    assert "n'est pas un classeur XLSX valide" in job.report[0]["message"]


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    job = run(clerk, data, filename="recrues.xlsx", mode=ImportJob.Mode.ATOMIC)
    assert counts(job) == (2, 0, 0, 0), job.report
    mariam = Officer.objects.get(nina="90000000000001B")
    assert (mariam.birth_date, mariam.entry_date, mariam.phone, mariam.sex) == (
        datetime.date(1997, 5, 2),
        datetime.date(2024, 10, 1),
        "76123456",
        "F",
    )
    assert Officer.objects.get(nina="90000000000002B").grade.code == "GPP"


# --- Background -------------------------------------------------------------------------


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


# --- Command --------------------------------------------------------------------------------


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


def test_explicit_mapping_wins_over_a_column_that_looks_like_the_field():
    headers = ["Matricule", "Téléphone", "Tél. perso"]
    columns, problems, fatal = columns_match(headers, {"Tél. perso": "phone"})
    assert columns == {0: "matricule", 2: "phone"}
    assert (problems, fatal) == ([], False)


def test_title_lines_above_the_header_are_skipped():
    data = csv_file(
        [["Liste du personnel — Commissariat du 1er arrondissement"], [], HEADER, new_row(1)]
    )
    table = read_table(data, "a.csv")
    assert (table.header_row, table.headers) == (3, HEADER)
    assert [number for number, _cells in table.rows] == [4]
