"""Writes to sessions: creation, trainers, nominations, waiting list, attendance, results,
closing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import officer_scope_q
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.dates import add_months
from matricule.core.models import Agency
from matricule.personnel.models import Officer, Status
from matricule.training.models import (
    SEATED,
    Attendance,
    Certificate,
    CertificateCounter,
    Course,
    Enrolment,
    EnrolmentState,
    OfficerSkill,
    Partner,
    Result,
    SessionStatus,
    SkillSource,
    TrainingSession,
)
from matricule.training.services.trainers import trainer_pathway_advance

if TYPE_CHECKING:
    from matricule.accounts.models import User

FINISHED = (SessionStatus.CLOSED, SessionStatus.CANCELLED)


def certificate_number(year: int, seq: int) -> str:
    return f"FORM-{year}-{seq:06d}"


def certificate_numbers_allocate(*, year: int, count: int) -> list[str]:
    """`count` consecutive numbers of `year`, under a row lock (call inside a transaction)."""
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    CertificateCounter.objects.filter(year=year).update(last=F("last") + count)
    return [certificate_number(year, first + i) for i in range(count)]


def session_create(
    *,
    agency: Agency,
    course: Course,
    start_date: datetime.date,
    end_date: datetime.date,
    venue: str,
    capacity: int,
    partner: Partner | None,
    by: User | None,
) -> TrainingSession:
    if not course.is_published:
        raise ValidationError(
            {"course": _("La formation %(c)s n'est pas publiée au catalogue.") % {"c": course.code}}
        )
    session = TrainingSession(
        agency=agency,
        course=course,
        start_date=start_date,
        end_date=end_date,
        venue=venue.strip(),
        capacity=capacity,
        partner=partner,
        status=SessionStatus.PLANNED,
        created_by=by,
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit_record(
            by=by, action="training.session.create", obj=session, after=model_snapshot(session)
        )
    return session


ALLOWED_STATUS = {
    SessionStatus.PLANNED: {SessionStatus.OPEN, SessionStatus.CANCELLED},
    SessionStatus.OPEN: {SessionStatus.RUNNING, SessionStatus.PLANNED, SessionStatus.CANCELLED},
    SessionStatus.RUNNING: {SessionStatus.CANCELLED},
}


def session_status_set(*, session: TrainingSession, status: str, by: User | None) -> None:
    """Move the session along planned → open → running (closing is session_close)."""
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        before = session.status
        if status not in ALLOWED_STATUS.get(SessionStatus(before), set()):
            raise ValidationError(
                _("Passage impossible de « %(a)s » à « %(b)s ».")
                % {
                    "a": SessionStatus(before).label,
                    "b": SessionStatus(status).label if status in SessionStatus.values else status,
                }
            )
        session.status = status
        session.save(update_fields=["status"])
        audit_record(
            by=by,
            action="training.session.status",
            obj=session,
            before={"status": before},
            after={"status": status},
        )


def nomination_problems(*, session: TrainingSession, officer: Officer) -> list[str]:
    """Reasons an officer cannot attend: prerequisites, clashes, deployment, status."""
    problems: list[str] = []
    course = session.course
    if officer.agency_id != session.agency_id and officer.host_unit_id is None:
        problems.append(_("L'agent n'appartient pas à l'agence organisatrice."))
    if not officer.in_service or officer.status == Status.SUSPENDED:
        problems.append(
            _("L'agent n'est pas en activité (%(s)s).") % {"s": officer.get_status_display()}
        )
    missing = [
        c.code
        for c in course.prerequisite_courses.all()
        if not Enrolment.objects.filter(
            officer=officer, session__course=c, result=Result.PASSED
        ).exists()
    ]
    if missing:
        problems.append(
            _("Formation préalable non suivie avec succès : %(c)s.") % {"c": ", ".join(missing)}
        )
    day = session.start_date
    for prereq in course.prerequisite_skills.select_related("skill"):
        held = (
            OfficerSkill.objects.filter(
                officer=officer,
                skill_id=prereq.skill_id,
                confirmed=True,
                level__gte=prereq.min_level,
                obtained_on__lte=day,
            )
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
            .exists()
        )
        if not held:
            problems.append(
                _("Compétence requise absente ou expirée : %(s)s (niveau %(n)s au moins).")
                % {"s": prereq.skill.name, "n": prereq.min_level}
            )
    clash = (
        Enrolment.objects.filter(
            officer=officer,
            state__in=[*SEATED, EnrolmentState.WAITING],
            session__start_date__lte=session.end_date,
            session__end_date__gte=session.start_date,
        )
        .exclude(session=session)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__course")
        .first()
    )
    if clash is not None:
        problems.append(_("Conflit de dates avec la session %(s)s.") % {"s": str(clash.session)})
    # The deployments app does not exist yet: a current "deployed" status clashes with any
    # session that is not already over.
    if officer.status == Status.DEPLOYED and session.end_date >= timezone.localdate():
        problems.append(_("L'agent est en mission (déploiement) pendant ces dates."))
    return problems


def _nominator_kind(by: User, officer: Officer) -> str:
    """'manage' for a training officer in scope, 'nominate' for a unit head in scope."""
    scoped = Officer.objects.filter(pk=officer.pk)
    if scoped.filter(officer_scope_q(by, Perm.TRAINING_MANAGE)).exists():
        return "manage"
    if scoped.filter(officer_scope_q(by, Perm.TRAINING_NOMINATE)).exists():
        return "nominate"
    raise PermissionDenied(_("Vous ne pouvez pas proposer cet agent."))


def enrolment_nominate(*, session: TrainingSession, officer: Officer, by: User) -> Enrolment:
    """Nominate an officer: a seat if one is free, else the waiting list.

    A unit head's nomination holds a seat as "proposé" until the training officer
    confirms it; the training officer's own nominations are enrolled at once.
    """
    kind = _nominator_kind(by, officer)
    with transaction.atomic():
        # The session row lock serialises nominations, so the capacity is never exceeded.
        session = (
            TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
        )
        if session.status not in (SessionStatus.PLANNED, SessionStatus.OPEN):
            raise ValidationError(
                _("Les propositions sont fermées pour cette session (%(s)s).")
                % {"s": session.get_status_display()}
            )
        existing = Enrolment.objects.filter(session=session, officer=officer).first()
        if existing is not None and existing.state != EnrolmentState.WITHDRAWN:
            raise ValidationError(_("L'agent est déjà proposé pour cette session."))
        problems = nomination_problems(session=session, officer=officer)
        if problems:
            raise ValidationError(problems)
        seated = Enrolment.objects.filter(session=session, state__in=SEATED).count()
        if seated >= session.capacity:
            state = EnrolmentState.WAITING
        else:
            state = EnrolmentState.ENROLLED if kind == "manage" else EnrolmentState.NOMINATED
        if existing is not None:
            enrolment = existing
            enrolment.state, enrolment.nominated_by = state, by
            enrolment.nominated_at, enrolment.result, enrolment.score = timezone.now(), "", None
            enrolment.save(
                update_fields=["state", "nominated_by", "nominated_at", "result", "score"]
            )
        else:
            enrolment = Enrolment.objects.create(
                session=session,
                officer=officer,
                state=state,
                nominated_by=by,
                nominated_at=timezone.now(),
            )
        audit_record(
            by=by,
            action="training.enrolment.nominate",
            obj=enrolment,
            subject_officer_id=officer.pk,
            after={"session": session.pk, "state": state},
        )
    return enrolment


def enrolment_confirm(*, enrolment: Enrolment, by: User | None) -> Enrolment:
    """The training officer confirms a unit head's nomination."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.state != EnrolmentState.NOMINATED:
            raise ValidationError(_("Seule une proposition en attente peut être confirmée."))
        enrolment.state = EnrolmentState.ENROLLED
        enrolment.save(update_fields=["state"])
        audit_record(
            by=by,
            action="training.enrolment.confirm",
            obj=enrolment,
            subject_officer_id=enrolment.officer_id,
            before={"state": EnrolmentState.NOMINATED},
            after={"state": EnrolmentState.ENROLLED},
        )
    return enrolment


