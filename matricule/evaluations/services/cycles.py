"""Opening, extending, closing and reopening annual cycles; exclusions and reinstatement."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import officer_scope_q, unit_within
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.bulk import bulk_insert
from matricule.core.models import Agency, Corps, Grade, Unit
from matricule.evaluations.models import (
    Cycle,
    CycleStatus,
    Evaluation,
    Exclusion,
    ExclusionReason,
    FormVersion,
    Step,
)
from matricule.evaluations.services.forms import form_ensure
from matricule.evaluations.services.notices import notify_users_of_officers
from matricule.evaluations.services.resolution import OrgTree
from matricule.personnel.models import CareerEvent, EventKind, Officer, Status
from matricule.personnel.services import ConflictError

if TYPE_CHECKING:
    from matricule.accounts.models import User

BATCH = 2000
# A leave counts as long when it has lasted this long on the reference date.
LONG_LEAVE_DAYS = 90
# Training in the first years of service is the initial training (école de police).
INITIAL_TRAINING_YEARS = 2


@dataclass
class OfficerOnDate:
    """An officer's situation on the reference date, replayed from the career events."""

    officer_id: int
    entry: datetime.date | None = None
    exit: datetime.date | None = None
    unit_id: int | None = None
    host_unit_id: int | None = None
    grade_id: int | None = None
    status: str = Status.ACTIVE
    status_since: datetime.date | None = None


@dataclass
class OpenReport:
    """What opening a cycle did: evaluations created, exclusions by reason."""

    cycle: Cycle
    created: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    unassigned: int = 0
    no_reviewer: int = 0


def _situations(officer_ids: list[int], on: datetime.date) -> Iterator[OfficerOnDate]:
    """Replay the events of many officers up to `on`, in batches, without model objects."""
    for start in range(0, len(officer_ids), 5000):
        chunk = officer_ids[start : start + 5000]
        rows = (
            CareerEvent.objects.filter(
                officer_id__in=chunk, is_superseded=False, effective_date__lte=on
            )
            .exclude(kind__in=[EventKind.COMMAND, EventKind.SANCTION, EventKind.DECORATION])
            .order_by("officer_id", "effective_date", "id")
            .values_list("officer_id", "kind", "effective_date", "unit_id", "grade_id", "status")
        )
        current: OfficerOnDate | None = None
        for officer_id, kind, day, unit_id, grade_id, status in rows.iterator(chunk_size=5000):
            if current is None or current.officer_id != officer_id:
                if current is not None:
                    yield current
                current = OfficerOnDate(officer_id)
            s = current
            if kind == EventKind.ENTRY:
                s.entry, s.unit_id, s.grade_id = day, unit_id, grade_id
                s.status, s.status_since = status or Status.ACTIVE, day
            elif s.entry is None:
                continue
            elif kind == EventKind.POSTING and unit_id:
                s.unit_id = unit_id
            elif kind == EventKind.GRADE and grade_id:
                s.grade_id = grade_id
            elif kind == EventKind.STATUS:
                if status != Status.SECONDED:
                    s.host_unit_id = None
                if status != s.status:
                    s.status, s.status_since = status, day
            elif kind == EventKind.SECONDMENT:
                s.status, s.status_since, s.host_unit_id = Status.SECONDED, day, unit_id
            elif kind == EventKind.EXIT:
                s.status, s.status_since, s.exit, s.host_unit_id = status, day, day, None
        if current is not None:
            yield current


def insert_rows(model: type[Evaluation] | type[Exclusion], objects: list[Any]) -> None:
    """Multi-row INSERTs (core.bulk) of unsaved instances: Django's bulk_create sends ~30
    evaluations per statement on SQLite, a campaign of the whole force 100,000."""
    if not objects:
        return
    now = timezone.now()
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    rows = []
    for obj in objects:
        row = {name: getattr(obj, name) for name in fields}
        for stamp in ("created_at", "updated_at"):
            if stamp in row and row[stamp] is None:
                row[stamp] = now
        rows.append(row)
    bulk_insert(model, rows)


def _months(start: datetime.date, end: datetime.date) -> float:
    return max(0, (end - start).days + 1) / 30.4375


