"""The trainers' pathway: who may lead or co-teach a session, and how trainers advance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record
from matricule.personnel.models import Officer
from matricule.training.models import (
    Course,
    SessionStatus,
    SessionTrainer,
    TrainerLevel,
    TrainerQualification,
    TrainerRole,
    TrainingSession,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

FINISHED = (SessionStatus.CLOSED, SessionStatus.CANCELLED)


def cotaught_required() -> int:
    """Co-taught sessions after which a co-trainer becomes a certified trainer."""
    value = getattr(settings, "MATRICULE_TRAINER_COTAUGHT_REQUIRED", 2)
    return max(1, int(value))


def session_trainer_add(
    *,
    session: TrainingSession,
    role: str,
    by: User | None,
    officer: Officer | None = None,
    external_name: str = "",
) -> SessionTrainer:
    """Add a trainer; only certified trainers of the course may lead, and only one leads.

    An external trainer (a partner's instructor) is certified by the partner: one may
    lead only a session that the partner funds.
    """
    external_name = external_name.strip()
    if (officer is None) == (not external_name):
        raise ValidationError(
            _("Choisissez un agent ou saisissez le nom d'un formateur extérieur.")
        )
    if role not in TrainerRole.values:
        raise ValidationError(_("Rôle de formateur inconnu."))
    with transaction.atomic():
        # The session row lock queues two clerks adding trainers at the same moment (and a
        # session being closed): the second sees the first one's trainer, so a session
        # never gets two leads. The partial unique constraint is the last guard.
        session = (
            TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
        )
        if session.status in FINISHED:
            raise ValidationError(_("La session est close : ses formateurs ne changent plus."))
        qualification = (
            TrainerQualification.objects.filter(
                officer=officer, course_id=session.course_id
            ).first()
            if officer is not None
            else None
        )
        _check_may_teach(session=session, role=role, officer=officer, qualification=qualification)
        conflict = _trainer_conflict(session=session, role=role, officer=officer)
        if conflict:
            raise ValidationError(conflict)
        trainer = SessionTrainer(
            session=session, officer=officer, external_name=external_name, role=role
        )
        try:
            with transaction.atomic():
                trainer.save()
        except IntegrityError:
            raise ValidationError(
                _trainer_conflict(session=session, role=role, officer=officer)
                or _("La session a changé entre-temps : rechargez la page et recommencez.")
            ) from None
        if officer is not None and role == TrainerRole.TRAINEE and qualification is None:
            TrainerQualification.objects.create(
                officer=officer, course_id=session.course_id, level=TrainerLevel.TRAINEE
            )
        audit_record(
            by=by,
            action="training.trainer.add",
            obj=session,
            subject_officer_id=officer.pk if officer else None,
            after={"trainer": trainer.name, "role": role},
        )
    return trainer


def _check_may_teach(
    *,
    session: TrainingSession,
    role: str,
    officer: Officer | None,
    qualification: TrainerQualification | None,
) -> None:
    """Refuse a trainer whose place on the course's pathway does not allow the role."""
    if role == TrainerRole.LEAD and officer is None and session.partner_id is None:
        raise ValidationError(
            _("Un formateur extérieur ne peut diriger qu'une session financée par un partenaire.")
        )
    if officer is None:
        return
    level = qualification.level if qualification is not None else None
    if role == TrainerRole.LEAD and level != TrainerLevel.CERTIFIED:
        raise ValidationError(
            _(
                "%(name)s n'est pas formateur certifié pour %(course)s : seul un formateur "
                "certifié peut diriger la session."
            )
            % {"name": officer.full_name, "course": session.course.code}
        )
    if role == TrainerRole.CO and level not in (TrainerLevel.CO_TRAINER, TrainerLevel.CERTIFIED):
        raise ValidationError(
            _("%(name)s n'est pas encore co-formateur pour %(course)s.")
            % {"name": officer.full_name, "course": session.course.code}
        )


def _trainer_conflict(
    *, session: TrainingSession, role: str, officer: Officer | None
) -> str | None:
    """Why the session cannot take this trainer as it stands (a second lead, a duplicate)."""
    if role == TrainerRole.LEAD and session.trainers.filter(role=TrainerRole.LEAD).exists():
        return _("La session a déjà un formateur principal.")
    if officer is not None and session.trainers.filter(officer=officer).exists():
        return _("Cet agent est déjà formateur de la session.")
    return None


def trainer_qualification_set(
    *, officer: Officer, course: Course, level: str, by: User | None
) -> TrainerQualification:
    """Record where an officer stands on a course's trainer pathway (e.g. after a partner's ToT)."""
    if level not in TrainerLevel.values:
        raise ValidationError({"level": _("Niveau de formateur inconnu.")})
    with transaction.atomic():
        row, created = TrainerQualification.objects.select_for_update().get_or_create(
            officer=officer, course=course, defaults={"level": level}
        )
        before = None if created else {"level": row.level}
        row.level = level
        row.certified_on = timezone.localdate() if level == TrainerLevel.CERTIFIED else None
        row.save(update_fields=["level", "certified_on"])
        audit_record(
            by=by,
            action="training.trainer.qualify",
            obj=row,
            subject_officer_id=officer.pk,
            before=before,
            after={"course": course.code, "level": level},
        )
    return row


def trainer_pathway_advance(session: TrainingSession) -> list[int]:
    """Advance the officer trainers of a closed session; returns the newly certified."""
    required = cotaught_required()
    certified: list[int] = []
    for trainer in session.trainers.filter(officer__isnull=False):
        assert trainer.officer_id is not None
        row, _created = TrainerQualification.objects.select_for_update().get_or_create(
            officer_id=trainer.officer_id,
            course_id=session.course_id,
            defaults={"level": TrainerLevel.TRAINEE},
        )
        if trainer.role == TrainerRole.TRAINEE and row.level == TrainerLevel.TRAINEE:
            row.level = TrainerLevel.CO_TRAINER
            row.save(update_fields=["level"])
        elif trainer.role == TrainerRole.CO:
            TrainerQualification.objects.filter(pk=row.pk).update(
                co_taught_count=F("co_taught_count") + 1
            )
            row.refresh_from_db(fields=["co_taught_count"])
            if row.level == TrainerLevel.CO_TRAINER and row.co_taught_count >= required:
                row.level = TrainerLevel.CERTIFIED
                row.certified_on = session.end_date
                row.save(update_fields=["level", "certified_on"])
                certified.append(row.officer_id)
    return certified
