"""The steps of an evaluation: self-assessment → rating → review → acknowledgement or
appeal → closed. Each one checks the actor, the step and the version of the form it was
made on, writes under a row lock with its audit entry, and tells the next actor."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import officer_scope_q
from matricule.core.audit import audit_record
from matricule.evaluations.models import (
    OPEN_STEPS,
    AppealDecision,
    Criterion,
    CycleStatus,
    Evaluation,
    ReviewDecision,
    Score,
    Step,
)
from matricule.evaluations.models.forms import plain
from matricule.evaluations.services.notices import hr_managers_for, tell, users_of_officers
from matricule.personnel.models import Officer
from matricule.personnel.services import ConflictError

if TYPE_CHECKING:
    from matricule.accounts.models import User

TWENTY = Decimal("20")
CENT = Decimal("0.01")
MIN_JUSTIFICATION = 10


@dataclass(frozen=True)
class ScoreInput:
    score: Decimal
    comment: str = ""


def _today() -> datetime.date:
    return timezone.localdate()


def _url(evaluation: Evaluation) -> str:
    return f"/evaluations/{evaluation.pk}/"


def _lock(evaluation: Evaluation, version: int | None) -> Evaluation:
    locked = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle", "form", "unit", "officer")
        .get(pk=evaluation.pk)
    )
    if version is not None and locked.version != version:
        raise ConflictError(
            _(
                "Cette évaluation a été modifiée entre-temps (par quelqu'un d'autre ou dans un "
                "autre onglet) : rien n'a été enregistré. Rechargez la page."
            )
        )
    if locked.cycle.status != CycleStatus.OPEN:
        raise ValidationError(_("La campagne de notation est close."))
    return locked


def _bump(evaluation: Evaluation, fields: list[str]) -> None:
    evaluation.full_clean(exclude=["cycle", "officer", "unit", "form", "evaluator", "reviewer"])
    evaluation.save(update_fields=[*fields, "updated_at"])
    Evaluation.objects.filter(pk=evaluation.pk).update(version=F("version") + 1)
    evaluation.version += 1


def _is(by: User | None, officer_id: int | None) -> bool:
    return by is not None and officer_id is not None and by.officer_id == officer_id


def may_manage(by: User | None, evaluation: Evaluation) -> bool:
    """HR with the evaluation manage right over the officer (system writes are trusted)."""
    if by is None:
        return True
    return Officer.objects.filter(
        officer_scope_q(by, Perm.EVALUATION_MANAGE), pk=evaluation.officer_id
    ).exists()


def _expect(evaluation: Evaluation, *steps: str) -> None:
    if evaluation.status not in steps:
        raise ValidationError(
            _("Cette évaluation est à l'étape « %(step)s » : cette action n'est pas possible.")
            % {"step": evaluation.get_status_display()}
        )


def weighted_mark(
    scores: Mapping[int, Decimal], criteria: list[Criterion], scale: Decimal
) -> Decimal:
    """The weighted mean of the scores, brought to 20, to the hundredth."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    weighted = sum((scores[c.pk] * c.weight for c in criteria), Decimal(0))
    return (weighted / total_weight * TWENTY / scale).quantize(CENT, rounding=ROUND_HALF_UP)


def _tell_next(evaluation: Evaluation, officer_id: int | None, message: str) -> None:
    users = users_of_officers([officer_id]) if officer_id else hr_managers_for(evaluation.unit)
    tell(users=users, message=message, url=_url(evaluation))


def evaluation_self_assess(
    *, evaluation: Evaluation, version: int, comment: str, by: User | None
) -> Evaluation:
    """The officer hands in their self-assessment; the evaluation goes to the supervisor."""
    with transaction.atomic():
        locked = _lock(evaluation, version)
        if not _is(by, locked.officer_id):
            raise PermissionDenied
        _expect(locked, Step.SELF)
        if not comment.strip():
            raise ValidationError({"self_comment": _("Rédigez votre auto-évaluation.")})
        locked.self_comment = comment.strip()
        locked.self_submitted_at = timezone.now()
        locked.status = Step.RATING
        locked.escalation_level = 0
        _bump(locked, ["self_comment", "self_submitted_at", "status", "escalation_level"])
        audit_record(
            by=by, action="evaluation.self_assess", obj=locked, subject_officer_id=locked.officer_id
        )
        _tell_next(
            locked,
            locked.evaluator_id,
            _("Auto-évaluation remise par %(name)s : à noter.")
            % {"name": locked.officer.full_name},
        )
    return locked


def evaluation_self_skip(*, evaluation: Evaluation, version: int, by: User | None) -> Evaluation:
    """After its deadline the self-assessment may be skipped (by the evaluator or HR)."""
    with transaction.atomic():
        locked = _lock(evaluation, version)
        _skip(locked, by)
        _bump(locked, ["self_skipped", "status", "escalation_level"])
    return locked


