"""Appeals (recours) against the published tableau, decided with reasons."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record
from matricule.core.filetypes import PDF, verified_content_type
from matricule.personnel.models import Officer
from matricule.promotions.models import (
    Appeal,
    AppealStatus,
    Campaign,
    CampaignStatus,
    Decision,
    Outcome,
)
from matricule.promotions.selectors.access import can_manage, sits_on
from matricule.promotions.services.boards import decision_record
from matricule.promotions.services.publication import decision_effect_single

if TYPE_CHECKING:
    from matricule.accounts.models import User

MAX_SCAN_BYTES = 5 * 1024 * 1024


def appeal_file(
    *,
    campaign: Campaign,
    officer: Officer,
    reason: str,
    scan: bytes,
    by: User | None,
    today: datetime.date | None = None,
) -> Appeal:
    """The officer appeals within the campaign's delay, with a reason and a PDF scan."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if campaign.status not in (CampaignStatus.PUBLISHED, CampaignStatus.EFFECTED):
        raise ValidationError(_("Le tableau n'est pas publié."))
    assert campaign.published_at is not None
    if (today - timezone.localtime(campaign.published_at).date()).days > campaign.appeal_days:
        raise ValidationError(
            _("Le délai de recours (%(n)d jours après la publication) est dépassé.")
            % {"n": campaign.appeal_days}
        )
    if officer.agency_id != campaign.agency_id:
        raise ValidationError(_("Cet agent n'est pas concerné par ce tableau."))
    if len(reason.strip()) < 10:
        errors["reason"] = [_("Expliquez le motif du recours (10 caractères au moins).")]
    if len(scan) > MAX_SCAN_BYTES:
        errors["scan"] = [_("La pièce dépasse 5 Mo.")]
    elif verified_content_type(scan) != PDF:
        errors["scan"] = [_("Joignez la pièce en PDF lisible.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal = Appeal(
            campaign=campaign, officer=officer, reason=reason.strip(), filed_at=timezone.now()
        )
        appeal.scan.save(
            f"recours-{officer.pk}-{timezone.now():%Y%m%d%H%M%S}.pdf", ContentFile(scan), save=False
        )
        try:
            with transaction.atomic():
                appeal.save()
        except IntegrityError as error:
            raise ValidationError(_("Un recours de cet agent est déjà en attente.")) from error
        audit_record(
            by=by,
            action="promotion.appeal.file",
            obj=appeal,
            subject_officer_id=officer.pk,
            after={"campaign": campaign.pk, "reason": appeal.reason},
        )
    return appeal


def appeal_decide(
    *, appeal: Appeal, granted: bool, answer: str, by: User, act_number: str = ""
) -> Appeal:
    """The board or the HR director decides with reasons; granted, it produces a decision."""
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("campaign").get(pk=appeal.pk)
        campaign = appeal.campaign
        if not (can_manage(by, campaign.agency_id) or sits_on(by, campaign)):
            raise PermissionDenied
        if by.officer_id == appeal.officer_id:
            raise PermissionDenied(_("Un membre ne décide jamais de son propre cas."))
        if appeal.status != AppealStatus.PENDING:
            raise ValidationError(_("Ce recours est déjà décidé."))
        if len(answer.strip()) < 10:
            raise ValidationError({"answer": _("Motivez la décision (10 caractères au moins).")})
        appeal.status = AppealStatus.GRANTED if granted else AppealStatus.REJECTED
        appeal.answer = answer.strip()
        appeal.decided_at = timezone.now()
        appeal.decided_by = by
        appeal.full_clean(exclude=["scan"])
        appeal.save(update_fields=["status", "answer", "decided_at", "decided_by"])
        decision = None
        if granted:
            decision = decision_record(
                campaign=campaign,
                officer=appeal.officer,
                outcome=Outcome.PROMOTED,
                by=by,
                justification=_("Recours accordé : %(answer)s") % {"answer": appeal.answer},
                act_number=act_number
                or f"{campaign.year}-R{appeal.pk:04d}/{campaign.agency.code}/AV",
                act_date=timezone.localdate(),
                from_appeal=True,
            )
        audit_record(
            by=by,
            action="promotion.appeal.decide",
            obj=appeal,
            subject_officer_id=appeal.officer_id,
            after={"status": appeal.status, "answer": appeal.answer},
        )
    effected = campaign.status == CampaignStatus.EFFECTED
    if decision is not None and effected and timezone.localdate() >= campaign.effective_date:
        decision_effect_single(decision=Decision.objects.get(pk=decision.pk), by=by)
    return appeal
