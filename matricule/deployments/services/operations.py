"""Writes on operations, their documents, positions and requirements."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Agency
from matricule.deployments.models import (
    DocumentKind,
    Operation,
    OperationDocument,
    OperationStatus,
    PartnerAgency,
    Position,
    Requirement,
    RequirementKind,
)
from matricule.deployments.selectors.availability import (
    Period,
    date_in_range,
    holding_assignments,
    peak_held,
)
from matricule.personnel.services import MAX_DOCUMENT_BYTES, ConflictError, sniff_content_type

if TYPE_CHECKING:
    from matricule.accounts.models import User

OPERATION_FIELDS = [
    "name",
    "kind",
    "start_date",
    "end_date",
    "region",
    "country",
    "place",
    "lead_unit",
    "description",
    "act_kind",
    "act_number",
    "act_date",
    "act_signatory",
]
POSITION_FIELDS = [
    "title",
    "count",
    "grade_min",
    "grade_max",
    "service_years_min",
    "age_min",
    "age_max",
    "sex",
    "pool_unit",
    "pool_region",
    "notes",
]
# Allowed moves of an operation's state.
NEXT_STATUS = {
    OperationStatus.PLANNED: (OperationStatus.ACTIVE, OperationStatus.CLOSED),
    OperationStatus.ACTIVE: (OperationStatus.CLOSED,),
    OperationStatus.CLOSED: (),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _check_operation(operation: Operation) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("start_date", "end_date"):
        if not date_in_range(getattr(operation, name)):
            errors[name] = [_("Date hors des limites admises (1960 à 2100).")]
    if operation.lead_unit_id and operation.lead_unit.agency_id != operation.agency_id:
        errors["lead_unit"] = [_("L'unité de commandement doit appartenir à l'agence.")]
    if operation.act_number and operation.act_date is None:
        errors["act_date"] = [_("Indiquez la date de l'acte.")]
    if operation.act_date is not None and operation.act_date > _today():
        errors["act_date"] = [_("La date de l'acte ne peut pas être dans le futur.")]
    signatory = operation.act_signatory
    if signatory is not None and signatory.agency_id != operation.agency_id:
        errors["act_signatory"] = [_("Ce signataire n'appartient pas à l'agence.")]
    if operation.region_id and operation.country:
        errors["country"] = [
            _("Une opération a lieu au Mali (une région) ou à l'étranger (un pays), pas les deux.")
        ]
    operation.act_number = operation.act_number.strip()
    if errors:
        raise ValidationError(errors)
    operation.full_clean(exclude=["agency", "created_by"])


def operation_create(
    *,
    agency: Agency,
    data: dict[str, Any],
    partners: list[PartnerAgency] | None = None,
    by: User | None,
) -> Operation:
    """Create an operation (planned) with its partner agencies."""
    operation = Operation(agency=agency, created_by=by)
    for key in OPERATION_FIELDS:
        if key in data:
            setattr(operation, key, data[key])
    _check_operation(operation)
    with transaction.atomic():
        operation.save()
        operation.partners.set(partners or [])
        audit_record(
            by=by,
            action="operation.create",
            obj=operation,
            after={
                **model_snapshot(operation),
                "partners": sorted(p.code for p in partners or []),
            },
        )
    return operation


def operation_update(
    *,
    operation: Operation,
    data: dict[str, Any],
    partners: list[PartnerAgency] | None,
    expected_version: int,
    by: User | None,
) -> Operation:
    """Save the operation's details, refusing if someone saved it meanwhile."""
    with transaction.atomic():
        current = Operation.objects.select_for_update().get(pk=operation.pk)
        if current.version != expected_version:
            raise ConflictError(
                _(
                    "Cette opération a été modifiée par quelqu'un d'autre depuis que vous "
                    "l'avez ouverte. Rien n'a été enregistré : rechargez la page."
                )
            )
        before = {
            **model_snapshot(current),
            "partners": sorted(current.partners.values_list("code", flat=True)),
        }
        for key in OPERATION_FIELDS:
            if key in data:
                setattr(current, key, data[key])
        _check_operation(current)
        if current.end_date is not None:
            late = current.assignments.exclude(state="cancelled").filter(
                start_date__gt=current.end_date
            )
            if late.exists():
                raise ValidationError(
                    {"end_date": _("Des affectations commencent après cette date de fin.")}
                )
        current.version = F("version") + 1
        current.save(update_fields=[*[f for f in OPERATION_FIELDS], "version"])
        if partners is not None:
            current.partners.set(partners)
        current.refresh_from_db(fields=["version"])
        audit_record(
            by=by,
            action="operation.update",
            obj=current,
            before=before,
            after={
                **model_snapshot(current),
                "partners": sorted(current.partners.values_list("code", flat=True)),
            },
        )
    return current


