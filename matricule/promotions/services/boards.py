"""The board: members, decisions bounded by the vacancies, justified deviations, the audit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.audit import audit_record, model_snapshot
from matricule.personnel.models import Officer
from matricule.promotions.models import (
    Board,
    BoardMember,
    Campaign,
    CampaignStatus,
    Decision,
    Eligibility,
    Outcome,
    Route,
    Vacancy,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

MIN_JUSTIFICATION = 10


class VacanciesFull(ValidationError):
    """Promoting one more officer would exceed the posts fixed for the grade."""


def _check_board_role(user: User, campaign: Campaign) -> None:
    if campaign.agency_id not in agency_ids_with(user, Perm.PROMOTION_DECIDE):
        raise ValidationError(
            _("%(user)s n'a pas le rôle de membre de commission d'avancement dans cette agence.")
            % {"user": user.get_username()}
        )


def board_create(
    *,
    campaign: Campaign,
    name: str,
    chair: User,
    members: Iterable[User] = (),
    sitting_date: datetime.date | None = None,
    by: User | None,
) -> Board:
    """Set up the campaign's board; its members hold the promotion-board role."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.DRAFT:
            raise ValidationError(_("La commission de cette campagne est déjà constituée."))
        people = {chair.pk: chair, **{m.pk: m for m in members}}
        for user in people.values():
            _check_board_role(user, campaign)
        board = Board(campaign=campaign, name=name.strip(), chair=chair, sitting_date=sitting_date)
        board.full_clean(exclude=["campaign"])
        board.save()
        BoardMember.objects.bulk_create([BoardMember(board=board, user=u) for u in people.values()])
        campaign.status = CampaignStatus.BOARD
        campaign.save(update_fields=["status"])
        audit_record(
            by=by,
            action="promotion.board.create",
            obj=board,
            after={
                "campaign": campaign.pk,
                "chair": chair.get_username(),
                "members": sorted(u.get_username() for u in people.values()),
            },
        )
    return board


def board_member_add(*, board: Board, user: User, by: User | None) -> BoardMember:
    with transaction.atomic():
        board = Board.objects.select_for_update().select_related("campaign").get(pk=board.pk)
        _check_board_role(user, board.campaign)
        try:
            with transaction.atomic():
                member = BoardMember.objects.create(board=board, user=user)
        except IntegrityError as error:
            raise ValidationError(_("Ce membre siège déjà dans la commission.")) from error
        audit_record(
            by=by, action="promotion.board.member", obj=board, after={"member": user.get_username()}
        )
    return member


def is_member(board: Board, user: User) -> bool:
    return BoardMember.objects.filter(board=board, user=user).exists()


def board_minutes_save(*, board: Board, minutes: str, by: User) -> Board:
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        if not is_member(board, by):
            raise PermissionDenied
        before = board.minutes
        board.minutes = minutes.strip()
        board.save(update_fields=["minutes"])
        audit_record(
            by=by,
            action="promotion.board.minutes",
            obj=board,
            before={"minutes": before},
            after={"minutes": board.minutes},
        )
    return board


def _deviation(
    campaign: Campaign, row: Eligibility, outcome: str, decisions: dict[int, str]
) -> bool:
    """Whether this decision goes against the ranking of the row's list."""
    if row.rank is None:
        return False
    peers = [
        (officer_id, rank)
        for officer_id, rank in Eligibility.objects.filter(
            run_id=row.run_id, rule_id=row.rule_id, eligible=True
        ).values_list("officer_id", "rank")
        if rank is not None
    ]
    if outcome == Outcome.PROMOTED:
        return any(
            rank < row.rank and decisions.get(officer_id) != Outcome.PROMOTED
            for officer_id, rank in peers
        )
    return any(
        rank > row.rank and decisions.get(officer_id) == Outcome.PROMOTED
        for officer_id, rank in peers
    )


