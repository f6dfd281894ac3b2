"""Writes to the skills inventory: declared or tested skills, and HR verification."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Skill
from matricule.personnel.models import Officer
from matricule.training.models import OfficerSkill, SkillSource

if TYPE_CHECKING:
    from matricule.accounts.models import User


def officer_skill_add(
    *,
    officer: Officer,
    skill: Skill,
    level: int,
    source: str,
    obtained_on: datetime.date,
    expires_on: datetime.date | None,
    note: str = "",
    by: User | None,
) -> OfficerSkill:
    """Record a declared skill (to be verified by HR) or a test result (verified at once)."""
    if source not in (SkillSource.DECLARED, SkillSource.TEST):
        raise ValidationError(
            {"source": _("Une compétence de formation est accordée à la clôture de la session.")}
        )
    if not 1 <= level <= skill.max_level:
        raise ValidationError(
            {
                "level": _("Niveau de %(s)s : entre 1 et %(m)s.")
                % {"s": skill.name, "m": skill.max_level}
            }
        )
    if obtained_on > timezone.localdate():
        raise ValidationError({"obtained_on": _("La date d'obtention est dans le futur.")})
    row = OfficerSkill(
        officer=officer,
        skill=skill,
        level=level,
        source=source,
        obtained_on=obtained_on,
        expires_on=expires_on,
        note=note.strip(),
        confirmed=source == SkillSource.TEST,
        verified_by=by if source == SkillSource.TEST else None,
        verified_at=timezone.now() if source == SkillSource.TEST else None,
    )
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit_record(
            by=by,
            action="training.skill.add",
            obj=row,
            subject_officer_id=officer.pk,
            after=model_snapshot(row),
        )
    return row


def officer_skill_verify(*, row: OfficerSkill, by: User | None) -> OfficerSkill:
    """HR confirms a declared skill (seen the licence, the certificate…): it then counts."""
    with transaction.atomic():
        row = OfficerSkill.objects.select_for_update().get(pk=row.pk)
        if row.confirmed:
            raise ValidationError(_("Cette compétence est déjà vérifiée."))
        row.confirmed = True
        row.verified_by = by
        row.verified_at = timezone.now()
        row.save(update_fields=["confirmed", "verified_by", "verified_at"])
        audit_record(
            by=by,
            action="training.skill.verify",
            obj=row,
            subject_officer_id=row.officer_id,
            before={"confirmed": False},
            after={"confirmed": True},
        )
    return row