def _exclusion(cycle: Cycle, s: OfficerOnDate) -> tuple[str, str] | None:
    """Why an officer in service on the reference date gets no evaluation, if they do not."""
    start = max(cycle.period_start, s.entry or cycle.period_start)
    end = min(cycle.period_end, s.exit or cycle.period_end)
    months = _months(start, end)
    if months < cycle.min_presence_months:
        return ExclusionReason.PRESENCE, _(
            "%(months).1f mois de présence sur la période (minimum %(min)d)."
        ) % {"months": months, "min": cycle.min_presence_months}
    since = s.status_since or cycle.reference_date
    if cycle.exclude_suspended and s.status == Status.SUSPENDED:
        return ExclusionReason.SUSPENDED, _("Suspendu depuis le %(date)s.") % {
            "date": f"{since:%d/%m/%Y}"
        }
    if (
        cycle.exclude_leave
        and s.status == Status.LEAVE
        and (cycle.reference_date - since).days >= LONG_LEAVE_DAYS
    ):
        return ExclusionReason.LEAVE, _("En congé depuis le %(date)s.") % {
            "date": f"{since:%d/%m/%Y}"
        }
    if (
        cycle.exclude_training
        and s.status == Status.TRAINING
        and s.entry is not None
        and (cycle.reference_date - s.entry).days < INITIAL_TRAINING_YEARS * 366
    ):
        return ExclusionReason.TRAINING, _(
            "En formation depuis le %(date)s, entré le %(entry)s."
        ) % {
            "date": f"{since:%d/%m/%Y}",
            "entry": f"{s.entry:%d/%m/%Y}",
        }
    return None


def _check_dates(cycle: Cycle) -> None:
    errors: dict[str, str] = {}
    if (
        not cycle.period_start
        <= cycle.reference_date
        <= cycle.period_end + datetime.timedelta(days=366)
    ):
        errors["reference_date"] = _("La date de référence tombe dans la période (ou peu après).")
    if cycle.self_deadline < cycle.reference_date:
        errors["self_deadline"] = _("L'auto-évaluation se fait après la date de référence.")
    if errors:
        raise ValidationError(errors)


def _require_manage(by: User | None, cycle: Cycle) -> None:
    if by is None:
        return
    if cycle.unit is not None:
        allowed = unit_within(by, Perm.EVALUATION_MANAGE, cycle.unit)
    else:
        allowed = any(
            g.agency_id == cycle.agency_id and g.unit_id is None
            for g in by.grants_with(Perm.EVALUATION_MANAGE)
        )
    if not allowed:
        raise PermissionDenied


