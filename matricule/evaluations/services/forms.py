"""Evaluation forms: dated versions per corps, maintained by the HR director."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Corps
from matricule.evaluations.models import Criterion, Evaluation, FormVersion
from matricule.personnel.services import ConflictError

if TYPE_CHECKING:
    from matricule.accounts.models import User

# The criteria of the default form (SPEC §3.4, issue 12); officers and commissaires are
# also rated on their aptitude for command.
DEFAULT_CRITERIA = (
    ("service", gettext_lazy("Manière de servir"), Decimal("2")),
    ("discipline", gettext_lazy("Discipline"), Decimal("2")),
    ("responsabilite", gettext_lazy("Sens des responsabilités"), Decimal("1")),
    ("initiative", gettext_lazy("Esprit d'initiative"), Decimal("1")),
    ("public", gettext_lazy("Relations avec le public"), Decimal("1")),
)
COMMAND_CRITERION = ("commandement", gettext_lazy("Aptitude au commandement"), Decimal("1"))
COMMAND_CORPS = ("OF", "CO")
EARLIEST = datetime.date(1990, 1, 1)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    label: str
    weight: Decimal


def default_criteria(corps: Corps) -> list[CriterionSpec]:
    rows = [*DEFAULT_CRITERIA, *([COMMAND_CRITERION] if corps.code in COMMAND_CORPS else [])]
    return [CriterionSpec(code, str(label), weight) for code, label, weight in rows]


def form_in_force(*, corps_id: int, on: datetime.date) -> FormVersion | None:
    return (
        FormVersion.objects.filter(corps_id=corps_id, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .first()
    )


def _check_overlap(form: FormVersion) -> None:
    others = FormVersion.objects.filter(corps_id=form.corps_id).exclude(pk=form.pk)
    end = form.valid_to
    overlap = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=form.valid_from))
    if end is not None:
        overlap = overlap.filter(valid_from__lt=end)
    if overlap.exists():
        raise ValidationError(
            {
                "valid_from": _(
                    "Une autre version de la fiche de ce corps est en vigueur sur cette "
                    "période : fermez-la d'abord (date de fin)."
                )
            }
        )


def _check_criteria(criteria: Sequence[CriterionSpec]) -> None:
    if not criteria:
        raise ValidationError(_("Une fiche compte au moins un critère."))
    codes = [c.code for c in criteria]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Deux critères ont le même code."))
    if any(c.weight <= 0 for c in criteria):
        raise ValidationError(_("Le coefficient d'un critère est positif."))


def form_create(
    *,
    corps: Corps,
    name: str,
    valid_from: datetime.date,
    criteria: Sequence[CriterionSpec],
    by: User | None,
    valid_to: datetime.date | None = None,
    scale_max: Decimal = Decimal("20"),
    step: Decimal = Decimal("0.5"),
    comment_below: Decimal | None = None,
    comment_above: Decimal | None = None,
) -> FormVersion:
    """Create a dated version of a corps' form with its weighted criteria."""
    with transaction.atomic():
        Corps.objects.select_for_update().get(pk=corps.pk)
        form = FormVersion(
            agency_id=corps.agency_id,
            corps=corps,
            name=name.strip(),
            valid_from=valid_from,
            valid_to=valid_to,
            scale_max=scale_max,
            step=step,
            comment_below=comment_below,
            comment_above=comment_above,
            created_by=by,
        )
        _check_step(form)
        form.full_clean()
        _check_overlap(form)
        _check_criteria(criteria)
        form.save()
        Criterion.objects.bulk_create(
            [
                Criterion(form=form, code=c.code, label=c.label, weight=c.weight, order=i)
                for i, c in enumerate(criteria, start=1)
            ]
        )
        audit_record(
            by=by,
            action="evaluation.form.create",
            obj=form,
            after={
                **model_snapshot(form),
                "criteria": [[c.code, c.label, str(c.weight)] for c in criteria],
            },
        )
    return form


def _check_step(form: FormVersion) -> None:
    if form.step not in (Decimal("0.25"), Decimal("0.5"), Decimal("1")):
        raise ValidationError({"step": _("Le pas de notation est 0,25, 0,5 ou 1.")})


def form_update(
    *,
    form: FormVersion,
    version: int,
    by: User | None,
    name: str,
    valid_to: datetime.date | None,
    scale_max: Decimal,
    step: Decimal,
    comment_below: Decimal | None,
    comment_above: Decimal | None,
    criteria: Sequence[CriterionSpec] | None = None,
) -> FormVersion:
    """Edit a form version; once an evaluation uses it, only its end date may change."""
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().get(pk=form.pk)
        if locked.version != version:
            raise ConflictError(
                _("La fiche a été modifiée entre-temps ; rechargez la page et recommencez.")
            )
        before = model_snapshot(locked)
        used = Evaluation.objects.filter(form=locked).exists()
        changes_body = (
            name.strip() != locked.name
            or scale_max != locked.scale_max
            or step != locked.step
            or comment_below != locked.comment_below
            or comment_above != locked.comment_above
            or criteria is not None
        )
        if used and changes_body:
            raise ValidationError(
                _(
                    "Cette version de la fiche sert déjà à des évaluations : seule sa date de "
                    "fin se modifie. Créez une nouvelle version pour changer les critères."
                )
            )
        locked.name = name.strip()
        locked.valid_to = valid_to
        locked.scale_max = scale_max
        locked.step = step
        locked.comment_below = comment_below
        locked.comment_above = comment_above
        _check_step(locked)
        locked.full_clean()
        _check_overlap(locked)
        if criteria is not None:
            _check_criteria(criteria)
            locked.criteria.all().delete()
            Criterion.objects.bulk_create(
                [
                    Criterion(form=locked, code=c.code, label=c.label, weight=c.weight, order=i)
                    for i, c in enumerate(criteria, start=1)
                ]
            )
        locked.save()
        FormVersion.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        locked.version += 1
        audit_record(
            by=by,
            action="evaluation.form.update",
            obj=locked,
            before=before,
            after={
                **model_snapshot(locked),
                **(
                    {"criteria": [[c.code, c.label, str(c.weight)] for c in criteria]}
                    if criteria is not None
                    else {}
                ),
            },
        )
    return locked


def form_ensure(*, corps: Corps, on: datetime.date, by: User | None) -> FormVersion:
    """The corps' form in force on a date, creating the default one if the corps has none."""
    form = form_in_force(corps_id=corps.pk, on=on)
    if form is not None:
        return form
    if FormVersion.objects.filter(corps=corps).exists():
        raise ValidationError(
            _("Aucune version de la fiche du corps « %(corps)s » n'est en vigueur le %(date)s.")
            % {"corps": corps.name, "date": f"{on:%d/%m/%Y}"}
        )
    return form_create(
        corps=corps,
        name=_("Fiche de notation — %(corps)s") % {"corps": corps.name},
        valid_from=EARLIEST,
        criteria=default_criteria(corps),
        by=by,
    )
