"""Import jobs: starting them, running them in the foreground or background, writing rows.

Writing goes through `officer_create` and `officer_update`, which validate and audit
each officer; `import_run` ties it together for an `ImportJob` and keeps the report on it.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record
from matricule.core.models import Agency
from matricule.personnel.importing.columns import COLUMNS
from matricule.personnel.importing.planning import (
    CREATE,
    PROGRESS_EVERY,
    UNCHANGED,
    UPDATE,
    Plan,
    PlannedRow,
    plan_rows,
    reference_load,
)
from matricule.personnel.importing.reading import ImportFileError, Table, read_table
from matricule.personnel.importing.report import Problem
from matricule.personnel.models import ActKind, ImportJob, Officer
from matricule.personnel.services import (
    IDENTITY_FIELDS,
    Act,
    ConflictError,
    officer_create,
    officer_update,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

logger = logging.getLogger(__name__)

# Files with more data rows than this run in the background (django-tasks).
BACKGROUND_ABOVE = 1000

_IDENTITY = frozenset(IDENTITY_FIELDS)


def import_start(
    *,
    agency: Agency,
    data: bytes,
    filename: str,
    mode: str,
    mapping: dict[str, str],
    by: User,
    in_background: bool | None = None,
) -> ImportJob:
    """Keep the file and its job; run it now if small, else queue it for the worker.

    `in_background` forces the choice (the command line always runs in the foreground).
    """
    job = ImportJob(
        agency=agency, filename=filename[:255], mode=mode, mapping=mapping, created_by=by
    )
    job.file.save(filename, ContentFile(data), save=False)
    try:
        table: Table | None = read_table(data, filename)
    except ImportFileError:
        table = None  # import_run reads it again and reports why it failed
    job.total_rows = len(table.rows) if table else 0
    job.save()
    _launch(job, by=by, table=table, in_background=in_background)
    return job


def import_rerun(*, job: ImportJob, mode: str, by: User) -> ImportJob:
    """Import for real the file a dry run checked, as a new job with its own report."""
    if job.mode != ImportJob.Mode.DRY_RUN or job.state != ImportJob.State.DONE:
        raise ValidationError(_("Seul un essai terminé peut être importé pour de bon."))
    if mode not in (ImportJob.Mode.ATOMIC, ImportJob.Mode.VALID_ROWS):
        raise ValidationError(_("Choisissez « tout ou rien » ou « lignes valides seulement »."))
    new = ImportJob.objects.create(
        agency=job.agency,
        file=job.file.name,
        filename=job.filename,
        mode=mode,
        mapping=job.mapping,
        total_rows=job.total_rows,
        created_by=by,
    )
    _launch(new, by=by, table=None)
    return new


def _launch(
    job: ImportJob, *, by: User, table: Table | None, in_background: bool | None = None
) -> None:
    if in_background is None:
        in_background = job.total_rows > BACKGROUND_ABOVE
    if in_background:
        from matricule.personnel.tasks import import_job_run

        job_id = job.pk
        transaction.on_commit(lambda: import_job_run.enqueue(job_id))
        return
    import_run(job=job, by=by, table=table)


def import_run(*, job: ImportJob, by: User | None, table: Table | None = None) -> ImportJob:
    """Check and (unless a dry run) write the job's file; the report is kept on the job."""
    if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return job
    with translation.override(settings.LANGUAGE_CODE):
        _job_update(job, state=ImportJob.State.RUNNING, processed_rows=0)
        try:
            if table is None:
                with job.file.open("rb") as handle:
                    table = read_table(handle.read(), job.filename)
            _job_update(job, total_rows=len(table.rows))
            reference = reference_load(agency=job.agency, by=by)
            dry_run = job.mode == ImportJob.Mode.DRY_RUN
            plan = plan_rows(
                table=table,
                mapping=job.mapping,
                reference=reference,
                progress=(lambda n: _job_update(job, processed_rows=n)) if dry_run else None,
            )
            if plan.fatal:
                _finish(job, plan, state=ImportJob.State.FAILED)
            elif dry_run:
                _finish(job, plan, created=plan.count(CREATE), updated=plan.count(UPDATE))
            elif job.mode == ImportJob.Mode.ATOMIC and plan.error_rows:
                _finish(job, plan)
            else:
                _write(job, plan, by=by)
        except ImportFileError as error:
            _fail(job, str(error))
        except Exception:
            logger.exception("import %s interrompu", job.pk)
            _fail(
                job,
                _(
                    "Erreur inattendue : l'import a été interrompu. Les lignes déjà "
                    "enregistrées (mode « lignes valides ») le restent ; signalez ce "
                    "numéro d'import à l'administrateur."
                ),
            )
    return job