def enrolment_withdraw(*, enrolment: Enrolment, by: User | None) -> Enrolment | None:
    """Withdraw an officer; the first on the waiting list takes the seat. Returns them."""
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if session.status in FINISHED:
            raise ValidationError(_("La session est close : les inscriptions ne changent plus."))
        if enrolment.state == EnrolmentState.WITHDRAWN:
            raise ValidationError(_("L'agent est déjà retiré de la session."))
        before = enrolment.state
        enrolment.state = EnrolmentState.WITHDRAWN
        if session.status == SessionStatus.RUNNING:
            enrolment.result = Result.WITHDRAWN
        enrolment.save(update_fields=["state", "result"])
        audit_record(
            by=by,
            action="training.enrolment.withdraw",
            obj=enrolment,
            subject_officer_id=enrolment.officer_id,
            before={"state": before},
            after={"state": EnrolmentState.WITHDRAWN},
        )
        promoted = None
        if before in SEATED and session.status != SessionStatus.RUNNING:
            promoted = (
                Enrolment.objects.select_for_update()
                .filter(session=session, state=EnrolmentState.WAITING)
                .order_by("nominated_at", "id")
                .first()
            )
            if promoted is not None:
                promoted.state = EnrolmentState.ENROLLED
                promoted.save(update_fields=["state"])
                audit_record(
                    by=by,
                    action="training.enrolment.promote",
                    obj=promoted,
                    subject_officer_id=promoted.officer_id,
                    before={"state": EnrolmentState.WAITING},
                    after={"state": EnrolmentState.ENROLLED},
                )
    return promoted


