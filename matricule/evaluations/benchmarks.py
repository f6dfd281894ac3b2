"""Benchmarks of evaluations (issue 12).

- evaluation_cycle_open: opening the campaign of the whole Police nationale (every officer
  replayed to the reference date, raters resolved, exclusions), in milliseconds per officer;
  the cycle is removed after each run.
- evaluation_inbox: the demo head of unit's inbox (chef.ca1), with the next one to rate.
- evaluation_completion: the HR director's whole-agency completion dashboard.
- calibration_report: the calibration of every rater of the agency for the last closed cycle.
"""

# ruff: noqa: S608 -- the floors are SQL built from fixed fragments; every value is a parameter.
from __future__ import annotations

import datetime
import sys
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from matricule.accounts.models import User
from matricule.core.benchmarking import OPERATIONS, Context, operation, sql_floor
from matricule.core.models import Agency
from matricule.evaluations.models import Cycle, CycleStatus, Evaluation, Exclusion
from matricule.evaluations.selectors import calibration, completion, inbox
from matricule.evaluations.services import cycle_open
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer

Pair = tuple[Callable[[], Any], Callable[[], Any]]


def ensure_evaluation_data() -> None:
    if Cycle.objects.exists():
        return
    from matricule.evaluations.demo import seed_evaluations_demo

    print("# création des campagnes de notation de démonstration…", file=sys.stderr)
    start = time.monotonic()
    made = seed_evaluations_demo(seed=1, today=timezone.localdate())
    print(f"# {made} évaluations en {time.monotonic() - start:.0f} s", file=sys.stderr)


def _user(username: str) -> User:
    user = User.objects.get(username=username)
    user.__dict__.pop("active_grants", None)
    return user


def _fresh(user: User) -> User:
    user.__dict__.pop("active_grants", None)  # a new request loads its grants again
    return user


BENCH_YEAR_OFFSET = 5  # a year with no campaign: the bench opens it and removes it


@operation("evaluation_cycle_open", repeat=3)
def evaluation_cycle_open(
    ctx: Context,
) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    ensure_evaluation_data()
    agency = Agency.objects.get(code="PN")
    today = timezone.localdate()
    year = today.year + BENCH_YEAR_OFFSET
    officers = Officer.objects.filter(agency=agency, entry_date__lte=today).count()
    # Reported per officer of the force: the runner divides the run's time by this.
    next(op for op in OPERATIONS if op.name == "evaluation_cycle_open").items_per_run = officers

    def run() -> int:
        report = cycle_open(
            agency=agency,
            year=year,
            period_start=datetime.date(today.year, 1, 1),
            period_end=datetime.date(today.year, 12, 31),
            reference_date=today,
            self_deadline=today + datetime.timedelta(days=30),
            rating_deadline=today + datetime.timedelta(days=60),
            review_deadline=today + datetime.timedelta(days=90),
            by=None,
            notify_officers=False,
        )
        return report.created

    def floor() -> int:
        # The same rows by hand: one INSERT … SELECT from the officers' snapshot.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO evaluations_cycle (agency_id, year, period_start, period_end, "
                "reference_date, self_deadline, rating_deadline, review_deadline, appeal_days, "
                "reminder_days, min_presence_months, exclude_leave, exclude_training, "
                "exclude_suspended, status, opened_at, version) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, 15, 3, 6, %s, %s, %s, 'open', %s, 1)",
                [
                    agency.pk,
                    year,
                    datetime.date(today.year, 1, 1),
                    datetime.date(today.year, 12, 31),
                    today,
                    today + datetime.timedelta(days=30),
                    today + datetime.timedelta(days=60),
                    today + datetime.timedelta(days=90),
                    True,
                    True,
                    True,
                    timezone.now(),
                ],
            )
            cycle_id = Cycle.objects.get(agency=agency, year=year, unit__isnull=True).pk
            form_id = Evaluation.objects.values_list("form_id", flat=True).first()
            serving = ", ".join(["%s"] * len(IN_SERVICE_STATUSES))
            cursor.execute(
                "INSERT INTO evaluations_evaluation (cycle_id, officer_id, unit_id, form_id, "
                "status, self_comment, self_skipped, rating_comment, review_decision, "
                "review_justification, appeal_reason, appeal_decision, appeal_reasons, "
                "escalation_level, version, created_at, updated_at) "
                "SELECT %s, o.id, COALESCE(o.host_unit_id, o.unit_id), %s, 'self', '', FALSE, '', "
                "'', '', '', '', '', 0, 1, %s, %s FROM personnel_officer o "
                f"WHERE o.agency_id = %s AND o.entry_date <= %s AND o.status IN ({serving})",
                [
                    cycle_id,
                    form_id,
                    timezone.now(),
                    timezone.now(),
                    agency.pk,
                    today,
                    *IN_SERVICE_STATUSES,
                ],
            )
            return cycle_id

    def reset() -> None:
        with transaction.atomic():
            cycles = Cycle.objects.filter(agency=agency, year=year)
            Evaluation.objects.filter(cycle__in=cycles).delete()
            Exclusion.objects.filter(cycle__in=cycles).delete()
            cycles.delete()

    return run, floor, reset