def _skip(locked: Evaluation, by: User | None) -> None:
    if not (_is(by, locked.evaluator_id) or may_manage(by, locked)):
        raise PermissionDenied
    _expect(locked, Step.SELF)
    if _today() <= locked.cycle.self_deadline:
        raise ValidationError(
            _("L'auto-évaluation est possible jusqu'au %(date)s : elle ne se passe qu'après.")
            % {"date": f"{locked.cycle.self_deadline:%d/%m/%Y}"}
        )
    locked.self_skipped = True
    locked.status = Step.RATING
    locked.escalation_level = 0
    audit_record(
        by=by, action="evaluation.self_skip", obj=locked, subject_officer_id=locked.officer_id
    )


def _check_scores(
    evaluation: Evaluation, criteria: list[Criterion], scores: Mapping[int, ScoreInput]
) -> dict[str, list[str]]:
    form = evaluation.form
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        key = f"score_{criterion.pk}"
        given = scores.get(criterion.pk)
        if given is None:
            errors.setdefault(key, []).append(_("Notez ce critère."))
            continue
        value = given.score
        if value < 0 or value > form.scale_max:
            errors.setdefault(key, []).append(
                _("La note est comprise entre 0 et %(max)s.") % {"max": plain(form.scale_max)}
            )
        elif (value / form.step) % 1 != 0:
            errors.setdefault(key, []).append(
                _("La note est un multiple de %(step)s.") % {"step": plain(form.step)}
            )
        needs_comment = (form.comment_below is not None and value < form.comment_below) or (
            form.comment_above is not None and value > form.comment_above
        )
        if needs_comment and not given.comment.strip():
            errors.setdefault(f"comment_{criterion.pk}", []).append(
                _("Cette note doit être commentée.")
            )
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors.setdefault("__all__", []).append(_("Un critère noté n'est pas sur la fiche."))
    return errors


def evaluation_rate(
    *,
    evaluation: Evaluation,
    version: int,
    scores: Mapping[int, ScoreInput],
    comment: str,
    by: User | None,
) -> Evaluation:
    """The supervisor scores each criterion; the weighted mark is computed, never typed."""
    with transaction.atomic():
        locked = _lock(evaluation, version)
        if not _is(by, locked.evaluator_id):
            raise PermissionDenied
        if locked.status == Step.SELF:
            _skip(locked, by)  # past its deadline, rating skips the self-assessment
        _expect(locked, Step.RATING)
        criteria = list(locked.form.criteria.all())
        errors = _check_scores(locked, criteria, scores)
        if not comment.strip():
            errors.setdefault("rating_comment", []).append(_("Rédigez l'appréciation générale."))
        if errors:
            raise ValidationError(errors)
        Score.objects.filter(evaluation=locked).delete()
        Score.objects.bulk_create(
            [
                Score(
                    evaluation=locked,
                    criterion=c,
                    score=scores[c.pk].score,
                    comment=scores[c.pk].comment.strip(),
                )
                for c in criteria
            ]
        )
        mark = weighted_mark(
            {k: v.score for k, v in scores.items()}, criteria, locked.form.scale_max
        )
        locked.rating_mark = mark
        locked.rating_comment = comment.strip()
        locked.rated_at = timezone.now()
        locked.status = Step.REVIEW
        locked.escalation_level = 0
        _bump(
            locked,
            [
                "rating_mark",
                "rating_comment",
                "rated_at",
                "status",
                "escalation_level",
                "self_skipped",
            ],
        )
        audit_record(
            by=by,
            action="evaluation.rate",
            obj=locked,
            subject_officer_id=locked.officer_id,
            after={"mark": str(mark), "scores": {str(k): str(v.score) for k, v in scores.items()}},
        )
        _tell_next(
            locked,
            locked.reviewer_id,
            _("Évaluation de %(name)s notée : revue au second niveau à faire.")
            % {"name": locked.officer.full_name},
        )
    return locked


