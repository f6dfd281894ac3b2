"""Intakes and their configuration (quotas, exam centres, stages, subjects, scoring
tables); opening, closing and publication."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Region
from matricule.recruitment.models import (
    FIT_KINDS,
    Candidate,
    ExamCentre,
    Intake,
    IntakeQuota,
    IntakeStatus,
    Outcome,
    PassRule,
    PhysicalEvent,
    ScoringRow,
    Stage,
    StageKind,
    WrittenSubject,
)
from matricule.recruitment.rules import eligibility_reasons

if TYPE_CHECKING:
    from matricule.accounts.models import User

from matricule.recruitment.services._common import (
    _check_not_closed,
    _refuse,
)

INTAKE_FIELDS = [
    "corps",
    "title",
    "posts_total",
    "applications_open",
    "applications_close",
    "age_reference_date",
    "age_min",
    "age_max",
    "min_diploma",
    "nationality_required",
    "marital_status_required",
    "age_tie_break",
]


def intake_create(*, agency: Any, data: Mapping[str, Any], by: User | None) -> Intake:
    with transaction.atomic():
        intake = Intake(agency=agency, **{k: v for k, v in data.items() if k in INTAKE_FIELDS})
        if intake.corps_id and intake.corps.agency_id != agency.pk:
            raise _refuse(_("Ce corps n'appartient pas à l'agence du concours."), "corps")
        intake.full_clean()
        intake.save()
        audit_record(by=by, action="intake.create", obj=intake, after=model_snapshot(intake))
    return intake


def intake_update(*, intake: Intake, data: Mapping[str, Any], by: User | None) -> Intake:
    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        _check_not_closed(current, by=by)
        before = model_snapshot(current, INTAKE_FIELDS)
        for key, value in data.items():
            if key in INTAKE_FIELDS:
                setattr(current, key, value)
        if current.corps.agency_id != current.agency_id:
            raise _refuse(_("Ce corps n'appartient pas à l'agence du concours."), "corps")
        current.full_clean()
        current.save()
        after = model_snapshot(current, INTAKE_FIELDS)
        audit_record(by=by, action="intake.update", obj=current, before=before, after=after)
        # Eligibility depends on the rules just changed: check every candidate again.
        _recheck_eligibility(current)
    return current


def _recheck_eligibility(intake: Intake) -> None:
    changed = []
    for candidate in Candidate.objects.filter(intake=intake):
        reasons = eligibility_reasons(
            intake=intake,
            birth_date=candidate.birth_date,
            diploma=candidate.diploma,
            nationality=candidate.nationality,
            marital_status=candidate.marital_status,
        )
        if reasons != candidate.ineligibility_reasons:
            candidate.ineligibility_reasons = reasons
            candidate.eligible = not reasons
            changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["eligible", "ineligibility_reasons"], batch_size=500)


NEXT_STATUS = {
    IntakeStatus.DRAFT: IntakeStatus.OPEN,
    IntakeStatus.OPEN: IntakeStatus.CLOSED,
}


def intake_advance(*, intake: Intake, by: User | None) -> Intake:
    """Open the applications of a draft intake, or close those of an open one."""
    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        target = NEXT_STATUS.get(IntakeStatus(current.status))
        if target is None:
            raise _refuse(_("Ce concours ne peut pas changer d'état ainsi."))
        if target == IntakeStatus.OPEN:
            if not current.stages.exists():
                raise _refuse(_("Définissez au moins une épreuve avant d'ouvrir les candidatures."))
            if not current.centres.exists():
                raise _refuse(
                    _("Définissez au moins un centre d'examen avant d'ouvrir les candidatures.")
                )
        before = current.status
        current.status = target
        current.save(update_fields=["status"])
        audit_record(
            by=by,
            action="intake.status",
            obj=current,
            before={"status": before},
            after={"status": target},
        )
    return current


def quota_add(
    *, intake: Intake, region: Region | None, sex: str, posts: int, by: User | None
) -> IntakeQuota:
    with transaction.atomic():
        _check_not_closed(intake, by=by)
        if region is None and not sex:
            raise _refuse(_("Choisissez une région, un sexe, ou les deux."))
        if IntakeQuota.objects.filter(intake=intake, region=region, sex=sex).exists():
            raise _refuse(_("Une répartition existe déjà pour ce groupe : supprimez-la d'abord."))
        if posts > intake.posts_total:
            raise _refuse(
                _("Plus de postes que le concours n'en compte (%(n)s).")
                % {"n": intake.posts_total},
                "posts",
            )
        quota = IntakeQuota(intake=intake, region=region, sex=sex, posts=posts)
        quota.full_clean()
        quota.save()
        audit_record(by=by, action="intake.quota_add", obj=quota, after=model_snapshot(quota))
    return quota


def centre_add(
    *, intake: Intake, code: str, name: str, region: Region | None, by: User | None
) -> ExamCentre:
    with transaction.atomic():
        _check_not_closed(intake, by=by)
        centre = ExamCentre(
            intake=intake, code=code.strip().upper(), name=name.strip(), region=region
        )
        centre.full_clean()
        centre.save()
        audit_record(by=by, action="intake.centre_add", obj=centre, after=model_snapshot(centre))
    return centre


def stage_add(
    *,
    intake: Intake,
    kind: str,
    order: int,
    pass_mark: Decimal | None,
    counts_in_ranking: bool,
    weight: Decimal,
    by: User | None,
) -> Stage:
    with transaction.atomic():
        _check_not_closed(intake, by=by)
        rule = PassRule.FIT if kind in FIT_KINDS else PassRule.MARK
        if rule == PassRule.FIT and counts_in_ranking:
            raise _refuse(
                _(
                    "Une épreuve jugée apte / inapte ne donne pas de note : "
                    "elle ne peut pas compter pour le classement."
                ),
                "counts_in_ranking",
            )
        if rule == PassRule.MARK and pass_mark is None:
            raise _refuse(_("Indiquez la note minimale sur 20."), "pass_mark")
        stage = Stage(
            intake=intake,
            kind=kind,
            order=order,
            rule=rule,
            pass_mark=pass_mark if rule == PassRule.MARK else None,
            counts_in_ranking=counts_in_ranking,
            weight=weight,
        )
        stage.full_clean()
        stage.save()
        audit_record(by=by, action="intake.stage_add", obj=stage, after=model_snapshot(stage))
    return stage


def subject_add(
    *, stage: Stage, code: str, name: str, coefficient: Decimal, by: User | None
) -> WrittenSubject:
    with transaction.atomic():
        _check_not_closed(stage.intake, by=by)
        if stage.kind != StageKind.WRITTEN:
            raise _refuse(_("Les matières ne concernent que les épreuves écrites."))
        if stage.results.exists():
            raise _refuse(_("Des notes sont déjà saisies : les matières ne peuvent plus changer."))
        subject = WrittenSubject(
            stage=stage, code=code.strip().upper(), name=name.strip(), coefficient=coefficient
        )
        subject.full_clean()
        subject.save()
        audit_record(by=by, action="intake.subject_add", obj=subject, after=model_snapshot(subject))
    return subject


def event_add(
    *,
    stage: Stage,
    code: str,
    name: str,
    unit: str,
    higher_is_better: bool,
    scoring: Iterable[tuple[str, Decimal, Decimal]],
    by: User | None,
) -> PhysicalEvent:
    """A physical event with its scoring table: (sex, threshold, points) lines."""
    with transaction.atomic():
        _check_not_closed(stage.intake, by=by)
        if stage.kind != StageKind.PHYSICAL:
            raise _refuse(_("Les barèmes ne concernent que les épreuves physiques."))
        if stage.results.exists():
            raise _refuse(
                _("Des résultats sont déjà saisis : les barèmes ne peuvent plus changer.")
            )
        event = PhysicalEvent(
            stage=stage,
            code=code.strip().upper(),
            name=name.strip(),
            unit=unit,
            higher_is_better=higher_is_better,
        )
        event.full_clean()
        event.save()
        rows = [ScoringRow(event=event, sex=s, threshold=t, points=p) for s, t, p in scoring]
        for row in rows:
            row.full_clean(exclude=["event"])
        if {r.sex for r in rows} != {"M", "F"}:
            raise _refuse(
                _("Le barème doit avoir des lignes pour les hommes et pour les femmes."), "scoring"
            )
        if len({(r.sex, r.threshold) for r in rows}) != len(rows):
            raise _refuse(
                _("Deux lignes du barème ont la même performance pour le même sexe."), "scoring"
            )
        ScoringRow.objects.bulk_create(rows)
        audit_record(
            by=by,
            action="intake.event_add",
            obj=event,
            after={
                **model_snapshot(event),
                "bareme": [[r.sex, str(r.threshold), str(r.points)] for r in rows],
            },
        )
    return event


def config_remove(*, obj: Model, intake: Intake, by: User | None) -> None:
    """Remove a quota, centre, stage, subject or event of an intake not yet published."""
    with transaction.atomic():
        _check_not_closed(intake, by=by)
        before = model_snapshot(obj)
        label = obj._meta.label_lower
        if isinstance(obj, Stage | WrittenSubject | PhysicalEvent):
            stage = obj if isinstance(obj, Stage) else obj.stage
            if stage.results.exists():
                raise _refuse(_("Des résultats sont déjà saisis pour cette épreuve."))
        try:
            obj.delete()
        except ProtectedError:
            raise _refuse(
                _("Des candidats y sont rattachés : impossible de le supprimer.")
            ) from None
        audit_record(
            by=by,
            action="intake.config_remove",
            object_type=label,
            object_id=str(before.get("id", "")),
            object_repr=str(obj)[:255],
            before=before,
        )


def intake_publish(*, intake: Intake, by: User | None) -> Intake:
    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        if current.status != IntakeStatus.RANKED:
            raise _refuse(_("Établissez d'abord le classement, puis publiez-le."))
        current.status = IntakeStatus.PUBLISHED
        current.published_at = timezone.now()
        current.save(update_fields=["status", "published_at"])
        audit_record(
            by=by,
            action="intake.publish",
            obj=current,
            before={"status": IntakeStatus.RANKED},
            after={
                "status": IntakeStatus.PUBLISHED,
                "admis": current.ranking.filter(outcome=Outcome.ADMITTED).count(),
            },
        )
    return current


def intake_unpublish(*, intake: Intake, by: User | None, reason: str) -> Intake:
    """Withdraw published results (an error found after publication); the ranking stays."""
    if len(reason.strip()) < 5:
        raise _refuse(_("Indiquez le motif (5 caractères au moins)."), "reason")
    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        if current.status != IntakeStatus.PUBLISHED:
            raise _refuse(_("Seuls des résultats publiés (et pas encore intégrés) se retirent."))
        current.status = IntakeStatus.RANKED
        current.published_at = None
        current.save(update_fields=["status", "published_at"])
        audit_record(
            by=by,
            action="intake.unpublish",
            obj=current,
            before={"status": IntakeStatus.PUBLISHED},
            after={"status": IntakeStatus.RANKED, "reason": reason.strip()},
        )
    return current
