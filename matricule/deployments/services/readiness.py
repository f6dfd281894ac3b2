"""Writes behind the readiness screens: UN assessment results and the critical skills list."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Agency, Language, Skill
from matricule.deployments.models import LANGUAGE_PASS_MARK, CriticalSkill, UnAssessment, UnTest
from matricule.personnel.models import Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User


def un_assessment_record(
    *,
    officer: Officer,
    test: str,
    taken_on: datetime.date,
    by: User | None,
    passed: bool | None = None,
    score: Decimal | None = None,
    language: Language | None = None,
    session: str = "",
) -> UnAssessment:
    """Record one AMS/SAAT test result; the language test is passed at 60 % or more."""
    errors: dict[str, list[str]] = {}
    if test not in UnTest.values:
        errors["test"] = [_("Épreuve inconnue.")]
    if taken_on > timezone.localdate():
        errors["taken_on"] = [_("La date de l'épreuve ne peut pas être dans le futur.")]
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        errors["score"] = [_("La note est un pourcentage, de 0 à 100.")]
    if test == UnTest.LANGUAGE:
        if score is None:
            errors["score"] = [_("Indiquez la note de l'épreuve de langue (en %).")]
        if language is None:
            errors["language"] = [_("Indiquez la langue de l'épreuve.")]
        passed = score is not None and score >= LANGUAGE_PASS_MARK
    elif passed is None:
        errors["passed"] = [_("Indiquez si l'épreuve est réussie.")]
    if officer.birth_date and taken_on < officer.birth_date:
        errors["taken_on"] = [_("La date de l'épreuve précède la naissance de l'agent.")]
    if errors:
        raise ValidationError(errors)
    assessment = UnAssessment(
        officer=officer,
        test=test,
        taken_on=taken_on,
        score=score,
        passed=bool(passed),
        language=language if test == UnTest.LANGUAGE else None,
        session=session.strip()[:150],
        recorded_by=by,
    )
    assessment.full_clean(exclude=["officer", "recorded_by"])
    with transaction.atomic():
        assessment.save()
        audit_record(
            by=by,
            action="un_assessment.record",
            obj=assessment,
            subject_officer_id=officer.pk,
            after=model_snapshot(assessment),
        )
    return assessment


def critical_skill_add(
    *, agency: Agency, skill: Skill, min_level: int, by: User | None
) -> CriticalSkill:
    if not 1 <= min_level <= skill.max_level:
        raise ValidationError(
            {
                "min_level": _("Le niveau de « %(s)s » va de 1 à %(n)s.")
                % {"s": skill.name, "n": skill.max_level}
            }
        )
    critical = CriticalSkill(agency=agency, skill=skill, min_level=min_level, added_by=by)
    critical.full_clean(exclude=["added_by"])
    with transaction.atomic():
        critical.save()
        audit_record(
            by=by, action="critical_skill.add", obj=critical, after=model_snapshot(critical)
        )
    return critical


def critical_skill_remove(*, critical: CriticalSkill, by: User | None) -> None:
    with transaction.atomic():
        audit_record(
            by=by, action="critical_skill.remove", obj=critical, before=model_snapshot(critical)
        )
        critical.delete()
