"""Graduation: the trainees who passed become officers, all in one transaction."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record
from matricule.core.models import Grade, Signatory
from matricule.personnel.models import ActKind, Officer
from matricule.personnel.services import Act, officer_create
from matricule.recruitment.models import Candidate, Cohort, CohortMember, Intake, IntakeStatus

if TYPE_CHECKING:
    from matricule.accounts.models import User


def entry_grade(intake: Intake, on: datetime.date) -> Grade:
    """The first grade of the intake's corps in the statute in force on the entry date."""
    grade = (
        Grade.objects.filter(
            corps=intake.corps,
            statute__agency_id=intake.agency_id,
            statute__effective_from__lte=on,
        )
        .exclude(statute__effective_to__lte=on)
        .select_related("statute", "corps")
        .order_by("order")
        .first()
    )
    if grade is None:
        raise ValidationError(
            _("Aucun grade du corps « %(c)s » dans le statut en vigueur au %(d)s.")
            % {"c": intake.corps.name, "d": f"{on:%d/%m/%Y}"}
        )
    return grade


def cohort_graduate(
    *,
    cohort: Cohort,
    graduated_on: datetime.date,
    act_number: str,
    act_date: datetime.date,
    signatory: Signatory | None = None,
    by: User | None,
) -> list[Officer]:
    """Create the records of every trainee who passed, with matricule, entry grade and first
    posting, and link each to their candidate file. All or nothing."""
    with transaction.atomic():
        locked = (
            Cohort.objects.select_for_update()
            .select_related("intake", "intake__corps")
            .get(pk=cohort.pk)
        )
        intake = locked.intake
        if locked.graduated_on is not None:
            raise ValidationError(_("Cette promotion est déjà sortie."))
        if graduated_on < locked.starts_on:
            raise ValidationError(
                {"graduated_on": [_("La sortie ne peut précéder le début de la formation.")]}
            )
        if not act_number.strip():
            raise ValidationError(
                {"act_number": [_("Le numéro de l'acte (décision ou arrêté) est obligatoire.")]}
            )
        members = list(
            CohortMember.objects.filter(cohort=locked)
            .select_related("candidate", "first_unit")
            .order_by("candidate__family_name", "candidate__given_names", "id")
        )
        pending = [m for m in members if m.passed is None]
        if pending:
            raise ValidationError(
                _(
                    "%(n)s élève(s) sans résultat de formation (dont %(who)s) : "
                    "saisissez-les d'abord."
                )
                % {"n": len(pending), "who": pending[0].candidate.full_name}
            )
        graduates = [m for m in members if m.passed]
        if not graduates:
            raise ValidationError(_("Aucun élève n'a validé la formation."))
        unassigned = [m for m in graduates if m.first_unit is None]
        if unassigned:
            raise ValidationError(
                _(
                    "%(n)s élève(s) sans première affectation (dont %(who)s) : complétez le "
                    "tableau d'affectation."
                )
                % {"n": len(unassigned), "who": unassigned[0].candidate.full_name}
            )
        ninas = [m.candidate.nina for m in graduates]
        taken = set(
            Officer.objects.filter(agency_id=intake.agency_id, nina__in=ninas).values_list(
                "nina", flat=True
            )
        )
        if taken:
            who = next(m.candidate for m in graduates if m.candidate.nina in taken)
            raise ValidationError(
                _("%(n)s élève(s) ont déjà un dossier d'agent avec le même NINA (dont %(who)s).")
                % {"n": len(taken), "who": who.full_name}
            )
        grade = entry_grade(intake, graduated_on)
        act = Act(
            kind=ActKind.DECISION, number=act_number.strip(), date=act_date, signatory=signatory
        )
        officers: list[Officer] = []
        linked: list[Candidate] = []
        for member in graduates:
            candidate = member.candidate
            assert member.first_unit is not None
            officer = officer_create(
                agency=intake.agency,
                identity={
                    "family_name": candidate.family_name,
                    "given_names": candidate.given_names,
                    "sex": candidate.sex,
                    "birth_date": candidate.birth_date,
                    "birth_place": candidate.birth_place,
                    "nationality": candidate.nationality,
                    "nina": candidate.nina,
                    "marital_status": candidate.marital_status,
                    "phone": candidate.phone,
                },
                unit=member.first_unit,
                grade=grade,
                entry_date=graduated_on,
                act=act,
                by=by,
            )
            candidate.officer = officer
            linked.append(candidate)
            officers.append(officer)
        Candidate.objects.bulk_update(linked, ["officer"], batch_size=500)
        locked.graduated_on = graduated_on
        locked.act_number = act.number
        locked.save(update_fields=["graduated_on", "act_number"])
        Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.GRADUATED)
        audit_record(
            by=by,
            action="cohort.graduate",
            obj=locked,
            before={"status": intake.status},
            after={
                "status": IntakeStatus.GRADUATED,
                "sortie": graduated_on,
                "acte": act.number,
                "grade": grade.code,
                "agents": [o.matricule for o in officers],
                "non_admis": [m.candidate.application_number for m in members if not m.passed],
            },
        )
    return officers