def _current_cycle() -> Cycle:
    return Cycle.objects.filter(
        agency__code="PN", status=CycleStatus.OPEN, unit__isnull=True
    ).latest("year")


@operation("evaluation_inbox")
def evaluation_inbox(ctx: Context) -> Pair:
    ensure_evaluation_data()
    viewer = _user("chef.ca1")
    assert viewer.officer_id is not None, "chef.ca1 n'est rattaché à aucun agent"
    me = viewer.officer_id

    def run() -> int:
        rows = list(inbox(viewer=_fresh(viewer)))
        return len(rows)

    floor = sql_floor(
        "SELECT e.id, e.status, o.matricule, o.family_name, o.given_names, u.name, c.year "
        "FROM evaluations_evaluation e JOIN evaluations_cycle c ON c.id = e.cycle_id "
        "JOIN personnel_officer o ON o.id = e.officer_id JOIN core_unit u ON u.id = e.unit_id "
        "WHERE c.status = 'open' AND ((e.evaluator_id = %s AND e.status IN ('self', 'rating')) "
        "OR (e.reviewer_id = %s AND e.status = 'review')) "
        "ORDER BY CASE e.status WHEN 'self' THEN c.self_deadline WHEN 'rating' THEN "
        "c.rating_deadline ELSE c.review_deadline END, o.sort_name, e.id",
        [me, me],
    )
    return run, floor


@operation("evaluation_completion")
def evaluation_completion(ctx: Context) -> Pair:
    ensure_evaluation_data()
    viewer = _user("drh.pn")
    cycle = _current_cycle()
    today = timezone.localdate()

    def run() -> int:
        result = completion(viewer=_fresh(viewer), cycle=cycle, today=today)
        return result.totals.total

    floor = sql_floor(
        "SELECT e.unit_id, e.status, COUNT(*), SUM(CASE WHEN e.evaluator_id IS NULL THEN 1 ELSE 0 "
        "END) FROM evaluations_evaluation e WHERE e.cycle_id = %s GROUP BY e.unit_id, e.status",
        [cycle.pk],
    )
    return run, floor


@operation("calibration_report", repeat=10)
def calibration_report(ctx: Context) -> Pair:
    ensure_evaluation_data()
    viewer = _user("drh.pn")
    cycle = Cycle.objects.filter(agency__code="PN", status=CycleStatus.CLOSED).latest("year")

    def run() -> int:
        return len(calibration(viewer=_fresh(viewer), cycle=cycle))

    floor = sql_floor(
        "SELECT e.evaluator_id, u.parent_id, COUNT(*), AVG(e.rating_mark), "
        "AVG(e.rating_mark * e.rating_mark) FROM evaluations_evaluation e "
        "JOIN core_unit u ON u.id = e.unit_id WHERE e.cycle_id = %s "
        "AND e.rating_mark IS NOT NULL AND e.evaluator_id IS NOT NULL "
        "GROUP BY e.evaluator_id, u.parent_id",
        [cycle.pk],
    )
    return run, floor
