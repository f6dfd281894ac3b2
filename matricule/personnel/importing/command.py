"""What the import commands share: options, author, agency, report lines, summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.models import Agency
from matricule.core.tabular import tabular_format
from matricule.personnel.importing.cells import DATE_ORDERS
from matricule.personnel.importing.columns import mapping_parse
from matricule.personnel.importing.reading import import_limits
from matricule.personnel.importing.report import ERROR, job_summary
from matricule.personnel.importing.selectors import import_roles
from matricule.personnel.importing.services import import_start
from matricule.personnel.importing.values import value_map_parse
from matricule.personnel.models import ImportJob


def add_common_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="fichier .xlsx, .csv ou .csv.gz")
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
    parser.add_argument(
        "--date-order",
        action="append",
        default=[],
        metavar="dmy|mdy|ymd",
        help="ordre des dates du fichier (jj/mm, mm/jj, ISO), ou « En-tête=mdy » pour une "
        "colonne ; par défaut déduit des valeurs",
    )
    parser.add_argument(
        "--value-map",
        metavar="FICHIER",
        help="CSV « field,value,code » : grade, unit, status, sex, exit_reason",
    )
    parser.add_argument(
        "--create-units-under",
        metavar="CODE_UNITÉ",
        help="créer les unités absentes sous cette unité parente",
    )
    parser.add_argument(
        "--unit-type", metavar="CODE_TYPE", help="type des unités créées (défaut : celui du parent)"
    )
    parser.add_argument(
        "--source",
        metavar="NOM",
        help="système d'origine (anciens identifiants, correspondances enregistrées)",
    )
    parser.add_argument("--agency", help="code de l'agence (défaut : celle de l'utilisateur)")
    parser.add_argument("--user", help="identifiant de l'auteur de l'import")


def read_options(
    options: dict[str, Any], *, history: bool
) -> tuple[Path, dict[str, str], dict[str, Any]]:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"Fichier introuvable : {path}")
    if tabular_format(path.name) is None:
        raise CommandError("Seuls les fichiers .xlsx, .csv et .csv.gz sont acceptés.")
    limit = import_limits().max_bytes
    if path.stat().st_size > limit:
        raise CommandError(
            f"Le fichier dépasse {limit // (1024 * 1024)} Mo : découpez-le en plusieurs fichiers."
        )
    try:
        mapping = mapping_parse("\n".join(options["map"]), history=history)
    except ValueError as error:
        raise CommandError(str(error)) from error
    reading: dict[str, Any] = {"column_orders": {}}
    for value in options["date_order"]:
        header, sep, order = value.rpartition("=")
        order = order.strip().lower()
        if order not in DATE_ORDERS:
            raise CommandError(
                f"--date-order {value} : écrivez dmy (jj/mm/aaaa), mdy (mm/jj/aaaa) ou ymd."
            )
        if sep:
            reading["column_orders"][header.strip()] = order
        else:
            reading["date_order"] = order
    if options["value_map"]:
        map_path = Path(options["value_map"])
        if not map_path.is_file():
            raise CommandError(f"Fichier de correspondances introuvable : {map_path}")
        try:
            reading["value_map"] = value_map_parse(map_path.read_bytes())
        except ValueError as error:
            raise CommandError(str(error)) from error
    if options["create_units_under"]:
        reading["create_units_under"] = options["create_units_under"]
        reading["unit_type"] = options["unit_type"] or ""
    return path, mapping, reading


def author(username: str | None) -> User:
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


def agency_for(code: str | None, user: User) -> Agency:
    if code:
        agency = Agency.objects.filter(code=code.upper()).first()
        if agency is None:
            raise CommandError(f"Agence « {code} » introuvable.")
        return agency
    grants = user.grants_with(Perm.PERSONNEL_IMPORT)
    if grants:
        return grants[0].agency
    raise CommandError("Précisez l'agence avec --agency (ex. --agency PN).")


def run_import(command: BaseCommand, options: dict[str, Any], *, kind: str | None) -> None:
    """Run the import in the foreground; print the report, then the one-line summary last."""
    history = kind is not None
    path, mapping, reading = read_options(options, history=history)
    user = author(options["user"])
    agency = agency_for(options["agency"], user)
    mode = ImportJob.Mode.DRY_RUN if options["dry_run"] else options["mode"]
    if history and not kind:
        kind = _detect_kind(path, mapping)
    with path.open("rb") as handle:
        job = import_start(
            agency=agency,
            handle=handle,
            filename=path.name,
            mode=mode,
            mapping=mapping,
            by=user,
            kind=kind or ImportJob.Kind.OFFICERS,
            source=options["source"] or "",
            options=reading,
            in_background=False,
        )
    job.refresh_from_db()
    verbosity = options["verbosity"]
    for line in job.report:
        if verbosity >= 1 or line["level"] == ERROR:
            command.stdout.write(
                f"ligne {line['row']}, colonne {line['column'] or '—'}, "
                f"valeur « {line['value']} » : {line['message']}"
                + ("" if line["level"] == ERROR else " (info)")
            )
    summary = (
        f"Import n° {job.pk} : {job_summary(job)} [créés={job.created_count} "
        f"mis_à_jour={job.updated_count} inchangés={job.unchanged_count} "
        f"en_erreur={job.error_count}]"
    )
    failed = job.state == ImportJob.State.FAILED or (
        job.error_count and job.mode in (ImportJob.Mode.DRY_RUN, ImportJob.Mode.ATOMIC)
    )
    command.stdout.write(summary)
    if failed:
        raise CommandError(summary, returncode=1)


def _detect_kind(path: Path, mapping: dict[str, str]) -> str:
    from matricule.personnel.importing.columns import columns_match
    from matricule.personnel.importing.history import history_kind
    from matricule.personnel.importing.reading import ImportFileError, open_table

    try:
        with path.open("rb") as handle:
            table = open_table(handle, path.name, history=True)
            headers = table.headers
    except ImportFileError as error:
        raise CommandError(str(error)) from error
    columns, _problems, _fatal = columns_match(headers, mapping, history=True)
    kind = history_kind(set(columns.values()))
    if kind is None:
        raise CommandError(
            "Nature de l'historique introuvable d'après les colonnes : précisez "
            "--kind posting, grade, status, exit ou function."
        )
    return kind