def cycle_open(
    *,
    agency: Agency,
    year: int,
    period_start: datetime.date,
    period_end: datetime.date,
    reference_date: datetime.date,
    self_deadline: datetime.date,
    rating_deadline: datetime.date,
    review_deadline: datetime.date,
    by: User | None,
    unit: Unit | None = None,
    appeal_days: int = 15,
    reminder_days: int = 3,
    min_presence_months: int = 6,
    exclude_leave: bool = True,
    exclude_training: bool = True,
    exclude_suspended: bool = True,
    notify_officers: bool = True,
) -> OpenReport:
    """Open the campaign: one evaluation for every officer in service in scope on the
    reference date, in one transaction, and an itemised report of who was left out."""
    cycle = Cycle(
        agency=agency,
        unit=unit,
        year=year,
        period_start=period_start,
        period_end=period_end,
        reference_date=reference_date,
        self_deadline=self_deadline,
        rating_deadline=rating_deadline,
        review_deadline=review_deadline,
        appeal_days=appeal_days,
        reminder_days=reminder_days,
        min_presence_months=min_presence_months,
        exclude_leave=exclude_leave,
        exclude_training=exclude_training,
        exclude_suspended=exclude_suspended,
        opened_by=by,
    )
    _require_manage(by, cycle)
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("Cette unité n'est pas de l'agence.")})
    cycle.full_clean()
    _check_dates(cycle)
    report = OpenReport(cycle=cycle)
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)
        try:
            with transaction.atomic():
                cycle.save()
        except IntegrityError as error:
            raise ValidationError(
                {"year": _("Une campagne de cette année est déjà ouverte pour ce périmètre.")}
            ) from error
        officers = Officer.objects.filter(agency=agency, entry_date__lte=reference_date)
        if unit is not None:
            officers = officers.filter(unit_id__in=unit.subtree_ids())
        ids = list(officers.order_by("id").values_list("id", flat=True))
        # Officers already evaluated this year in another cycle (a unit campaign).
        already = set(
            Evaluation.objects.filter(cycle__agency=agency, cycle__year=year)
            .exclude(cycle=cycle)
            .values_list("officer_id", flat=True)
        )
        subtree = set(unit.subtree_ids().values_list("id", flat=True)) if unit else None
        tree = OrgTree(on=reference_date)
        corps_of_grade = dict(Grade.objects.values_list("id", "corps_id"))
        forms: dict[int, FormVersion] = {}
        evaluations: list[Evaluation] = []
        exclusions: list[Exclusion] = []

        def flush() -> None:
            insert_rows(Evaluation, evaluations)
            insert_rows(Exclusion, exclusions)
            evaluations.clear()
            exclusions.clear()

        for s in _situations(ids, reference_date):
            if s.entry is None or s.unit_id is None or (s.exit and s.exit <= reference_date):
                continue  # not in service on the reference date: not concerned
            if subtree is not None and s.unit_id not in subtree:
                continue  # posted elsewhere on the reference date
            if s.officer_id in already:
                exclusions.append(
                    Exclusion(cycle=cycle, officer_id=s.officer_id, reason=ExclusionReason.ALREADY)
                )
                report.excluded[ExclusionReason.ALREADY] += 1
                continue
            why = _exclusion(cycle, s)
            if why is not None:
                exclusions.append(
                    Exclusion(cycle=cycle, officer_id=s.officer_id, reason=why[0], detail=why[1])
                )
                report.excluded[why[0]] += 1
                continue
            corps_id = corps_of_grade.get(s.grade_id or 0)
            if corps_id is None:
                continue
            if corps_id not in forms:
                forms[corps_id] = form_ensure(
                    corps=Corps.objects.get(pk=corps_id), on=reference_date, by=by
                )
            rated_unit = s.host_unit_id or s.unit_id
            raters = tree.raters(officer_id=s.officer_id, unit_id=rated_unit)
            report.created += 1
            report.unassigned += raters.evaluator_id is None
            report.no_reviewer += raters.evaluator_id is not None and raters.reviewer_id is None
            evaluations.append(
                Evaluation(
                    cycle=cycle,
                    officer_id=s.officer_id,
                    unit_id=rated_unit,
                    form=forms[corps_id],
                    evaluator_id=raters.evaluator_id,
                    reviewer_id=raters.reviewer_id,
                    status=Step.SELF,
                )
            )
            if len(evaluations) + len(exclusions) >= BATCH:
                flush()
        flush()
        audit_record(
            by=by,
            action="evaluation.cycle.open",
            obj=cycle,
            after={
                **model_snapshot(cycle),
                "created": report.created,
                "excluded": dict(report.excluded),
                "unassigned": report.unassigned,
            },
        )
        if notify_officers:
            notify_users_of_officers(
                officer_ids=Evaluation.objects.filter(cycle=cycle).values("officer_id"),
                message=_(
                    "La campagne de notation %(year)s est ouverte : remplissez votre "
                    "auto-évaluation avant le %(date)s."
                )
                % {"year": year, "date": f"{self_deadline:%d/%m/%Y}"},
                url="/moi/evaluations/",
            )
    return report