def _job_update(job: ImportJob, **values: Any) -> None:
    for key, value in values.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _fail(job: ImportJob, message: str) -> None:
    _job_update(
        job,
        state=ImportJob.State.FAILED,
        finished_at=timezone.now(),
        report=[*job.report, Problem(1, "", job.filename, message).as_dict()],
    )


def _finish(
    job: ImportJob,
    plan: Plan,
    *,
    state: str = ImportJob.State.DONE,
    created: int = 0,
    updated: int = 0,
    write_errors: list[Problem] | None = None,
    failed_rows: int = 0,
) -> None:
    problems = sorted([*plan.problems, *(write_errors or [])], key=lambda p: p.row)
    _job_update(
        job,
        state=state,
        finished_at=timezone.now(),
        processed_rows=job.total_rows,
        created_count=created,
        updated_count=updated,
        unchanged_count=plan.count(UNCHANGED),
        error_count=plan.error_rows + failed_rows,
        report=[p.as_dict() for p in problems],
    )


class _Rollback(Exception):
    """Leaves the all-or-nothing transaction after a row failed to save."""


def _write(job: ImportJob, plan: Plan, *, by: User | None) -> None:
    atomic = job.mode == ImportJob.Mode.ATOMIC
    created = updated = failed = 0
    write_errors: list[Problem] = []
    block: AbstractContextManager[Any] = transaction.atomic() if atomic else nullcontext()
    try:
        with block:
            for done, planned in enumerate(plan.rows, start=1):
                if planned.action in (CREATE, UPDATE):
                    try:
                        with transaction.atomic():
                            _write_row(job, planned, by=by)
                    except (ValidationError, ConflictError, IntegrityError) as error:
                        write_errors.extend(_write_problems(plan, planned, error))
                        if atomic:
                            raise _Rollback from error
                        failed += 1
                    else:
                        created += planned.action == CREATE
                        updated += planned.action == UPDATE
                if done % PROGRESS_EVERY == 0:
                    # Inside the all-or-nothing transaction others see this only at the end.
                    _job_update(job, processed_rows=done)
            if created or updated:
                audit_record(
                    by=by,
                    action="personnel.import",
                    obj=job,
                    after={
                        "file": job.filename,
                        "mode": job.mode,
                        "created": created,
                        "updated": updated,
                    },
                )
    except _Rollback:
        _finish(job, plan, write_errors=write_errors, failed_rows=1)
        return
    _finish(
        job, plan, created=created, updated=updated, write_errors=write_errors, failed_rows=failed
    )


def _write_row(job: ImportJob, planned: PlannedRow, *, by: User | None) -> None:
    if planned.action == UPDATE:
        assert planned.officer_id is not None
        officer_update(
            officer=Officer(pk=planned.officer_id),
            data=planned.changes,
            expected_version=planned.version,
            by=by,
        )
        return
    assert planned.unit is not None and planned.grade is not None
    values = planned.values
    entry = values["entry_date"]
    officer_create(
        agency=job.agency,
        identity={k: v for k, v in values.items() if k in _IDENTITY},
        unit=planned.unit,
        grade=planned.grade,
        entry_date=entry,
        act=Act(kind=ActKind.NOTE, number=f"IMPORT-{job.pk}", date=entry),
        function=values.get("function", ""),
        matricule=planned.matricule,
        by=by,
    )
    if planned.matricule:
        # A number taken from the file must never be handed out again by the counter.
        agency = job.agency
        number = int(planned.matricule[len(agency.matricule_prefix) : -1])
        Agency.objects.filter(pk=agency.pk, matricule_seq__lt=number).update(matricule_seq=number)


_MODEL_TO_COLUMN = {"effective_date": "entry_date", "act_date": "entry_date"}


def _write_problems(plan: Plan, planned: PlannedRow, error: Exception) -> list[Problem]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        problems: list[Problem] = []
        for name, messages in error.message_dict.items():
            key = _MODEL_TO_COLUMN.get(name, name)
            column = plan.header_of(key) if key in COLUMNS else ""
            problems.extend(
                Problem(planned.row, column, planned.raw.get(key, ""), message)
                for message in messages
            )
        return problems
    if isinstance(error, ValidationError):
        return [Problem(planned.row, "", "", message) for message in error.messages]
    if isinstance(error, IntegrityError):
        return [
            Problem(
                planned.row,
                "",
                "",
                _(
                    "Enregistrement refusé par la base de données (matricule ou NINA pris "
                    "entre-temps par un autre enregistrement)."
                ),
            )
        ]
    return [Problem(planned.row, "", "", str(error))]
