"""Import jobs: started, run (in the background worker or the foreground), recovered.

**Where the file is parsed.** A screen upload only stores the file and queues the job:
the request never parses it, so a hostile workbook (a zip bomb, two million rows) costs
the worker a refusal, not a web process. The command line runs in the foreground.

**Heartbeat.** A running job writes `heartbeat_at` while it reads (every few seconds)
and with every committed batch. A job silent for `MATRICULE_IMPORT_STALE_SECONDS` has
lost its worker (killed, power cut): `import_jobs_recover` marks it failed — after the
system has undone what it had committed when it was all-or-nothing, or saying how many
rows were committed in "valid rows" mode — and fails its task in the queue. The screens
run it when they show a job, and `manage.py worker` when it starts. The clerk restarts
a failed import from its page (`import_restart`): a new job on the same file, whose
already committed rows come out unchanged.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, seal_in_bulk
from matricule.core.models import Agency
from matricule.personnel.importing.history import HistoryPlan, history_plan, history_write
from matricule.personnel.importing.planning import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Options,
    Plan,
    reference_load,
)
from matricule.personnel.importing.reading import ImportFileError, Table, open_table
from matricule.personnel.importing.report import INFO, Problem, problems_grouped
from matricule.personnel.importing.values import ValueMap
from matricule.personnel.importing.writing import (
    BatchFailed,
    Outcome,
    exits_apply,
    import_undo,
    officers_write,
)
from matricule.personnel.models import ImportJob, ImportValueMap

if TYPE_CHECKING:
    from matricule.accounts.models import User

logger = logging.getLogger(__name__)

# Files larger than this run in the background when the caller does not choose (the
# screens always choose the background; the command line the foreground).
FOREGROUND_MAX_BYTES = 64 * 1024
HEARTBEAT_SECONDS = 2.0
TASK_PATH = "matricule.personnel.tasks.import_job_run"


def import_start(
    *,
    agency: Agency,
    filename: str,
    mode: str,
    mapping: dict[str, str],
    by: User,
    data: bytes | None = None,
    handle: IO[bytes] | None = None,
    kind: str = ImportJob.Kind.OFFICERS,
    source: str = "",
    options: dict[str, Any] | None = None,
    in_background: bool | None = None,
) -> ImportJob:
    """Keep the file and its job, then run it now or queue it for the worker.

    The file is not read here (beyond storing it). `in_background` forces the choice.
    """
    options = dict(options or {})
    job = ImportJob(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        mode=mode,
        mapping=mapping,
        source=source.strip()[:60],
        options=options,
        created_by=by,
    )
    if handle is not None:
        job.file.save(filename, File(handle), save=False)
        size = job.file.size
    else:
        job.file.save(filename, ContentFile(data or b""), save=False)
        size = len(data or b"")
    with transaction.atomic():
        job.save()
        value_maps_save(
            agency=agency,
            source=Options.from_json(options, source=job.source).source_name,
            value_map=options.get("value_map") or {},
        )
    if in_background is None:
        in_background = size > FOREGROUND_MAX_BYTES
    _launch(job, by=by, in_background=in_background)
    return job


def value_maps_save(*, agency: Agency, source: str, value_map: ValueMap) -> int:
    """Keep the clerk's value mappings for the source, for its next imports."""
    rows = [
        ImportValueMap(
            agency=agency,
            source=source,
            field=name,
            key=key[:200],
            value=key[:200],
            code=str(code)[:40],
        )
        for name, values in value_map.items()
        for key, code in values.items()
        if name in ImportValueMap.Field.values and code
    ]
    if not rows:
        return 0
    ImportValueMap.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["agency", "source", "field", "key"],
        update_fields=["code", "updated_at"],
    )
    return len(rows)


def import_rerun(*, job: ImportJob, mode: str, by: User) -> ImportJob:
    """Import for real the file a dry run checked, as a new job with its own report."""
    if job.mode != ImportJob.Mode.DRY_RUN or job.state != ImportJob.State.DONE:
        raise ValidationError(_("Seul un essai terminé peut être importé pour de bon."))
    if not (job.created_count or job.updated_count):
        raise ValidationError(_("L'essai n'a trouvé aucune ligne à enregistrer."))
    if mode not in (ImportJob.Mode.ATOMIC, ImportJob.Mode.VALID_ROWS):
        raise ValidationError(_("Choisissez « tout ou rien » ou « lignes valides seulement »."))
    return _copy(job, mode=mode, by=by)


