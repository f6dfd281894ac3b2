"""Rules per target grade and route, kept as dated versions by the HR director."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Agency, Grade
from matricule.promotions.models import Component, PromotionRule, Route, RuleComponent

if TYPE_CHECKING:
    from matricule.accounts.models import User
    from matricule.training.models import Course

RULE_FIELDS = (
    "min_years_in_grade",
    "min_years_of_service",
    "min_average_mark",
    "mark_cycles",
    "missing_cycles",
    "max_sanction_group",
    "sanction_years",
    "no_pending_case",
    "max_age",
    "min_exam_score",
    "service_cap_years",
    "note",
)


def rule_version_create(
    *,
    agency: Agency,
    target_grade: Grade,
    route: str,
    valid_from: datetime.date,
    source_grades: Iterable[Grade],
    required_courses: Iterable[Course] = (),
    components: Sequence[tuple[str, Decimal, Decimal | None]] = (),
    values: dict[str, Any],
    by: User | None,
) -> PromotionRule:
    """A new version of the rule for (grade, route); the version in force ends the day it starts."""
    sources = list(source_grades)
    with transaction.atomic():
        previous = (
            PromotionRule.objects.select_for_update()
            .filter(agency=agency, target_grade=target_grade, route=route, valid_to__isnull=True)
            .first()
        )
        last = (
            PromotionRule.objects.filter(agency=agency, target_grade=target_grade, route=route)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        if previous is not None:
            if valid_from <= previous.valid_from:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "La nouvelle version doit commencer après la version en vigueur "
                            "(du %(date)s)."
                        )
                        % {"date": f"{previous.valid_from:%d/%m/%Y}"}
                    }
                )
            previous.valid_to = valid_from
            previous.save(update_fields=["valid_to"])
        if target_grade.statute.agency_id != agency.pk:
            raise ValidationError({"target_grade": _("Ce grade n'est pas de cette agence.")})
        if not sources and route != Route.EXCEPTIONAL:
            raise ValidationError({"source_grades": _("Choisissez au moins un grade d'origine.")})
        if target_grade in sources:
            raise ValidationError({"source_grades": _("Le grade visé ne peut pas être d'origine.")})
        rule = PromotionRule(
            agency=agency,
            target_grade=target_grade,
            route=route,
            version=(last or 0) + 1,
            valid_from=valid_from,
            created_by=by,
            **{k: v for k, v in values.items() if k in RULE_FIELDS},
        )
        rule.full_clean()
        try:
            with transaction.atomic():
                rule.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Une version en vigueur existe déjà pour ce grade et cette voie.")
            ) from error
        rule.source_grades.set(sources)
        rule.required_courses.set(list(required_courses))
        seen = set()
        for code, weight, cap in components:
            if code not in Component.values or code in seen:
                raise ValidationError(
                    _("Composante inconnue ou en double : %(code)s") % {"code": code}
                )
            seen.add(code)
            part = RuleComponent(rule=rule, code=code, weight=weight, cap=cap)
            part.full_clean(exclude=["rule"])
            part.save()
        audit_record(
            by=by,
            action="promotion.rule.version",
            obj=rule,
            before=model_snapshot(previous) if previous else None,
            after={
                **model_snapshot(rule),
                "source_grades": [g.code for g in sources],
                "components": [
                    [c, str(w), None if k is None else str(k)] for c, w, k in components
                ],
            },
        )
    return rule