def attendance_record(
    *, session: TrainingSession, day: datetime.date, present: set[int], by: User | None
) -> int:
    """Mark every seated trainee present (enrolment id in `present`) or absent on `day`."""
    if session.status in FINISHED:
        raise ValidationError(_("La session est close : les présences ne changent plus."))
    if not session.start_date <= day <= session.end_date:
        raise ValidationError(
            _("Le %(d)s n'est pas un jour de la session.") % {"d": f"{day:%d/%m/%Y}"}
        )
    enrolments = list(session.enrolments.filter(state__in=SEATED).order_by("id"))
    with transaction.atomic():
        existing = {
            a.enrolment_id: a
            for a in Attendance.objects.select_for_update().filter(
                enrolment__in=enrolments, day=day
            )
        }
        changes = {}
        for enrolment in enrolments:
            is_present = enrolment.pk in present
            row = existing.get(enrolment.pk)
            if row is None:
                Attendance.objects.create(enrolment=enrolment, day=day, present=is_present)
                changes[enrolment.officer_id] = is_present
            elif row.present != is_present:
                row.present = is_present
                row.save(update_fields=["present"])
                changes[enrolment.officer_id] = is_present
        audit_record(
            by=by,
            action="training.attendance.record",
            obj=session,
            after={"day": day.isoformat(), "present": sorted(present), "changed": len(changes)},
        )
    return len(enrolments)


def result_record(
    *, enrolment: Enrolment, result: str, score: Decimal | None, by: User | None
) -> Enrolment:
    """Record the final assessment of a seated trainee."""
    if result not in Result.values:
        raise ValidationError({"result": _("Résultat inconnu.")})
    if score is not None and not Decimal(0) <= score <= Decimal(20):
        raise ValidationError({"score": _("La note doit être comprise entre 0 et 20.")})
    if result == Result.ABSENT and score is not None:
        raise ValidationError({"score": _("Un absent n'a pas de note.")})
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
        )
        if enrolment.session.status in FINISHED:
            raise ValidationError(_("La session est close : les résultats ne changent plus."))
        if enrolment.state not in SEATED:
            raise ValidationError(_("Seul un stagiaire inscrit reçoit un résultat."))
        before = {"result": enrolment.result, "score": enrolment.score}
        enrolment.result, enrolment.score = result, score
        enrolment.save(update_fields=["result", "score"])
        audit_record(
            by=by,
            action="training.result.record",
            obj=enrolment,
            subject_officer_id=enrolment.officer_id,
            before=before,
            after={"result": result, "score": score},
        )
    return enrolment


@dataclass(frozen=True)
class CloseSummary:
    certificates: list[Certificate]
    skills: int
    certified_trainers: list[int]


def session_close(*, session: TrainingSession, by: User | None) -> CloseSummary:
    """Close the session: certificates, skills and trainer pathway, in one transaction."""
    today = timezone.localdate()
    with transaction.atomic():
        session = (
            TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
        )
        if session.status in FINISHED:
            raise ValidationError(_("La session est déjà close ou annulée."))
        if session.end_date > today:
            raise ValidationError(
                _("La session n'est pas terminée : clôture possible à partir du %(d)s.")
                % {"d": f"{session.end_date:%d/%m/%Y}"}
            )
        seated = list(
            session.enrolments.filter(state__in=SEATED).select_related("officer").order_by("id")
        )
        if any(e.state == EnrolmentState.NOMINATED for e in seated):
            raise ValidationError(_("Des propositions ne sont pas confirmées ou retirées."))
        pending = [e.officer.full_name for e in seated if not e.result]
        if pending:
            raise ValidationError(
                _("Résultat manquant pour : %(names)s.") % {"names": ", ".join(pending[:10])}
            )
        course = session.course
        passed = [e for e in seated if e.result == Result.PASSED]
        issued_on = session.end_date
        expires_on = (
            add_months(issued_on, course.validity_months) if course.validity_months else None
        )
        numbers = certificate_numbers_allocate(year=issued_on.year, count=len(passed))
        certificates = [
            Certificate.objects.create(
                number=number,
                enrolment=enrolment,
                officer_id=enrolment.officer_id,
                course=course,
                issued_on=issued_on,
                expires_on=expires_on,
            )
            for enrolment, number in zip(passed, numbers, strict=True)
        ]
        grants = list(course.skills.all())
        skills = OfficerSkill.objects.bulk_create(
            [
                OfficerSkill(
                    officer_id=cert.officer_id,
                    skill_id=grant.skill_id,
                    level=grant.level,
                    source=SkillSource.COURSE,
                    obtained_on=issued_on,
                    expires_on=expires_on,
                    confirmed=True,
                    certificate=cert,
                )
                for cert in certificates
                for grant in grants
            ]
        )
        certified = trainer_pathway_advance(session)
        previous_status = session.status
        session.status = SessionStatus.CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["status", "closed_at"])
        audit_record(
            by=by,
            action="training.session.close",
            obj=session,
            before={"status": previous_status},
            after={
                "status": SessionStatus.CLOSED,
                "certificates": [c.number for c in certificates],
                "skills": len(skills),
                "results": {str(e.officer_id): e.result for e in seated},
                "certified_trainers": certified,
            },
        )
    return CloseSummary(certificates=certificates, skills=len(skills), certified_trainers=certified)
