"""Writes on reference data. Each validates, writes and audits in one transaction."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from matricule.core import refcache
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Unit
from matricule.core.models.reference import PATH_STEP

# Core sits below accounts: any Django user will do (the project's is accounts.User).
User = AbstractBaseUser


def _next_child_path(parent: Unit | None) -> str:
    prefix = parent.path if parent is not None else ""
    siblings = Unit.objects.filter(parent=parent).values_list("path", flat=True)
    numbers = [int(p[len(prefix) : len(prefix) + PATH_STEP]) for p in siblings]
    number = max(numbers, default=0) + 1
    if number >= 10**PATH_STEP:
        raise ValidationError(_("Trop de sous-unités sous cette unité."))
    return f"{prefix}{number:0{PATH_STEP}d}/"


def unit_place(unit: Unit) -> None:
    """Set path and depth of a new unit from its parent (no save)."""
    unit.path = _next_child_path(unit.parent)
    unit.depth = unit.parent.depth + 1 if unit.parent is not None else 0


def reference_save(*, instance: Model, by: User | None) -> Model:
    """Create or update any reference object, keeping unit paths consistent."""
    is_new = instance.pk is None
    with transaction.atomic():
        before = None
        old_unit: Unit | None = None
        if not is_new:
            old = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            before = model_snapshot(old)
            old_unit = old if isinstance(old, Unit) else None
        if isinstance(instance, Unit):
            _check_unit_parent(instance)
            if is_new:
                unit_place(instance)
            elif old_unit is not None and old_unit.parent_id != instance.parent_id:
                _unit_move(instance, old_path=old_unit.path)
        instance.full_clean()
        instance.save()
        transaction.on_commit(refcache.clear)
        refcache.clear()
        audit_record(
            by=by,
            action="reference.create" if is_new else "reference.update",
            obj=instance,
            before=before,
            after=model_snapshot(instance),
        )
    return instance


def _check_unit_parent(unit: Unit) -> None:
    parent = unit.parent
    if parent is None:
        return
    if parent.agency_id != unit.agency_id:
        raise ValidationError({"parent": _("L'unité parente doit appartenir à la même agence.")})
    if unit.pk is not None and parent.path.startswith(unit.path or "\0"):
        raise ValidationError(
            {"parent": _("Une unité ne peut pas être placée sous l'une de ses subdivisions.")}
        )


def _unit_move(unit: Unit, *, old_path: str) -> None:
    """Re-root a unit and its whole subtree under its new parent in one UPDATE."""
    unit_place(unit)
    new_path = unit.path
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk)
    # Paths are unique: move the subtree in two steps via a temporary prefix.
    temp = f"~{unit.pk}/"
    descendants.update(path=Concat(Value(temp), Substr("path", len(old_path) + 1)))
    Unit.objects.filter(path__startswith=temp).update(
        path=Concat(Value(new_path), Substr("path", len(temp) + 1))
    )
    for child in Unit.objects.filter(path__startswith=new_path).exclude(pk=unit.pk):
        child.depth = child.path.count("/") - 1
        child.save(update_fields=["depth"])