def evaluation_review(
    *,
    evaluation: Evaluation,
    version: int,
    decision: str,
    by: User | None,
    mark: Decimal | None = None,
    justification: str = "",
) -> Evaluation:
    """The second level agrees, or adjusts the mark with a mandatory justification."""
    with transaction.atomic():
        locked = _lock(evaluation, version)
        reviewer_ok = _is(by, locked.reviewer_id) or (
            locked.reviewer_id is None and may_manage(by, locked)
        )
        if not reviewer_ok or _is(by, locked.officer_id) or _is(by, locked.evaluator_id):
            raise PermissionDenied
        _expect(locked, Step.REVIEW)
        if decision == ReviewDecision.AGREE:
            final = locked.rating_mark
            locked.review_mark = None
        elif decision == ReviewDecision.ADJUST:
            errors: dict[str, str] = {}
            if mark is None or not Decimal(0) <= mark <= TWENTY or (mark / Decimal("0.25")) % 1:
                errors["review_mark"] = _("La note ajustée est sur 20, au quart de point.")
            if len(justification.strip()) < MIN_JUSTIFICATION:
                errors["review_justification"] = _("Justifiez l'ajustement de la note.")
            if errors:
                raise ValidationError(errors)
            final = mark
            locked.review_mark = mark
        else:
            raise ValidationError({"review_decision": _("Choisissez : accord ou ajustement.")})
        locked.review_decision = decision
        locked.review_justification = justification.strip()
        locked.reviewed_at = timezone.now()
        locked.final_mark = final
        locked.acknowledge_by = _today() + datetime.timedelta(days=locked.cycle.appeal_days)
        locked.status = Step.ACKNOWLEDGEMENT
        locked.escalation_level = 0
        _bump(
            locked,
            [
                "review_decision",
                "review_mark",
                "review_justification",
                "reviewed_at",
                "final_mark",
                "acknowledge_by",
                "status",
                "escalation_level",
            ],
        )
        audit_record(
            by=by,
            action="evaluation.review",
            obj=locked,
            subject_officer_id=locked.officer_id,
            after={
                "decision": decision,
                "mark": str(final),
                "justification": locked.review_justification,
            },
        )
        _tell_next(
            locked,
            locked.officer_id,
            _(
                "Votre évaluation %(year)s est prête : prenez-en connaissance, ou formez un "
                "recours avant le %(date)s."
            )
            % {"year": locked.cycle.year, "date": f"{locked.acknowledge_by:%d/%m/%Y}"},
        )
    return locked


def evaluation_acknowledge(
    *,
    evaluation: Evaluation,
    version: int | None,
    by: User | None,
    deemed: bool = False,
    today: datetime.date | None = None,
) -> Evaluation:
    """The officer acknowledges the evaluation (or, past the appeal period, is deemed to)."""
    today = today or _today()
    with transaction.atomic():
        locked = _lock(evaluation, version)
        if deemed:
            if by is not None or today <= (locked.acknowledge_by or today):
                raise PermissionDenied
        elif not _is(by, locked.officer_id):
            raise PermissionDenied
        _expect(locked, Step.ACKNOWLEDGEMENT)
        locked.acknowledged_at = timezone.now()
        locked.status = Step.CLOSED
        locked.closed_at = timezone.now()
        _bump(locked, ["acknowledged_at", "status", "closed_at"])
        audit_record(
            by=by,
            action="evaluation.acknowledge",
            obj=locked,
            subject_officer_id=locked.officer_id,
            after={"deemed": deemed},
        )
    return locked


def evaluation_appeal(
    *, evaluation: Evaluation, version: int, reason: str, by: User | None
) -> Evaluation:
    """The officer appeals, with a reason, within the appeal period."""
    with transaction.atomic():
        locked = _lock(evaluation, version)
        if not _is(by, locked.officer_id):
            raise PermissionDenied
        _expect(locked, Step.ACKNOWLEDGEMENT)
        if locked.acknowledge_by is not None and _today() > locked.acknowledge_by:
            raise ValidationError(
                _("Le délai de recours a expiré le %(date)s.")
                % {"date": f"{locked.acknowledge_by:%d/%m/%Y}"}
            )
        if len(reason.strip()) < MIN_JUSTIFICATION:
            raise ValidationError({"appeal_reason": _("Exposez le motif de votre recours.")})
        locked.appeal_reason = reason.strip()
        locked.appealed_at = timezone.now()
        locked.status = Step.APPEAL
        _bump(locked, ["appeal_reason", "appealed_at", "status"])
        audit_record(
            by=by,
            action="evaluation.appeal",
            obj=locked,
            subject_officer_id=locked.officer_id,
            after={"reason": locked.appeal_reason},
        )
        tell(
            users=hr_managers_for(locked.unit),
            message=_("Recours de %(name)s contre son évaluation %(year)s : à décider.")
            % {"name": locked.officer.full_name, "year": locked.cycle.year},
            url=_url(locked),
        )
    return locked


