"""Vacancies per target grade: proposed from the establishment, fixed with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record
from matricule.core.dates import add_years
from matricule.core.models import Establishment, Grade
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer
from matricule.promotions.models import Campaign, CampaignStatus, Decision, Outcome, Vacancy
from matricule.promotions.services.runs import rules_in_force

if TYPE_CHECKING:
    from matricule.accounts.models import User


def vacancy_proposal(campaign: Campaign, grade: Grade) -> dict[str, int]:
    """Authorised minus actual in the grade's band, plus the grade's retirements before effect."""
    on = campaign.effective_date
    authorised = (
        Establishment.objects.filter(
            unit__agency_id=campaign.agency_id, band_id=grade.band_id, effective_from__lte=on
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .aggregate(n=Sum("authorised"))["n"]
        or 0
    )
    in_service = Officer.objects.filter(
        agency_id=campaign.agency_id, status__in=IN_SERVICE_STATUSES
    )
    actual = in_service.filter(grade__band_id=grade.band_id).count()
    retiring = sum(
        1
        for birth, age in in_service.filter(grade_id=grade.pk).values_list(
            "birth_date", "corps__retirement_age"
        )
        if add_years(birth, age) <= on
    )
    return {
        "authorised": authorised,
        "actual": actual,
        "retirements": retiring,
        "proposed": max(0, authorised - actual) + retiring,
    }


def vacancies_propose(*, campaign: Campaign, by: User | None) -> list[Vacancy]:
    """One proposal per target grade of the rules in force; a fixed number is kept."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.BOARD):
            raise ValidationError(_("Le tableau est publié : les postes ne changent plus."))
        grades = {
            r.target_grade_id: r.target_grade
            for r in rules_in_force(campaign.agency_id, campaign.reference_date)
        }
        out = []
        for grade in grades.values():
            detail = vacancy_proposal(campaign, grade)
            vacancy, _created = Vacancy.objects.select_for_update().get_or_create(
                campaign=campaign, target_grade=grade
            )
            vacancy.proposed = detail["proposed"]
            vacancy.proposal_detail = detail
            vacancy.save(update_fields=["proposed", "proposal_detail"])
            out.append(vacancy)
        audit_record(
            by=by,
            action="promotion.vacancies.propose",
            obj=campaign,
            after={v.target_grade.code: v.proposed for v in out},
        )
    return out


def vacancy_fix(*, vacancy: Vacancy, fixed: int, reason: str, by: User | None) -> Vacancy:
    """The HR director fixes the number of posts, with a reason (kept in the audit)."""
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().select_related("campaign").get(pk=vacancy.pk)
        if vacancy.campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.BOARD):
            raise ValidationError(_("Le tableau est publié : les postes ne changent plus."))
        if not reason.strip():
            raise ValidationError({"reason": _("Indiquez le motif du nombre retenu.")})
        promoted = Decision.objects.filter(
            campaign_id=vacancy.campaign_id,
            target_grade_id=vacancy.target_grade_id,
            outcome=Outcome.PROMOTED,
        ).count()
        if fixed < promoted:
            raise ValidationError(
                {
                    "fixed": _(
                        "La commission a déjà promu %(n)d agents à ce grade : retenez au moins "
                        "ce nombre."
                    )
                    % {"n": promoted}
                }
            )
        before = {"fixed": vacancy.fixed, "reason": vacancy.reason}
        vacancy.fixed = fixed
        vacancy.reason = reason.strip()
        vacancy.fixed_by = by
        vacancy.fixed_at = timezone.now()
        vacancy.full_clean()
        vacancy.save(update_fields=["fixed", "reason", "fixed_by", "fixed_at"])
        audit_record(
            by=by,
            action="promotion.vacancy.fix",
            obj=vacancy,
            before=before,
            after={"fixed": fixed, "reason": vacancy.reason, "proposed": vacancy.proposed},
        )
    return vacancy
