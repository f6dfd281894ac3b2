"""Files and jobs for the import tests: a valid recruit's row, a messy file, a job run."""

from __future__ import annotations

import io
import unicodedata

import openpyxl

from matricule.core.models import Agency
from matricule.personnel.importing.services import import_start
from matricule.personnel.models import ImportJob
from matricule.personnel.tests.factories import letters

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
        "Prénom(s)": f"Awa {letters(n)}",  # a name holds no digit
        "Sexe": "F",
        "Date de naissance": "14/03/1998",
        "Grade": "Gardien de la paix",
        "Unité": "BKO-CA01",
        "Date d'entrée": "01/10/2024",
        "Téléphone": "+223 76 12 34 56",
    }
    values.update({k.replace("_", " "): v for k, v in over.items()})
    return [values[h] for h in HEADER]


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


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(
    clerk,
    data: bytes,
    *,
    mode: str = ImportJob.Mode.DRY_RUN,
    filename: str = "agents.csv",
    mapping: dict[str, str] | None = None,
    options: dict | None = None,
    kind: str = ImportJob.Kind.OFFICERS,
    source: str = "",
) -> ImportJob:
    job = import_start(
        agency=Agency.objects.get(code="PN"),
        data=data,
        filename=filename,
        mode=mode,
        mapping=mapping or {},
        by=clerk,
        options=options,
        kind=kind,
        source=source,
        in_background=False,
    )
    job.refresh_from_db()
    return job


def messages_for(job: ImportJob, row: int) -> list[str]:
    """The report's messages about a row (grouped lines included)."""
    return [line["message"] for line in job.report if row in (line.get("rows") or [line["row"]])]


def counts(job: ImportJob) -> tuple[int, int, int, int]:
    return job.created_count, job.updated_count, job.unchanged_count, job.error_count