def decision_record(
    *,
    campaign: Campaign,
    officer: Officer,
    outcome: str,
    by: User | None,
    justification: str = "",
    act_number: str = "",
    act_date: datetime.date | None = None,
    exceptional_grade_id: int | None = None,
    from_appeal: bool = False,
    eligibility_id: int | None = None,
) -> Decision:
    """Record (or change) the board's decision for one officer.

    The vacancy row of the grade is locked first, so that two members promoting at the same
    moment cannot exceed the posts: the second one waits, then counts the first's decision.
    """
    justification = justification.strip()
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choisissez une décision.")})
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("board")
            .get(pk=campaign.pk)
        )
        board = getattr(campaign, "board", None)
        allowed = (
            (CampaignStatus.PUBLISHED, CampaignStatus.EFFECTED)
            if from_appeal
            else (CampaignStatus.BOARD,)
        )
        if board is None or campaign.status not in allowed:
            raise ValidationError(_("La commission ne siège pas pour cette campagne."))
        if by is not None:
            if not from_appeal and not is_member(board, by):
                raise PermissionDenied
            if by.officer_id == officer.pk:
                raise PermissionDenied(_("Un membre ne décide jamais de son propre cas."))
        run = campaign.runs.filter(is_current=True).first()
        row = None
        if exceptional_grade_id is None:
            if run is None:
                raise ValidationError(_("L'éligibilité n'a pas encore été calculée."))
            rows = Eligibility.objects.filter(run=run, officer=officer, eligible=True)
            if eligibility_id is not None:
                # The list the board is working through (an officer may be on two routes).
                rows = rows.filter(pk=eligibility_id)
            row = rows.order_by("rank", "route").first()
            if row is None and outcome == Outcome.PROMOTED:
                raise ValidationError(
                    _(
                        "Cet agent n'est pas éligible : il ne peut être promu qu'à titre "
                        "exceptionnel, avec une justification et son acte."
                    )
                )
            if row is None:
                row = Eligibility.objects.filter(run=run, officer=officer).first()
                if row is None or row.target_grade_id is None:
                    raise ValidationError(_("Cet agent ne figure pas sur la liste."))
            grade_id = row.target_grade_id
            route = row.route
        else:
            grade_id = exceptional_grade_id
            route = Route.EXCEPTIONAL
            if len(justification) < MIN_JUSTIFICATION or not act_number.strip():
                raise ValidationError(
                    {
                        "justification": _(
                            "Un avancement exceptionnel exige une justification et son acte."
                        )
                    }
                )
        assert grade_id is not None
        vacancy = (
            Vacancy.objects.select_for_update()
            .filter(campaign=campaign, target_grade_id=grade_id)
            .first()
        )
        existing = (
            Decision.objects.select_for_update().filter(campaign=campaign, officer=officer).first()
        )
        if existing is not None and existing.event_id is not None:
            raise ValidationError(_("Cet avancement est déjà prononcé."))
        if outcome == Outcome.PROMOTED:
            if vacancy is None or vacancy.fixed is None:
                raise ValidationError(
                    _("Le nombre de postes à pourvoir de ce grade n'est pas encore fixé.")
                )
            promoted = (
                Decision.objects.filter(
                    campaign=campaign, target_grade_id=grade_id, outcome=Outcome.PROMOTED
                )
                .exclude(officer=officer)
                .count()
            )
            if promoted >= vacancy.fixed:
                raise VacanciesFull(
                    _(
                        "Les %(n)d postes à pourvoir de ce grade sont tous attribués : "
                        "aucune promotion de plus."
                    )
                    % {"n": vacancy.fixed}
                )
        decisions = dict(
            Decision.objects.filter(campaign=campaign, target_grade_id=grade_id)
            .exclude(officer=officer)
            .values_list("officer_id", "outcome")
        )
        deviation = row is not None and _deviation(campaign, row, outcome, decisions)
        if (deviation or route == Route.EXCEPTIONAL) and len(justification) < MIN_JUSTIFICATION:
            raise ValidationError(
                {
                    "justification": _(
                        "Cette décision va contre le classement : justifiez-la par écrit "
                        "(elle figurera en annexe du tableau)."
                    )
                }
            )
        decision = existing or Decision(campaign=campaign, officer=officer)
        before = model_snapshot(existing) if existing else None
        decision.eligibility = row
        decision.target_grade_id = grade_id
        decision.route = route
        decision.outcome = outcome
        decision.rank = row.rank if row else None
        decision.deviation = deviation
        decision.justification = justification
        decision.act_number = act_number.strip()
        decision.act_date = act_date
        decision.from_appeal = from_appeal
        decision.decided_at = timezone.now()
        decision.decided_by = by
        decision.full_clean(exclude=["campaign", "officer", "eligibility", "target_grade", "event"])
        decision.save()
        audit_record(
            by=by,
            action="promotion.decision",
            obj=decision,
            subject_officer_id=officer.pk,
            before=before,
            after=model_snapshot(decision),
        )
    return decision


def audit_acknowledge(
    *, board: Board, comment: str, fairness: list[dict[str, object]], by: User
) -> Board:
    """The chair acknowledges the fairness audit (it informs, it does not block)."""
    with transaction.atomic():
        board = Board.objects.select_for_update().select_related("campaign").get(pk=board.pk)
        if board.chair_id != by.pk:
            raise PermissionDenied(_("Seul le président de la commission prend acte de l'audit."))
        if not comment.strip():
            raise ValidationError({"comment": _("Écrivez vos observations sur l'audit.")})
        board.audit_comment = comment.strip()
        board.audit_acknowledged_at = timezone.now()
        board.audit_acknowledged_by = by
        board.full_clean(exclude=["campaign", "chair"])
        board.save(
            update_fields=["audit_comment", "audit_acknowledged_at", "audit_acknowledged_by"]
        )
        Campaign.objects.filter(pk=board.campaign_id).update(fairness_snapshot=fairness)
        audit_record(
            by=by,
            action="promotion.fairness.acknowledge",
            obj=board,
            after={"comment": board.audit_comment, "groups": len(fairness)},
        )
    return board