def evaluation_appeal_decide(
    *,
    evaluation: Evaluation,
    version: int,
    decision: str,
    reasons: str,
    by: User | None,
    mark: Decimal | None = None,
) -> Evaluation:
    """The HR director (or the commission) maintains or revises the mark, with reasons."""
    with transaction.atomic():
        locked = _lock(evaluation, version)
        if not may_manage(by, locked) or _is(by, locked.officer_id):
            raise PermissionDenied
        _expect(locked, Step.APPEAL)
        errors: dict[str, str] = {}
        if decision not in AppealDecision.values:
            errors["appeal_decision"] = _("Choisissez : note maintenue ou révisée.")
        if decision == AppealDecision.REVISED and (
            mark is None or not Decimal(0) <= mark <= TWENTY or (mark / Decimal("0.25")) % 1
        ):
            errors["appeal_mark"] = _("La note révisée est sur 20, au quart de point.")
        if len(reasons.strip()) < MIN_JUSTIFICATION:
            errors["appeal_reasons"] = _("Motivez la décision.")
        if errors:
            raise ValidationError(errors)
        before = str(locked.final_mark)
        if decision == AppealDecision.REVISED:
            assert mark is not None
            locked.appeal_mark = mark
            locked.final_mark = mark
        locked.appeal_decision = decision
        locked.appeal_reasons = reasons.strip()
        locked.appeal_decided_by = by
        locked.appeal_decided_at = timezone.now()
        locked.status = Step.CLOSED
        locked.closed_at = timezone.now()
        _bump(
            locked,
            [
                "appeal_mark",
                "final_mark",
                "appeal_decision",
                "appeal_reasons",
                "appeal_decided_by",
                "appeal_decided_at",
                "status",
                "closed_at",
            ],
        )
        audit_record(
            by=by,
            action="evaluation.appeal_decide",
            obj=locked,
            subject_officer_id=locked.officer_id,
            before={"mark": before},
            after={
                "decision": decision,
                "mark": str(locked.final_mark),
                "reasons": locked.appeal_reasons,
            },
        )
        _tell_next(
            locked,
            locked.officer_id,
            _("Votre recours sur l'évaluation %(year)s est décidé : %(decision)s.")
            % {"year": locked.cycle.year, "decision": locked.get_appeal_decision_display()},
        )
    return locked


def evaluation_reassign(
    *,
    evaluation: Evaluation,
    reason: str,
    by: User | None,
    evaluator: Officer | None = None,
    reviewer: Officer | None = None,
) -> Evaluation:
    """HR designates the evaluator or the reviewer, with a reason (audited)."""
    with transaction.atomic():
        locked = _lock(evaluation, None)
        if not may_manage(by, locked):
            raise PermissionDenied
        _expect(locked, *OPEN_STEPS)
        if not reason.strip():
            raise ValidationError({"reason": _("Indiquez le motif de la désignation.")})
        if evaluator is None and reviewer is None:
            raise ValidationError(_("Désignez un évaluateur ou un second niveau."))
        if evaluator is not None and locked.status not in (Step.SELF, Step.RATING):
            raise ValidationError(
                {"evaluator": _("L'évaluation est déjà notée : l'évaluateur ne change plus.")}
            )
        if reviewer is not None and locked.status not in (Step.SELF, Step.RATING, Step.REVIEW):
            raise ValidationError(
                {"reviewer": _("La revue est faite : le second niveau ne change plus.")}
            )
        before = {"evaluator": locked.evaluator_id, "reviewer": locked.reviewer_id}
        new_evaluator = evaluator.pk if evaluator is not None else locked.evaluator_id
        new_reviewer = reviewer.pk if reviewer is not None else locked.reviewer_id
        errors: dict[str, str] = {}
        if new_evaluator == locked.officer_id:
            errors["evaluator"] = _("Un agent ne se note pas lui-même.")
        if new_reviewer == locked.officer_id:
            errors["reviewer"] = _("Un agent ne revoit pas sa propre évaluation.")
        elif new_reviewer is not None and new_reviewer == new_evaluator:
            errors["reviewer"] = _("L'évaluateur et le second niveau sont deux personnes.")
        for key, person in (("evaluator", evaluator), ("reviewer", reviewer)):
            if person is not None and not person.in_service:
                errors[key] = _("Cet agent n'est plus en service.")
        if errors:
            raise ValidationError(errors)
        locked.evaluator_id = new_evaluator
        locked.reviewer_id = new_reviewer
        locked.escalation_level = 0
        _bump(locked, ["evaluator", "reviewer", "escalation_level"])
        audit_record(
            by=by,
            action="evaluation.reassign",
            obj=locked,
            subject_officer_id=locked.officer_id,
            before=before,
            after={"evaluator": new_evaluator, "reviewer": new_reviewer, "reason": reason.strip()},
        )
        message = _("Vous êtes désigné pour l'évaluation %(year)s de %(name)s.") % {
            "year": locked.cycle.year,
            "name": locked.officer.full_name,
        }
        tell(
            users=users_of_officers([p.pk for p in (evaluator, reviewer) if p is not None]),
            message=message,
            url=_url(locked),
        )
    return locked