def import_restart(*, job: ImportJob, by: User) -> ImportJob:
    """Run a failed import again on the same file (rows already committed stay unchanged)."""
    if job.state != ImportJob.State.FAILED:
        raise ValidationError(_("Seul un import en échec peut être relancé."))
    return _copy(job, mode=job.mode, by=by, restarted_from=job)


def import_remap(*, job: ImportJob, options: dict[str, Any], by: User) -> ImportJob:
    """The mapping step: a new trial of the same file with the clerk's value mappings
    (kept for the source, for its next imports) and reading options."""
    if job.state not in (ImportJob.State.DONE, ImportJob.State.FAILED):
        raise ValidationError(_("Attendez la fin de l'import pour changer les correspondances."))
    with transaction.atomic():
        value_maps_save(
            agency=job.agency,
            source=Options.from_json(options, source=job.source).source_name,
            value_map=options.get("value_map") or {},
        )
        return _copy(job, mode=ImportJob.Mode.DRY_RUN, by=by, options=options)


def _copy(
    job: ImportJob,
    *,
    mode: str,
    by: User,
    restarted_from: ImportJob | None = None,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    options = {
        k: v
        for k, v in (job.options if options is None else options).items()
        if k != "created_units"
    }
    new = ImportJob.objects.create(
        agency=job.agency,
        kind=job.kind,
        file=job.file.name,
        filename=job.filename,
        mode=mode,
        mapping=job.mapping,
        source=job.source,
        options=options,
        total_rows=job.total_rows,
        restarted_from=restarted_from,
        created_by=by,
    )
    _launch(new, by=by, in_background=True)
    return new


def _launch(job: ImportJob, *, by: User, in_background: bool) -> None:
    if in_background:
        from matricule.personnel.tasks import import_job_run

        job_id = job.pk
        transaction.on_commit(lambda: import_job_run.enqueue(job_id))
        return
    import_run(job=job, by=by)


class _Beat:
    """Progress and heartbeat while reading, written at most every HEARTBEAT_SECONDS."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < HEARTBEAT_SECONDS:
            return
        self.last = now
        total = max(self.job.total_rows, done)
        _job_update(self.job, processed_rows=done, total_rows=total, heartbeat_at=timezone.now())


def import_run(*, job: ImportJob, by: User | None) -> ImportJob:
    """Check and (unless a dry run) write the job's file; the report is kept on the job."""
    if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return job
    with translation.override(settings.LANGUAGE_CODE):
        now = timezone.now()
        _job_update(
            job,
            state=ImportJob.State.RUNNING,
            processed_rows=0,
            committed_rows=0,
            started_at=now,
            heartbeat_at=now,
        )
        options = Options.from_json(job.options, source=job.source)
        table: Table | None = None
        try:
            with job.file.open("rb") as handle:
                table = open_table(handle, job.filename, history=job.is_history)
                _job_update(job, total_rows=table.estimated_rows)
                reference = reference_load(agency=job.agency, by=by, options=options)
                beat = _Beat(job)
                if job.is_history:
                    plan: Plan | HistoryPlan = history_plan(
                        table=table,
                        kind=job.kind,
                        mapping=job.mapping,
                        reference=reference,
                        progress=beat,
                    )
                else:
                    plan = _officers_plan(table, job, reference, beat)
            _job_update(
                job,
                total_rows=plan.read_rows,
                processed_rows=plan.read_rows,
                values={
                    **plan.book.summary(),
                    **({"date_order": plan.date_order} if plan.date_order else {}),
                    "date_columns": plan.date_columns,
                },
                heartbeat_at=timezone.now(),
            )
            _commit_or_finish(job, plan, reference, by=by)
        except ImportFileError as error:
            _fail(job, str(error))
        except Exception:
            logger.exception("import %s interrompu", job.pk)
            undone = _undo_if_atomic(job, by, reason="erreur inattendue")
            _fail(
                job,
                _(
                    "Erreur inattendue après l'enregistrement de toutes les lignes : pour les "
                    "agents sortis du service, la révocation des cartes, la fermeture des "
                    "comptes ou la fin des missions n'a peut-être pas été faite partout ; "
                    "signalez ce numéro d'import à l'administrateur."
                )
                if job.written_at
                else _(
                    "Erreur inattendue : l'import a été interrompu. Ce qu'il avait enregistré "
                    "a été annulé (mode « tout ou rien ») ; signalez ce numéro d'import à "
                    "l'administrateur."
                )
                if undone
                else _(
                    "Erreur inattendue : l'import a été interrompu. Les lignes déjà "
                    "enregistrées (mode « lignes valides ») le restent ; signalez ce "
                    "numéro d'import à l'administrateur."
                ),
            )
    return job


def _officers_plan(table: Table, job: ImportJob, reference: Any, beat: _Beat) -> Plan:
    from matricule.personnel.importing.planning import plan_rows

    return plan_rows(table=table, mapping=job.mapping, reference=reference, progress=beat)


def _counts(plan: Plan | HistoryPlan) -> dict[str, int]:
    if isinstance(plan, HistoryPlan):
        return {
            "created": len(plan.events),
            "updated": plan.officers_touched,
            "unchanged": plan.unchanged_rows,
        }
    return {
        "created": plan.count(CREATE),
        "updated": plan.count(UPDATE),
        "unchanged": plan.count(UNCHANGED),
    }


def _commit_or_finish(
    job: ImportJob, plan: Plan | HistoryPlan, reference: Any, *, by: User | None
) -> None:
    dry_run = job.mode == ImportJob.Mode.DRY_RUN
    counts = _counts(plan)
    if plan.fatal:
        _finish(job, plan, state=ImportJob.State.FAILED)
        return
    if dry_run:
        _finish(job, plan, created=counts["created"], updated=counts["updated"])
        return
    if job.mode == ImportJob.Mode.ATOMIC and plan.error_rows:
        _finish(job, plan)
        return
    atomic = job.mode == ImportJob.Mode.ATOMIC
    beat = _Beat(job)
    try:
        # The batches' audit entries are sealed every few thousand, not after each commit.
        with seal_in_bulk():
            if isinstance(plan, HistoryPlan):
                outcome: Outcome = history_write(
                    job=job, plan=plan, reference=reference, by=by, atomic=atomic
                )
            else:
                outcome = officers_write(
                    job=job,
                    plan=plan,
                    reference=reference,
                    by=by,
                    atomic=atomic,
                    after_batch=lambda: beat(job.committed_rows),
                )
    except BatchFailed as failure:
        import_undo(job=job, by=by, reason="lot refusé")
        _finish(
            job,
            plan,
            state=ImportJob.State.FAILED,
            write_errors=[
                *failure.problems,
                Problem(
                    0,
                    "",
                    "",
                    _(
                        "Tout ou rien : un lot de lignes a été refusé pendant l'écriture ; ce "
                        "que l'import avait déjà enregistré a été annulé par le système."
                    ),
                ),
            ],
            failed_rows=1,
        )
        return
    # Every row is committed: from here the import is complete, never undone (the exits'
    # effects could not be taken back); an interrupted job finishes this step.
    _job_update(job, written_at=timezone.now(), heartbeat_at=timezone.now())
    exits_apply(job=job, by=by)
    if outcome.created or outcome.updated:
        audit_record(
            by=by,
            action="personnel.import",
            obj=job,
            after={
                "file": job.filename,
                "kind": job.kind,
                "mode": job.mode,
                "source": reference.options.source_name,
                "created": outcome.created,
                "updated": outcome.updated,
            },
        )
    _finish(
        job,
        plan,
        created=outcome.created,
        updated=outcome.updated,
        write_errors=outcome.problems,
        failed_rows=outcome.failed,
    )


def _undo_if_atomic(job: ImportJob, by: User | None, *, reason: str) -> bool:
    job.refresh_from_db(fields=["committed_rows", "mode", "options", "written_at"])
    if job.mode != ImportJob.Mode.ATOMIC or not job.committed_rows or job.written_at:
        return False
    try:
        import_undo(job=job, by=by, reason=reason)
    except Exception:
        logger.exception("import %s : annulation interrompue", job.pk)
        return False
    return True


def _job_update(job: ImportJob, **values: Any) -> None:
    for key, value in values.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _fail(job: ImportJob, message: str) -> None:
    job.refresh_from_db(fields=["undone_at", "committed_rows", "created_count", "updated_count"])
    _job_update(
        job,
        state=ImportJob.State.FAILED,
        finished_at=timezone.now(),
        report=[*job.report, Problem(1, "", job.filename, message).as_dict()],
    )


def _finish(
    job: ImportJob,
    plan: Plan | HistoryPlan,
    *,
    state: str = ImportJob.State.DONE,
    created: int = 0,
    updated: int = 0,
    write_errors: list[Problem] | None = None,
    failed_rows: int = 0,
) -> None:
    problems = plan.problems
    if write_errors:
        problems = problems_grouped([*problems, *write_errors])
    undone = job.undone_at is not None
    _job_update(
        job,
        state=state,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        processed_rows=plan.read_rows,
        total_rows=plan.read_rows,
        created_count=0 if undone else created,
        updated_count=0 if undone else updated,
        unchanged_count=_counts(plan)["unchanged"],
        error_count=plan.error_rows + failed_rows,
        report=[p.as_dict() for p in problems],
    )


# --- Stale jobs -----------------------------------------------------------------------


def import_job_stale(job: ImportJob, *, now: datetime.datetime | None = None) -> bool:
    """Has this running job lost its worker (no heartbeat for too long)?"""
    if job.state != ImportJob.State.RUNNING:
        return False
    now = now or timezone.now()
    last = job.heartbeat_at or job.started_at or job.created_at
    return (now - last).total_seconds() > settings.MATRICULE_IMPORT_STALE_SECONDS


def import_jobs_recover(*, job: ImportJob | None = None) -> list[ImportJob]:
    """Fail the running imports whose worker is gone (see the module's doc).

    Returns the jobs recovered. Safe to run from several processes: each job is taken
    by a conditional update, so only one recovers it.
    """
    now = timezone.now()
    limit = now - datetime.timedelta(seconds=settings.MATRICULE_IMPORT_STALE_SECONDS)
    candidates = (
        [job]
        if job is not None
        else list(ImportJob.objects.filter(state=ImportJob.State.RUNNING, heartbeat_at__lt=limit))
    )
    recovered = []
    for stale in candidates:
        if not import_job_stale(stale, now=now):
            continue
        # Take the job: a heartbeat far in the future marks it as being recovered.
        taken = ImportJob.objects.filter(
            pk=stale.pk, state=ImportJob.State.RUNNING, heartbeat_at=stale.heartbeat_at
        ).update(heartbeat_at=now + datetime.timedelta(days=1))
        if not taken:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            stale.refresh_from_db()
            if not (stale.written_at and _exits_finish(stale)):
                _fail(stale, _interrupted(stale))
            _job_update(stale, heartbeat_at=now)
        _task_fail(stale.pk)
        recovered.append(stale)
    return recovered


def _interrupted(job: ImportJob) -> str:
    """Undo a dead job that was all or nothing; what its report says happened."""
    if _undo_if_atomic(job, job.created_by, reason="travail de fond interrompu"):
        return _(
            "Le travail de fond a été interrompu (serveur arrêté ?) : l'import, en mode "
            "« tout ou rien », a été annulé par le système. Relancez-le."
        )
    if job.mode == ImportJob.Mode.VALID_ROWS and job.committed_rows:
        return _(
            "Le travail de fond a été interrompu (serveur arrêté ?) après %(n)d lignes "
            "enregistrées. Relancez l'import : les lignes déjà enregistrées ne "
            "changeront pas."
        ) % {"n": job.committed_rows}
    return _(
        "Le travail de fond a été interrompu (serveur arrêté ?) : rien n'a été "
        "enregistré. Relancez l'import."
    )


def _exits_finish(job: ImportJob) -> bool:
    """Finish a job interrupted after all its rows were written: run the exits' effects
    again (idempotent) and mark it done. False when that fails too."""
    try:
        exits_apply(job=job, by=job.created_by)
    except Exception:
        logger.exception("import %s : effets des sorties du service interrompus", job.pk)
        return False
    _job_update(
        job,
        state=ImportJob.State.DONE,
        finished_at=timezone.now(),
        report=[
            *job.report,
            Problem(
                1,
                "",
                job.filename,
                _(
                    "Le travail de fond a été interrompu après l'enregistrement de toutes les "
                    "lignes : le système a terminé l'import (cartes révoquées, comptes fermés "
                    "et missions terminées pour les agents sortis du service)."
                ),
                level=INFO,
            ).as_dict(),
        ],
    )
    return True


def _task_fail(job_id: int) -> None:
    """Mark the queued task of a recovered job failed, so no worker waits on it."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.RUNNING):
        args = (result.args_kwargs or {}).get("args") or []
        if args and args[0] == job_id:
            DBTaskResult.objects.filter(pk=result.pk).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
