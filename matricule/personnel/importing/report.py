"""The report of an import: one line per problem found, and the sentence that sums it up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matricule.personnel.models import ImportJob

# A problem's level. An error keeps its row out of the import; an info line only says
# what was done instead (a column ignored, a new matricule given) or warns (a probable
# duplicate, an officer past retirement age). Saved in job.report.
Level = Literal["error", "info"]
ERROR: Final = "error"
INFO: Final = "info"
# Rows listed on one grouped line (the count says how many there are in all).
ROWS_SHOWN = 20


@dataclass
class Problem:
    """One line of the report: where (row, column, value as read) and what, in French.

    `rows` holds every row a grouped line stands for (the same problem with the same
    value on many rows is reported once, with its count): the downloadable report of
    rejected rows uses it to give each row its problem.
    """

    row: int
    column: str
    value: str
    message: str
    level: Level = ERROR
    rows: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows) or 1

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "level": self.level,
        }
        if len(self.rows) > 1:
            data["rows"] = self.rows
            data["count"] = len(self.rows)
        return data


def problems_grouped(problems: list[Problem]) -> list[Problem]:
    """The same problem (column, value, message) on several rows becomes one line.

    A header-level failure or an unknown grade is then reported once, with its count,
    instead of once per row; the line says which rows.
    """
    groups: dict[tuple[str, str, str, Level], list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[(problem.column, problem.value, problem.message, problem.level)].append(problem)
    out: list[Problem] = []
    for (column, value, message, level), same in groups.items():
        rows = sorted({r for p in same for r in (p.rows or [p.row])})
        if len(rows) == 1 or (len(same) == 1 and same[0].rows):
            out.append(same[0])  # one row, or a line that already names its count
            continue
        shown = ", ".join(str(r) for r in rows[:ROWS_SHOWN])
        if len(rows) > ROWS_SHOWN:
            shown += "…"
        suffix = ngettext(
            " (%(count)d ligne : %(rows)s)", " (%(count)d lignes : %(rows)s)", len(rows)
        ) % {"count": len(rows), "rows": shown}
        text = message[:-1] + suffix + "." if message.endswith(".") else message + suffix
        out.append(Problem(rows[0], column, value, text, level, rows))
    out.sort(key=lambda p: (p.row, p.level != ERROR))
    return out


def report_rows_in_error(report: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Row number → the French messages of its errors (for the rejected rows' workbook)."""
    errors: dict[int, list[str]] = defaultdict(list)
    for line in report:
        if line.get("level") != ERROR:
            continue
        message = line["message"]
        column = line.get("column") or ""
        text = f"{column} : {message}" if column else message
        for row in line.get("rows") or [line["row"]]:
            errors[int(row)].append(text)
    return dict(errors)


def job_summary(job: ImportJob) -> str:
    """One sentence on the outcome, for the screen and the command."""
    counts = {
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "errors": job.error_count,
        "committed": job.committed_rows,
    }
    history = job.kind != ImportJob.Kind.OFFICERS
    if job.state in (ImportJob.State.PENDING, ImportJob.State.RUNNING):
        if job.state == ImportJob.State.PENDING:
            return _("Import en attente du travail de fond.")
        return _("Import en cours : ligne %(done)d sur %(total)d.") % {
            "done": job.processed_rows,
            "total": job.total_rows,
        }
    if job.state == ImportJob.State.FAILED:
        if job.undone_at is not None:
            return _(
                "L'import a échoué : ce qu'il avait enregistré a été annulé par le système, "
                "rien n'est resté. La raison est donnée dans le rapport."
            )
        if job.committed_rows and job.mode == ImportJob.Mode.VALID_ROWS:
            return (
                _(
                    "L'import a été interrompu : %(committed)d lignes avaient été "
                    "enregistrées (créés : %(created)d, mis à jour : %(updated)d). Relancez-le : "
                    "les lignes déjà enregistrées ne changeront pas."
                )
                % counts
            )
        return _("L'import a échoué : la raison est donnée dans le rapport.")
    if job.mode == ImportJob.Mode.DRY_RUN:
        text = (
            _(
                "Essai terminé — événements à créer : %(created)d, dossiers à mettre à jour : "
                "%(updated)d, inchangés : %(unchanged)d, lignes en erreur : %(errors)d. "
                "Rien n'a été enregistré."
            )
            if history
            else _(
                "Essai terminé — à créer : %(created)d, à mettre à jour : %(updated)d, "
                "inchangés : %(unchanged)d, lignes en erreur : %(errors)d. Rien n'a été "
                "enregistré."
            )
        )
        return text % counts
    if job.mode == ImportJob.Mode.ATOMIC and job.error_count:
        return (
            _(
                "Tout ou rien — lignes en erreur : %(errors)d. Rien n'a été enregistré : "
                "corrigez le fichier et importez-le de nouveau."
            )
            % counts
        )
    text = (
        _(
            "Import terminé — événements créés : %(created)d, dossiers mis à jour : "
            "%(updated)d, inchangés : %(unchanged)d, lignes en erreur (non importées) : "
            "%(errors)d."
        )
        if history
        else _(
            "Import terminé — créés : %(created)d, mis à jour : %(updated)d, inchangés : "
            "%(unchanged)d, lignes en erreur (non importées) : %(errors)d."
        )
    )
    return text % counts