def cycle_extend(
    *,
    cycle: Cycle,
    version: int,
    self_deadline: datetime.date,
    rating_deadline: datetime.date,
    review_deadline: datetime.date,
    reason: str,
    by: User | None,
) -> Cycle:
    """Move the deadlines of an open cycle (audited with the reason)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la prolongation.")})
    with transaction.atomic():
        locked = (
            Cycle.objects.select_for_update(of=("self",)).select_related("unit").get(pk=cycle.pk)
        )
        _require_manage(by, locked)
        if locked.version != version:
            raise ConflictError(_("La campagne a été modifiée entre-temps ; rechargez la page."))
        if locked.status != CycleStatus.OPEN:
            raise ValidationError(_("Une campagne close se rouvre avant d'être prolongée."))
        before = model_snapshot(locked, ["self_deadline", "rating_deadline", "review_deadline"])
        locked.self_deadline = self_deadline
        locked.rating_deadline = rating_deadline
        locked.review_deadline = review_deadline
        locked.full_clean()
        _check_dates(locked)
        locked.save(update_fields=["self_deadline", "rating_deadline", "review_deadline"])
        Cycle.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        locked.version += 1
        audit_record(
            by=by,
            action="evaluation.cycle.extend",
            obj=locked,
            before=before,
            after={
                **model_snapshot(locked, ["self_deadline", "rating_deadline", "review_deadline"]),
                "reason": reason.strip(),
            },
        )
    return locked


def cycle_close(*, cycle: Cycle, by: User | None, reason: str = "") -> Cycle:
    """Close a cycle: its closed evaluations' marks become the record (promotions read them)."""
    with transaction.atomic():
        locked = (
            Cycle.objects.select_for_update(of=("self",)).select_related("unit").get(pk=cycle.pk)
        )
        _require_manage(by, locked)
        if locked.status == CycleStatus.CLOSED:
            raise ValidationError(_("Cette campagne est déjà close."))
        locked.status = CycleStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        Cycle.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        locked.version += 1
        unfinished = Evaluation.objects.filter(cycle=locked).exclude(status=Step.CLOSED).count()
        audit_record(
            by=by,
            action="evaluation.cycle.close",
            obj=locked,
            after={"unfinished": unfinished, "reason": reason.strip()},
        )
    return locked


def cycle_reopen(*, cycle: Cycle, reason: str, by: User | None) -> Cycle:
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la réouverture.")})
    with transaction.atomic():
        locked = (
            Cycle.objects.select_for_update(of=("self",)).select_related("unit").get(pk=cycle.pk)
        )
        _require_manage(by, locked)
        if locked.status != CycleStatus.CLOSED:
            raise ValidationError(_("Cette campagne est ouverte."))
        locked.status = CycleStatus.OPEN
        locked.closed_at = None
        locked.save(update_fields=["status", "closed_at"])
        Cycle.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        locked.version += 1
        audit_record(
            by=by, action="evaluation.cycle.reopen", obj=locked, after={"reason": reason.strip()}
        )
    return locked


def exclusion_reinstate(*, exclusion: Exclusion, reason: str, by: User | None) -> Evaluation:
    """HR reinstates an excluded officer (the exclusion is appealed): an evaluation is made."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la réintégration.")})
    with transaction.atomic():
        locked = (
            Exclusion.objects.select_for_update(of=("self",))
            .select_related("cycle", "cycle__unit", "officer")
            .get(pk=exclusion.pk)
        )
        cycle = locked.cycle
        _require_manage_officer(by, locked.officer)
        if locked.reinstated_at is not None:
            raise ValidationError(_("Cet agent a déjà été réintégré."))
        if cycle.status != CycleStatus.OPEN:
            raise ValidationError(_("La campagne est close."))
        officer = locked.officer
        rated_unit = officer.host_unit_id or officer.unit_id
        raters = OrgTree(on=cycle.reference_date).raters(officer_id=officer.pk, unit_id=rated_unit)
        evaluation = Evaluation(
            cycle=cycle,
            officer=officer,
            unit_id=rated_unit,
            form=form_ensure(corps=officer.corps, on=cycle.reference_date, by=by),
            evaluator_id=raters.evaluator_id,
            reviewer_id=raters.reviewer_id,
        )
        evaluation.full_clean()
        evaluation.save()
        locked.reinstated_at = timezone.now()
        locked.reinstated_by = by
        locked.reinstated_reason = reason.strip()
        locked.save(update_fields=["reinstated_at", "reinstated_by", "reinstated_reason"])
        audit_record(
            by=by,
            action="evaluation.exclusion.reinstate",
            obj=evaluation,
            subject_officer_id=officer.pk,
            after={"reason": reason.strip(), "excluded_for": locked.reason},
        )
    return evaluation


def _require_manage_officer(by: User | None, officer: Officer) -> None:
    if by is None:
        return
    if not Officer.objects.filter(
        officer_scope_q(by, Perm.EVALUATION_MANAGE), pk=officer.pk
    ).exists():
        raise PermissionDenied
