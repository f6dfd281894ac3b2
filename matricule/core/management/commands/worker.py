"""Run the background worker (django-tasks' `db_worker`) after recovering dead workers' jobs.

    python manage.py worker            # same options as db_worker

A worker killed mid-task (power cut, `kill -9`, out of memory) leaves its task « en cours »
and the database queue never hands it out again. Before taking tasks, this command runs
the recoveries the apps registered (`core.hooks.worker_recoveries`): a personnel import
whose heartbeat has stopped is marked failed — after the system undid what it had
committed when it was all-or-nothing — and its queued task is failed too; the clerk
restarts it from the import's page. Use this command rather than `db_worker` in service
files (`make run` does).
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from matricule.core.hooks import worker_recoveries


class Command(DBWorkerCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        for name, recover in zip(worker_recoveries.keys(), worker_recoveries, strict=True):
            count = recover()
            if count and options.get("verbosity", 1) >= 1:
                self.stdout.write(f"{name} : {count} travail(s) interrompu(s) repris en main.")
        super().handle(*args, **options)
