"""Benchmarks of deployments (issue 14): the candidate search, the UN roster, an assignment.

- deployment_search: the demo position "Groupe d'intervention" of "Opération Sahel sûr" —
  five requirements (counter-terrorism level 2, first aid, English B1, licence B held one
  year, grade Sergent to Adjudant-chef) over a month — ranked, first page, with its
  explanations, for the national operations planner (the whole force in scope).
- un_readiness: the UN roster (cleared officers), first page, for the same planner.
- deployment_assign: one assignment to a running operation (career event included),
  rolled back after each run so the run can be repeated.
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
from matricule.accounts.roles import Perm
from matricule.core.benchmarking import Context, operation
from matricule.core.dates import add_years
from matricule.core.refcache import refdata
from matricule.deployments.demo import BENCH_OPERATION, BENCH_POSITION
from matricule.deployments.models import (
    HOLDING_STATES,
    Operation,
    OperationStatus,
    Position,
    RequirementKind,
)
from matricule.deployments.selectors.availability import BLOCKING_STATUSES, STATUS_KINDS
from matricule.deployments.selectors.readiness import un_readiness
from matricule.deployments.selectors.search import (
    SearchFilters,
    _grade_ids,
    candidate_search,
    search_period,
)
from matricule.deployments.services import assignment_create
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer
from matricule.training.models import SEATED

Pair = tuple[Callable[[], Any], Callable[[], Any]]
PAGE = 50


def ensure_deployment_data() -> None:
    if Operation.objects.exists():
        return
    from matricule.deployments.demo import seed_deployments_demo

    print("# création des opérations de démonstration…", file=sys.stderr)
    start = time.monotonic()
    made = seed_deployments_demo(seed=1, today=timezone.localdate())
    print(f"# {made} affectations en {time.monotonic() - start:.0f} s", file=sys.stderr)


def _planner() -> User:
    return User.objects.get(username="operations")


def _in(values: list[Any]) -> tuple[str, list[Any]]:
    return ", ".join(["%s"] * len(values)), list(values)


@operation("deployment_search")
def deployment_search(ctx: Context) -> Pair:
    ensure_deployment_data()
    viewer = _planner()
    position = Position.objects.select_related("operation").get(
        operation__name=BENCH_OPERATION, title=BENCH_POSITION
    )
    today = timezone.localdate()
    period = search_period(position, today=today)

    def run() -> int:
        viewer.__dict__.pop("active_grants", None)  # a new request loads its grants again
        result = candidate_search(
            viewer=viewer,
            perm=Perm.DEPLOYMENT_PLAN,
            position=position,
            period=period,
            filters=SearchFilters(),
            limit=PAGE,
            today=today,
        )
        assert result.rows and result.total >= len(result.rows)
        return result.total

    floor = _search_floor(position, period.start, period.last_day, today)
    return run, floor


def _search_floor(position: Position, start: Any, end: Any, today: Any) -> Callable[[], Any]:
    """The same search by hand: one ranked query for the page, one for its explanations."""
    reqs = list(position.requirements.order_by("id"))
    branches: list[str] = []
    probes: list[str] = []
    params_branches: list[Any] = []
    params_probes: list[Any] = []
    missing_terms: list[str] = []
    surplus_terms: list[str] = []
    for i, r in enumerate(reqs):
        if r.kind == RequirementKind.LANGUAGE:
            branches.append(
                f"SELECT officer_id, {i} AS r FROM personnel_officerlanguage "
                "WHERE language_id = %s AND spoken >= %s"
            )
            params_branches += [r.language_id, r.min_level]
            probes.append(
                "(SELECT spoken FROM personnel_officerlanguage l WHERE l.officer_id = o.id "
                f"AND l.language_id = %s AND l.spoken >= %s) AS h{i}"
            )
            params_probes += [r.language_id, r.min_level]
            surplus_terms.append(f"COALESCE(h{i} - {r.min_level}, 0)")
        elif r.kind == RequirementKind.LICENCE:
            since = add_years(start, -r.years_held)
            branches.append(
                f"SELECT officer_id, {i} AS r FROM training_officerskill WHERE skill_id = %s "
                "AND confirmed AND obtained_on <= %s AND (expires_on IS NULL OR expires_on >= %s)"
            )
            params_branches += [r.skill_id, since, end]
            probes.append(
                "(SELECT MIN(obtained_on) FROM training_officerskill s WHERE s.officer_id = o.id "
                "AND s.skill_id = %s AND s.confirmed AND s.obtained_on <= %s "
                f"AND (s.expires_on IS NULL OR s.expires_on >= %s)) AS h{i}"
            )
            params_probes += [r.skill_id, since, end]
        else:
            branches.append(
                f"SELECT officer_id, {i} AS r FROM training_officerskill WHERE skill_id = %s "
                "AND confirmed AND level >= %s AND obtained_on <= %s "
                "AND (expires_on IS NULL OR expires_on >= %s)"
            )
            params_branches += [r.skill_id, r.min_level, start, end]
            probes.append(
                "(SELECT MAX(level) FROM training_officerskill s WHERE s.officer_id = o.id "
                "AND s.skill_id = %s AND s.confirmed AND s.level >= %s AND s.obtained_on <= %s "
                f"AND (s.expires_on IS NULL OR s.expires_on >= %s)) AS h{i}"
            )
            params_probes += [r.skill_id, r.min_level, start, end]
            surplus_terms.append(f"COALESCE(h{i} - {r.min_level}, 0)")
        missing_terms.append(f"CASE WHEN h{i} IS NULL THEN 1 ELSE 0 END")
    grade_ids = sorted(_grade_ids(position, today) or [])
    grade_sql, grade_params = _in(grade_ids)
    missing_terms.append(f"CASE WHEN grade_id IN ({grade_sql}) THEN 0 ELSE 1 END")
    holding, holding_params = _in(list(HOLDING_STATES))
    serving, serving_params = _in(list(IN_SERVICE_STATUSES))
    blocking, blocking_params = _in(list(BLOCKING_STATUSES))
    kinds, kinds_params = _in(list(STATUS_KINDS))
    seated, seated_params = _in(list(SEATED))
    retire = " ".join(f"WHEN {c.pk} THEN %s" for c in refdata().corps)
    retire_params = [add_years(end, -c.retirement_age) for c in refdata().corps]
    sql = (
        "SELECT id, matricule, missing, surplus, last_end FROM ("
        "SELECT c.id, c.matricule, c.entry_date, ("
        + " + ".join(missing_terms)
        + ") AS missing, ("
        + (" + ".join(surplus_terms) or "0")
        + ") AS surplus, ret.last_end FROM ("
        "SELECT o.id, o.matricule, o.entry_date, o.grade_id, "
        + ", ".join(probes)
        + " FROM personnel_officer o WHERE o.agency_id = %s AND o.status IN ("
        + serving
        + ") AND o.entry_date <= %s AND o.birth_date > CASE o.corps_id "
        + retire
        + " END AND o.id IN (SELECT officer_id FROM ("
        + " UNION ".join(branches)
        + ") m GROUP BY officer_id HAVING COUNT(*) >= %s) "
        "AND o.id NOT IN (SELECT officer_id FROM deployments_assignment WHERE state IN ("
        + holding
        + ") AND (end_date IS NULL OR end_date >= %s) AND start_date <= %s) "
        "AND o.id NOT IN (SELECT e.officer_id FROM training_enrolment e WHERE e.session_id IN "
        "(SELECT id FROM training_trainingsession WHERE status <> 'cancelled' "
        "AND end_date >= %s AND start_date <= %s) AND e.state IN ("
        + seated
        + ")) AND NOT (o.status IN ("
        + blocking
        + ") AND COALESCE((SELECT ev.end_date FROM personnel_careerevent ev "
        "WHERE ev.officer_id = o.id AND ev.kind IN ("
        + kinds
        + ") AND NOT ev.is_superseded ORDER BY ev.effective_date DESC, ev.id DESC LIMIT 1), "
        "%s) >= %s)) c LEFT JOIN (SELECT officer_id, MAX(end_date) AS last_end "
        "FROM deployments_assignment WHERE state IN ("
        + holding
        + ") AND end_date < %s GROUP BY officer_id) ret ON ret.officer_id = c.id) ranked "
        "WHERE missing <= 2 ORDER BY missing, surplus DESC, COALESCE(last_end, %s), "
        "entry_date, matricule LIMIT %s"
    )
    at_least = max(1, len(reqs) - 2)
    params: list[Any] = [
        *grade_params,
        *params_probes,
        position.operation.agency_id,
        *serving_params,
        start,
        *retire_params,
        *params_branches,
        at_least,
        *holding_params,
        start,
        end,
        start,
        end,
        *seated_params,
        *blocking_params,
        *kinds_params,
        datetime.date(9999, 12, 31),
        max(start, today),
        *holding_params,
        start,
        datetime.date(1, 1, 1),
        PAGE,
    ]
    skill_ids = [r.skill_id for r in reqs if r.skill_id]

    def floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            page = cursor.fetchall()
            ids = [row[0] for row in page]
            marks, values = _in(ids)
            skills, skill_values = _in(skill_ids)
            cursor.execute(
                "SELECT o.id, o.family_name, o.given_names, g.name, u.name "
                "FROM personnel_officer o JOIN core_grade g ON g.id = o.grade_id "
                "JOIN core_unit u ON u.id = o.unit_id "
                f"WHERE o.id IN ({marks})",
                values,
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT officer_id, skill_id, level, obtained_on, expires_on, confirmed "
                f"FROM training_officerskill WHERE officer_id IN ({marks}) "
                f"AND skill_id IN ({skills})",
                values + skill_values,
            )
            return cursor.fetchall()

    return floor


@operation("un_readiness")
def un_readiness_op(ctx: Context) -> Pair:
    ensure_deployment_data()
    viewer = _planner()
    today = timezone.localdate()

    def run() -> int:
        viewer.__dict__.pop("active_grants", None)
        roster = un_readiness(
            viewer=viewer, perm=Perm.DEPLOYMENT_PLAN, on=today, show="cleared", limit=PAGE
        )
        assert roster.assessed and roster.rows
        return roster.count

    agency_id = viewer.grants_with(Perm.DEPLOYMENT_PLAN)[0].agency_id
    serving, serving_params = _in(list(IN_SERVICE_STATUSES))
    people = (
        "SELECT o.id, o.matricule, o.family_name, o.given_names, o.sex, o.birth_date, o.status, "
        "(SELECT MIN(s.obtained_on) FROM training_officerskill s JOIN core_skill k "
        "ON k.id = s.skill_id JOIN core_skillcategory c ON c.id = k.category_id "
        "WHERE s.officer_id = o.id AND c.code = 'driving' AND s.confirmed "
        "AND s.obtained_on <= %s AND (s.expires_on IS NULL OR s.expires_on >= %s)), "
        "EXISTS (SELECT 1 FROM personnel_careerevent e WHERE e.officer_id = o.id "
        "AND e.kind = 'sanction' AND NOT e.is_superseded), o.entry_date "
        "FROM personnel_officer o WHERE o.agency_id = %s AND o.status IN ("
        + serving
        + ") AND EXISTS (SELECT 1 FROM deployments_unassessment a WHERE a.officer_id = o.id)"
    )
    results = (
        "SELECT a.officer_id, a.test, a.taken_on, a.score, a.passed "
        "FROM deployments_unassessment a JOIN personnel_officer o ON o.id = a.officer_id "
        "WHERE o.agency_id = %s ORDER BY a.officer_id, a.taken_on, a.id"
    )

    def floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(people, [today, today, agency_id, *serving_params])
            rows = cursor.fetchall()
            cursor.execute(results, [agency_id])
            cursor.fetchall()
            ids = [r[0] for r in rows[:PAGE]]
            marks, values = _in(ids)
            cursor.execute(
                "SELECT o.id, g.name, u.name FROM personnel_officer o JOIN core_grade g "
                "ON g.id = o.grade_id JOIN core_unit u ON u.id = o.unit_id "
                f"WHERE o.id IN ({marks})",
                values,
            )
            return cursor.fetchall()

    return run, floor


@operation("deployment_assign")
def deployment_assign(ctx: Context) -> Pair:
    """One assignment to a running operation, its career event and audit, then rolled back."""
    ensure_deployment_data()
    viewer = _planner()
    today = timezone.localdate()
    position = (
        Position.objects.select_related("operation")
        .filter(operation__status=OperationStatus.ACTIVE, operation__end_date__isnull=False)
        .order_by("operation__start_date", "id")
        .first()
    )
    assert position is not None, "pas d'opération en cours dans le jeu de démonstration"
    period = search_period(position, today=today)
    candidates = candidate_search(
        viewer=viewer,
        perm=Perm.DEPLOYMENT_PLAN,
        position=position,
        period=period,
        filters=SearchFilters(max_missing=3),
        limit=5,
        today=today,
    )
    officer = Officer.objects.get(pk=next(c.officer.pk for c in candidates.rows if c.available))

    def run() -> None:
        with transaction.atomic():
            assignment = assignment_create(position=position, officer=officer, by=viewer)
            assert assignment.deployed_event is not None
            transaction.set_rollback(True)

    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    holding, holding_params = _in(list(HOLDING_STATES))

    def floor() -> None:
        # The same writes by hand: lock, two checks, the assignment, the event, the snapshot.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM personnel_officer WHERE id = %s{lock}", [officer.pk])
            cursor.execute(
                "SELECT id FROM deployments_assignment WHERE officer_id = %s AND state IN ("
                + holding
                + ") AND (end_date IS NULL OR end_date >= %s) AND start_date <= %s LIMIT 1",
                [officer.pk, *holding_params, period.start, period.last_day],
            )
            cursor.execute(
                "SELECT COUNT(*) FROM deployments_assignment WHERE position_id = %s "
                "AND state IN (" + holding + ")",
                [position.pk, *holding_params],
            )
            cursor.execute(
                "INSERT INTO personnel_careerevent (officer_id, kind, effective_date, end_date, "
                "status, function, detail, exceptional, justification, act_kind, act_number, "
                "is_superseded, date_approximate, historical, source, command_role, created_at) "
                "VALUES (%s, 'status', %s, %s, 'deployed', '', %s, %s, '', %s, %s, %s, %s, "
                "%s, '', '', %s)",
                [
                    officer.pk,
                    period.start,
                    period.end,
                    "Mission",
                    False,
                    position.operation.act_kind,
                    position.operation.act_number,
                    False,
                    False,
                    False,
                    timezone.now(),
                ],
            )
            cursor.execute(
                "UPDATE personnel_officer SET status = 'deployed' WHERE id = %s", [officer.pk]
            )
            cursor.execute(
                "INSERT INTO deployments_assignment (position_id, operation_id, officer_id, "
                "start_date, end_date, planned_end_date, state, cut_short, end_reason, "
                "created_at) VALUES (%s, %s, %s, %s, %s, %s, 'active', %s, '', %s)",
                [
                    position.pk,
                    position.operation_id,
                    officer.pk,
                    period.start,
                    period.end,
                    period.end,
                    False,
                    timezone.now(),
                ],
            )
            transaction.set_rollback(True)

    return run, floor