def operation_status_set(*, operation: Operation, status: str, by: User | None) -> Operation:
    """Move the operation to its next state (planned → active → closed)."""
    with transaction.atomic():
        current = Operation.objects.select_for_update().get(pk=operation.pk)
        if status not in NEXT_STATUS.get(OperationStatus(current.status), ()):
            raise ValidationError(
                _("Une opération « %(a)s » ne peut pas passer à « %(b)s ».")
                % {
                    "a": current.get_status_display(),
                    "b": OperationStatus(status).label
                    if status in OperationStatus.values
                    else status,
                }
            )
        if (
            status == OperationStatus.CLOSED
            and current.assignments.filter(
                state__in=("planned", "active"), end_date__isnull=True
            ).exists()
        ):
            raise ValidationError(
                _(
                    "Des affectations sans date de fin sont en cours : terminez-les avant de "
                    "clore l'opération."
                )
            )
        before = current.status
        current.status = status
        current.version = F("version") + 1
        current.save(update_fields=["status", "version"])
        current.refresh_from_db(fields=["version"])
        audit_record(
            by=by,
            action="operation.status",
            obj=current,
            before={"status": before},
            after={"status": status},
        )
    return current


def operation_document_add(
    *,
    operation: Operation,
    kind: str,
    title: str,
    date: datetime.date,
    data: bytes,
    by: User | None,
) -> OperationDocument:
    """Attach the order or the act (a PDF, checked by its content, 10 MB at most)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("Le fichier dépasse 10 Mo.")})
    if sniff_content_type(data[:16]) != "application/pdf":
        raise ValidationError({"file": _("Seuls les fichiers PDF sont acceptés.")})
    if date > _today():
        raise ValidationError({"date": _("La date du document ne peut pas être dans le futur.")})
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Nature de document inconnue.")})
    with transaction.atomic():
        document = OperationDocument(
            operation=operation, kind=kind, title=title.strip(), date=date, uploaded_by=by
        )
        document.full_clean(exclude=["file", "operation", "uploaded_by"])
        document.file.save(
            f"{kind}-{timezone.now():%Y%m%d%H%M%S}.pdf", ContentFile(data), save=False
        )
        document.save()
        audit_record(
            by=by,
            action="operation.document",
            obj=document,
            after=model_snapshot(document),
        )
    return document


def _check_position(position: Position) -> None:
    errors: dict[str, list[str]] = {}
    low, high = position.grade_min, position.grade_max
    agency_id = position.operation.agency_id
    for name, grade in (("grade_min", low), ("grade_max", high)):
        if grade is not None and grade.statute.agency_id != agency_id:
            errors.setdefault(name, []).append(_("Ce grade n'est pas un grade de l'agence."))
    if low is not None and high is not None:
        if low.statute_id != high.statute_id:
            errors.setdefault("grade_max", []).append(
                _("Les deux grades doivent appartenir au même statut.")
            )
        elif low.order > high.order:
            errors.setdefault("grade_max", []).append(
                _("Le grade maximal est inférieur au grade minimal.")
            )
    if position.pool_unit is not None and position.pool_unit.agency_id != agency_id:
        errors.setdefault("pool_unit", []).append(_("Cette unité n'appartient pas à l'agence."))
    if errors:
        raise ValidationError(errors)
    position.full_clean(exclude=["operation"])


def position_create(*, operation: Operation, data: dict[str, Any], by: User | None) -> Position:
    position = Position(operation=operation)
    for key in POSITION_FIELDS:
        if key in data:
            setattr(position, key, data[key])
    _check_position(position)
    with transaction.atomic():
        position.save()
        audit_record(by=by, action="position.create", obj=position, after=model_snapshot(position))
    return position


def position_update(*, position: Position, data: dict[str, Any], by: User | None) -> Position:
    with transaction.atomic():
        current = (
            Position.objects.select_for_update().select_related("operation").get(pk=position.pk)
        )
        before = model_snapshot(current)
        for key in POSITION_FIELDS:
            if key in data:
                setattr(current, key, data[key])
        _check_position(current)
        operation = current.operation
        held = peak_held(
            holding_assignments(Period(operation.start_date, operation.end_date))
            .filter(position_id=current.pk)
            .values_list("start_date", "end_date"),
            Period(operation.start_date, operation.end_date),
        )
        if current.count < held:
            raise ValidationError(
                {
                    "count": _(
                        "%(n)s agents tiennent déjà ce poste le même jour : le nombre de "
                        "postes ne peut pas être inférieur."
                    )
                    % {"n": held}
                }
            )
        current.save(update_fields=POSITION_FIELDS)
        audit_record(
            by=by,
            action="position.update",
            obj=current,
            before=before,
            after=model_snapshot(current),
        )
    return current


def requirement_add(
    *,
    position: Position,
    kind: str,
    by: User | None,
    skill: Any = None,
    language: Any = None,
    min_level: int = 1,
    years_held: int = 0,
) -> Requirement:
    """Add a skill (level, valid over the dates), a spoken language (1–4) or a licence (N years)."""
    errors: dict[str, list[str]] = {}
    if kind == RequirementKind.SKILL:
        if skill is None:
            errors["skill"] = [_("Choisissez la compétence.")]
        elif skill.category.code == "driving":
            errors["skill"] = [_("Un permis s'exige comme « permis de conduire », avec sa durée.")]
        elif min_level > skill.max_level:
            errors["min_level"] = [
                _("Le niveau de « %(s)s » va de 1 à %(n)s.")
                % {"s": skill.name, "n": skill.max_level}
            ]
        language = None
    elif kind == RequirementKind.LICENCE:
        if skill is None or skill.category.code != "driving":
            errors["skill"] = [_("Choisissez une catégorie de permis de conduire.")]
        language, min_level = None, 1
    elif kind == RequirementKind.LANGUAGE:
        if language is None:
            errors["language"] = [_("Choisissez la langue.")]
        if not 1 <= min_level <= 4:
            errors["min_level"] = [_("Le niveau d'une langue va de 1 (A2) à 4 (C1–C2).")]
        skill, years_held = None, 0
    else:
        errors["kind"] = [_("Nature d'exigence inconnue.")]
    if min_level < 1:
        errors.setdefault("min_level", []).append(_("Le niveau minimal est au moins 1."))
    if errors:
        raise ValidationError(errors)
    requirement = Requirement(
        position=position,
        kind=kind,
        skill=skill,
        language=language,
        min_level=min_level,
        years_held=years_held,
    )
    requirement.full_clean(exclude=["position"])
    with transaction.atomic():
        requirement.save()
        audit_record(
            by=by, action="requirement.add", obj=requirement, after=model_snapshot(requirement)
        )
    return requirement


def requirement_remove(*, requirement: Requirement, by: User | None) -> None:
    with transaction.atomic():
        audit_record(
            by=by, action="requirement.remove", obj=requirement, before=model_snapshot(requirement)
        )
        requirement.delete()
