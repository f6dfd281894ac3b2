"""Import officers from an XLSX or CSV file, as the import screen does, in the foreground.

    python manage.py import_officers agents.xlsx --dry-run
    python manage.py import_officers agents.csv --mode valid_rows --map "Tél. perso=phone"

Headers in French or English are recognised; `--map "En-tête=champ"` names the others
(`=ignorer` skips a column). Without `--dry-run` the mode is `atomic` (nothing is written
if any row is wrong) unless `--mode valid_rows` is given. The job and its report are kept
and shown on the import screen. Exit code 1 when a dry run or an atomic import finds errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.models import Agency
from matricule.personnel.importing.columns import mapping_parse
from matricule.personnel.importing.reading import MAX_FILE_BYTES
from matricule.personnel.importing.report import ERROR, job_summary
from matricule.personnel.importing.selectors import import_roles
from matricule.personnel.importing.services import import_start
from matricule.personnel.models import ImportJob


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .xlsx ou .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="vérifier seulement : rien n'est enregistré"
        )
        parser.add_argument(
            "--mode",
            choices=[ImportJob.Mode.ATOMIC, ImportJob.Mode.VALID_ROWS],
            default=ImportJob.Mode.ATOMIC,
            help="atomic (tout ou rien, défaut) ou valid_rows (lignes valides)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="EN-TÊTE=CHAMP",
            help="correspondance d'une colonne, répétable",
        )
        parser.add_argument("--agency", help="code de l'agence (défaut : celle de l'utilisateur)")
        parser.add_argument("--user", help="identifiant de l'auteur de l'import")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("Seuls les fichiers .xlsx et .csv sont acceptés.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers.")
        try:
            mapping = mapping_parse("\n".join(options["map"]))
        except ValueError as error:
            raise CommandError(str(error)) from error
        user = self._author(options["user"])
        agency = self._agency(options["agency"], user)
        mode = ImportJob.Mode.DRY_RUN if options["dry_run"] else options["mode"]

        job = import_start(
            agency=agency,
            data=path.read_bytes(),
            filename=path.name,
            mode=mode,
            mapping=mapping,
            by=user,
            in_background=False,
        )

        verbosity = options["verbosity"]
        for line in job.report:
            if verbosity >= 1 or line["level"] == ERROR:
                self.stdout.write(
                    f"ligne {line['row']}, colonne {line['column'] or '—'}, "
                    f"valeur « {line['value']} » : {line['message']}"
                    + ("" if line["level"] == ERROR else " (info)")
                )
        summary = f"Import n° {job.pk} : {job_summary(job)}"
        failed = job.state == ImportJob.State.FAILED or (
            job.error_count and job.mode in (ImportJob.Mode.DRY_RUN, ImportJob.Mode.ATOMIC)
        )
        if failed:
            raise CommandError(summary, returncode=1)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary))

    def _author(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Utilisateur « {username} » introuvable.")
            if not (user.is_superuser or user.has_perm_anywhere(Perm.PERSONNEL_IMPORT)):
                raise CommandError(
                    f"L'utilisateur « {username} » n'a pas le droit d'importer des agents."
                )
            return user
        user = (
            User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
            or User.objects.filter(role_grants__role__in=import_roles(), is_active=True)
            .order_by("id")
            .first()
        )
        if user is None:
            raise CommandError(
                "Aucun utilisateur ne peut être l'auteur de l'import : créez un "
                "superutilisateur ou indiquez --user IDENTIFIANT."
            )
        return user

    def _agency(self, code: str | None, user: User) -> Agency:
        if code:
            agency = Agency.objects.filter(code=code.upper()).first()
            if agency is None:
                raise CommandError(f"Agence « {code} » introuvable.")
            return agency
        grants = user.grants_with(Perm.PERSONNEL_IMPORT)
        if grants:
            return grants[0].agency
        raise CommandError("Précisez l'agence avec --agency (ex. --agency PN).")
