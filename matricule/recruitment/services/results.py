"""Stage results: entry or correction, and the elimination that follows a failure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.recruitment.models import (
    Candidate,
    Intake,
    IntakeStatus,
    PassRule,
    Stage,
    StageResult,
)
from matricule.recruitment.rules import StageSpec, stage_outcome

if TYPE_CHECKING:
    from matricule.accounts.models import User

from matricule.recruitment.services._common import (
    _has_cohort,
    _refuse,
    invalidate_ranking,
)


def check_can_sit(
    candidate: Candidate, stage: Stage, *, stage_orders: list[int], passed_orders: set[int]
) -> str:
    """Why the candidate cannot have a result at this stage ('' if they can).

    `stage_orders` are the orders of all the intake's stages; `passed_orders` those the
    candidate passed.
    """
    if not candidate.eligible:
        return _("candidature irrecevable")
    if candidate.withdrawn_on is not None:
        return _("candidat désisté le %(d)s") % {"d": f"{candidate.withdrawn_on:%d/%m/%Y}"}
    if any(o < stage.order and o not in passed_orders for o in stage_orders):
        return _("le candidat n'a pas réussi les épreuves précédentes")
    return ""


def result_record(
    *,
    candidate: Candidate,
    stage: Stage,
    absent: bool,
    values: Mapping[str, Any],
    note: str = "",
    by: User | None,
) -> StageResult:
    """Enter or correct one candidate's result at one stage; failing eliminates."""
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        intake = Intake.objects.select_for_update().get(pk=current.intake_id)
        if intake.status == IntakeStatus.GRADUATED or _has_cohort(intake):
            raise _refuse(_("La promotion est constituée : les résultats ne peuvent plus changer."))
        if intake.status in (IntakeStatus.DRAFT,):
            raise _refuse(_("Ouvrez d'abord les candidatures de ce concours."))
        stage_orders = list(intake.stages.values_list("order", flat=True))
        passed_orders = set(
            StageResult.objects.filter(candidate=current, passed=True).values_list(
                "stage__order", flat=True
            )
        )
        why = check_can_sit(current, stage, stage_orders=stage_orders, passed_orders=passed_orders)
        if why:
            raise _refuse(_("Saisie impossible : %(why)s.") % {"why": why})
        spec = StageSpec.load(stage)
        try:
            verdict = stage_outcome(spec, sex=current.sex, absent=absent, values=values)
        except ValueError as error:
            problems = error.args[0] if isinstance(error.args[0], dict) else {"note": str(error)}
            raise ValidationError({k: [v] for k, v in problems.items()}) from None
        existing = StageResult.objects.filter(candidate=current, stage=stage).first()
        before = (
            model_snapshot(existing, ["mark", "fit", "absent", "passed", "detail"])
            if existing
            else None
        )
        result = existing or StageResult(candidate=current, stage=stage)
        result.mark = verdict.mark
        result.fit = verdict.fit
        result.absent = absent
        result.passed = verdict.passed
        result.detail = verdict.detail
        result.note = note.strip()[:255]
        result.entered_by = by
        result.save()
        refresh_elimination([current.pk], intake=intake)
        invalidate_ranking(intake, by=by)
        audit_record(
            by=by,
            action="result.correct" if existing else "result.record",
            obj=result,
            before=before,
            after=model_snapshot(result, ["mark", "fit", "absent", "passed", "detail"]),
        )
    return result


def refresh_elimination(candidate_ids: list[int], *, intake: Intake) -> int:
    """Set each candidate's elimination to their first failed stage (or clear it).

    Called after results are written, inside the caller's transaction; returns how many
    candidates changed.
    """
    if not candidate_ids:
        return 0
    stages = {s.pk: s for s in intake.stages.all()}
    first_fail: dict[int, tuple[int, int, str]] = {}
    for start in range(0, len(candidate_ids), 900):
        chunk = candidate_ids[start : start + 900]
        failed = StageResult.objects.filter(candidate_id__in=chunk, passed=False).values_list(
            "candidate_id", "stage_id", "mark", "absent", "fit"
        )
        for cid, stage_id, mark, absent, _fit in failed:
            stage = stages[stage_id]
            if cid in first_fail and first_fail[cid][0] <= stage.order:
                continue
            first_fail[cid] = (stage.order, stage_id, _failure_reason(stage, mark, absent))
    changed: list[Candidate] = []
    for start in range(0, len(candidate_ids), 900):
        chunk = candidate_ids[start : start + 900]
        for candidate in Candidate.objects.filter(pk__in=chunk).only(
            "id", "eliminated_stage_id", "elimination_reason"
        ):
            fail = first_fail.get(candidate.pk)
            failed_at: int | None = fail[1] if fail else None
            reason = fail[2] if fail else ""
            if candidate.eliminated_stage_id != failed_at or candidate.elimination_reason != reason:
                candidate.eliminated_stage_id = failed_at
                candidate.elimination_reason = reason
                changed.append(candidate)
    Candidate.objects.bulk_update(
        changed, ["eliminated_stage_id", "elimination_reason"], batch_size=500
    )
    return len(changed)


def _failure_reason(stage: Stage, mark: Decimal | None, absent: bool) -> str:
    label = stage.get_kind_display()
    if absent:
        return _("Absent(e) à l'épreuve « %(s)s ».") % {"s": label}
    if stage.rule == PassRule.FIT or mark is None:
        return _("Déclaré(e) inapte à l'épreuve « %(s)s ».") % {"s": label}
    return _("Note de %(m)s/20 à l'épreuve « %(s)s », inférieure au minimum de %(p)s/20.") % {
        "m": f"{mark:.2f}".replace(".", ","),
        "s": label,
        "p": f"{stage.pass_mark or 0:.2f}".replace(".", ","),
    }
