"""Publication of the tableau d'avancement and its effect as grade-change career events."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.models import User
from matricule.accounts.services import notify
from matricule.cards.models import Card, CardStatus
from matricule.core.audit import audit_record
from matricule.core.models import Grade
from matricule.personnel.career import grade_in_force, replay
from matricule.personnel.models import ActKind, EventKind, Officer
from matricule.personnel.services import Act, event_record
from matricule.promotions.models import Campaign, CampaignStatus, Decision, Outcome, Route

if TYPE_CHECKING:
    pass

EFFECT_BATCH = 200
# Cards that show the grade and are in use or on their way: a promotion calls for a reprint.
CARD_SHOWS_GRADE = (CardStatus.REQUESTED, CardStatus.PRINTED, CardStatus.ISSUED, CardStatus.ACTIVE)


def campaign_publish(*, campaign: Campaign, by: User | None) -> Campaign:
    """Publish the tableau: the chair must have acknowledged the fairness audit first."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("agency").get(pk=campaign.pk)
        board = getattr(campaign, "board", None)
        if campaign.status != CampaignStatus.BOARD or board is None:
            raise ValidationError(_("Seul un tableau devant la commission se publie."))
        if board.audit_acknowledged_at is None:
            raise ValidationError(
                _("Le président de la commission doit d'abord prendre acte de l'audit d'équité.")
            )
        now = timezone.now()
        promoted = list(
            Decision.objects.select_for_update()
            .filter(campaign=campaign, outcome=Outcome.PROMOTED)
            .order_by("target_grade__order", "rank", "id")
        )
        for seq, decision in enumerate(promoted, start=1):
            if not decision.act_number:
                decision.act_number = f"{campaign.year}-{seq:04d}/{campaign.agency.code}/AV"
                decision.act_date = timezone.localdate()
                decision.save(update_fields=["act_number", "act_date"])
        campaign.status = CampaignStatus.PUBLISHED
        campaign.published_at = now
        campaign.published_by = by
        campaign.save(update_fields=["status", "published_at", "published_by"])
        audit_record(
            by=by,
            action="promotion.publish",
            obj=campaign,
            after={"promoted": len(promoted), "published_at": now.isoformat()},
        )
        officer_ids = Decision.objects.filter(campaign=campaign).values("officer_id")
        notify(
            users=User.objects.filter(officer_id__in=officer_ids, is_active=True),
            message=_(
                "Le tableau d'avancement « %(name)s » est publié : consultez votre situation."
            )
            % {"name": campaign.name},
            url="/moi/avancement/",
        )
    return campaign


def _next_in_corps(officer: Officer, target: Grade, on: datetime.date) -> bool:
    """Whether `target` is the grade after the officer's (on `on`) in the corps' order."""
    situation = replay(officer.events.all(), on=on)
    if situation is None:
        return False
    current = Grade.objects.get(pk=grade_in_force(situation.grade_id, on))
    expected = (
        Grade.objects.filter(
            statute=target.statute_id, corps=current.corps_id, order__gt=current.order
        )
        .order_by("order")
        .first()
    )
    return expected is not None and expected.pk == target.pk


def _effect_one(campaign: Campaign, decision: Decision, by: User | None) -> None:
    officer = Officer.objects.get(pk=decision.officer_id)
    target = decision.target_grade
    # A move to another corps (Major → Sous-lieutenant…) is outside the corps' order for the
    # career rules: it is recorded as such, with the tableau as its justification.
    exceptional = decision.route == Route.EXCEPTIONAL or not _next_in_corps(
        officer, target, campaign.effective_date
    )
    justification = decision.justification or _(
        "Tableau d'avancement « %(name)s » (%(route)s), rang %(rank)s."
    ) % {"name": campaign.name, "route": decision.get_route_display(), "rank": decision.rank or "—"}
    event = event_record(
        officer=officer,
        kind=EventKind.GRADE,
        effective_date=campaign.effective_date,
        grade=target,
        act=Act(kind=ActKind.ARRETE, number=decision.act_number, date=decision.act_date),
        exceptional=exceptional,
        justification=justification if exceptional else "",
        by=by,
        source={"promotion_campaign": campaign.pk, "decision": decision.pk},
    )
    decision.event = event
    decision.card_reprint = Card.objects.filter(
        officer_id=officer.pk, status__in=CARD_SHOWS_GRADE
    ).exists()
    decision.save(update_fields=["event", "card_reprint"])


def campaign_effect(
    *, campaign: Campaign, by: User | None, today: datetime.date | None = None
) -> int:
    """On the effective date, every promotion becomes a grade-change event, batch by batch.

    Each batch is one transaction (a failure leaves the earlier batches recorded and the
    campaign not yet marked as effected, so that running it again finishes the work).
    Returns the number of events recorded.
    """
    today = today or timezone.localdate()
    if campaign.status not in (CampaignStatus.PUBLISHED, CampaignStatus.EFFECTED):
        raise ValidationError(_("Le tableau n'est pas publié."))
    if today < campaign.effective_date:
        raise ValidationError(
            _("Les avancements prennent effet le %(date)s.")
            % {"date": f"{campaign.effective_date:%d/%m/%Y}"}
        )
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                Decision.objects.select_for_update()
                .filter(campaign=campaign, outcome=Outcome.PROMOTED, event__isnull=True)
                .select_related("target_grade")
                .order_by("id")[:EFFECT_BATCH]
            )
            if not batch:
                break
            for decision in batch:
                _effect_one(campaign, decision, by)
            notify(
                users=User.objects.filter(
                    officer_id__in=[d.officer_id for d in batch], is_active=True
                ),
                message=_("Votre avancement au tableau « %(name)s » est prononcé.")
                % {"name": campaign.name},
                url="/moi/avancement/",
            )
            done += len(batch)
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            status=CampaignStatus.EFFECTED, effected_at=timezone.now()
        )
        audit_record(by=by, action="promotion.effect", obj=campaign, after={"events": done})
    return done


def decision_effect_single(*, decision: Decision, by: User | None) -> None:
    """A decision taken after the effect (a granted appeal) gets its event at once."""
    campaign = decision.campaign
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update().select_related("target_grade").get(pk=decision.pk)
        )
        if decision.event_id is None and decision.outcome == Outcome.PROMOTED:
            _effect_one(campaign, decision, by)
