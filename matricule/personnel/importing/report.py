"""The report of an import: one line per problem found, and the sentence that sums it up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from django.utils.translation import gettext as _

from matricule.personnel.models import ImportJob

# A problem's level. An error keeps its row out of the import; an info line only says
# what was done instead (a column ignored, a new matricule given). Saved in job.report.
Level = Literal["error", "info"]
ERROR: Final = "error"
INFO: Final = "info"


@dataclass
class Problem:
    """One line of the report: where (row, column, value as read) and what, in French."""

    row: int
    column: str
    value: str
    message: str
    level: Level = ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "level": self.level,
        }


def job_summary(job: ImportJob) -> str:
    """One sentence on the outcome, for the screen and the command."""
    counts = {
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "errors": job.error_count,
    }
    if job.state in (ImportJob.State.PENDING, ImportJob.State.RUNNING):
        return _("Import en cours : ligne %(done)d sur %(total)d.") % {
            "done": job.processed_rows,
            "total": job.total_rows,
        }
    if job.state == ImportJob.State.FAILED:
        return _("L'import a échoué : la raison est donnée dans le rapport.")
    if job.mode == ImportJob.Mode.DRY_RUN:
        return (
            _(
                "Essai terminé — à créer : %(created)d, à mettre à jour : %(updated)d, "
                "inchangés : %(unchanged)d, lignes en erreur : %(errors)d. Rien n'a été "
                "enregistré."
            )
            % counts
        )
    if job.mode == ImportJob.Mode.ATOMIC and job.error_count:
        return (
            _(
                "Tout ou rien — lignes en erreur : %(errors)d. Rien n'a été enregistré : "
                "corrigez le fichier et importez-le de nouveau."
            )
            % counts
        )
    return (
        _(
            "Import terminé — créés : %(created)d, mis à jour : %(updated)d, inchangés : "
            "%(unchanged)d, lignes en erreur (non importées) : %(errors)d."
        )
        % counts
    )
