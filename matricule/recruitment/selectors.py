"""Reads of recruitment data, always through the viewer's agencies.

Recruitment is run per agency: a recruitment officer manages the intakes of the
agencies they hold the role in; inspectors read them. One access function per object
answers 404 to strangers and 403 to read-only viewers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.models import Region
from matricule.personnel.models import fold
from matricule.recruitment.models import (
    Candidate,
    CandidateDocument,
    Cohort,
    CohortMember,
    DocumentCode,
    ExamCentre,
    Intake,
    IntakeQuota,
    Outcome,
    PhysicalEvent,
    RankingEntry,
    Stage,
    StageResult,
    WrittenSubject,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User


def readable_agencies(viewer: User) -> set[int]:
    if not viewer.is_authenticated or not viewer.is_active:
        return set()
    return agency_ids_with(viewer, Perm.RECRUITMENT_VIEW) | agency_ids_with(
        viewer, Perm.RECRUITMENT_MANAGE
    )


def managed_agencies(viewer: User) -> set[int]:
    if not viewer.is_authenticated or not viewer.is_active:
        return set()
    return agency_ids_with(viewer, Perm.RECRUITMENT_MANAGE)


def can_read(viewer: User) -> bool:
    return bool(readable_agencies(viewer))


def intake_list(*, viewer: User) -> QuerySet[Intake]:
    return (
        Intake.objects.filter(agency_id__in=readable_agencies(viewer))
        .select_related("agency", "corps")
        .order_by("-applications_open", "-id")
    )


def intake_get(*, viewer: User, pk: int, for_edit: bool = False) -> Intake:
    """The intake if the viewer may see it: 404 for strangers, 403 for read-only viewers."""
    intake = (
        Intake.objects.filter(pk=pk, agency_id__in=readable_agencies(viewer))
        .select_related("agency", "corps")
        .first()
    )
    if intake is None:
        raise Http404
    if for_edit and intake.agency_id not in managed_agencies(viewer):
        raise PermissionDenied
    return intake


def can_manage(viewer: User, intake: Intake) -> bool:
    return intake.agency_id in managed_agencies(viewer)


def stage_get(*, intake: Intake, pk: int) -> Stage:
    stage = Stage.objects.filter(intake=intake, pk=pk).first()
    if stage is None:
        raise Http404
    return stage


def candidate_get(*, intake: Intake, number: str) -> Candidate:
    candidate = (
        Candidate.objects.filter(intake=intake, application_number=number)
        .select_related("centre", "region", "eliminated_stage", "officer")
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


@dataclass
class CandidateFilters:
    q: str = ""
    centre_id: int | None = None
    state: str = ""
    sex: str = ""
    region_id: int | None = None


CANDIDATE_STATES = {
    "recevable": Q(eligible=True, withdrawn_on__isnull=True),
    "irrecevable": Q(eligible=False),
    "en_lice": Q(eligible=True, withdrawn_on__isnull=True, eliminated_stage__isnull=True),
    "elimine": Q(eliminated_stage__isnull=False),
    "desiste": Q(withdrawn_on__isnull=False),
    "admis": Q(ranking__outcome=Outcome.ADMITTED),
    "attente": Q(ranking__outcome=Outcome.WAITING),
}


def candidate_list(*, intake: Intake, filters: CandidateFilters) -> QuerySet[Candidate]:
    """Candidates of an intake already reached through intake_get (so in the viewer's scope)."""
    qs = Candidate.objects.filter(intake=intake)
    text = filters.q.strip()
    if text:
        upper = text.upper().replace(" ", "")
        if any(ch.isdigit() for ch in upper):
            # An application number ("2502-00017") or a NINA: never a name.
            qs = qs.filter(Q(application_number__startswith=upper) | Q(nina__startswith=upper))
        else:
            # Each word must start a word of the name: "traore" finds Traoré.
            for word in fold(text).split()[:4]:
                qs = qs.filter(
                    Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
                )
    if filters.centre_id:
        qs = qs.filter(centre_id=filters.centre_id)
    if filters.state in CANDIDATE_STATES:
        qs = qs.filter(CANDIDATE_STATES[filters.state])
    if filters.sex in ("M", "F"):
        qs = qs.filter(sex=filters.sex)
    if filters.region_id:
        qs = qs.filter(region_id=filters.region_id)
    return qs.select_related("centre", "region", "eliminated_stage", "ranking").order_by(
        "family_name", "given_names", "id"
    )


def earlier_candidacies(*, viewer: User, candidate: Candidate) -> QuerySet[Candidate]:
    """The same person's applications to other intakes the viewer may see (found by NINA)."""
    return (
        Candidate.objects.filter(
            nina=candidate.nina, intake__agency_id__in=readable_agencies(viewer)
        )
        .exclude(pk=candidate.pk)
        .select_related("intake", "eliminated_stage", "ranking")
        .order_by("-intake__applications_open")
    )


def cohort_get(*, intake: Intake) -> Cohort:
    cohort = Cohort.objects.filter(intake=intake).select_related("school").first()
    if cohort is None:
        raise Http404
    return cohort


def member_get(*, cohort: Cohort, pk: int) -> CohortMember:
    member = (
        CohortMember.objects.filter(cohort=cohort, pk=pk)
        .select_related("candidate", "first_unit", "candidate__officer")
        .first()
    )
    if member is None:
        raise Http404
    return member


# --- Reads behind the screens of an intake already reached through intake_get -----------


def cohort_of(intake: Intake) -> Cohort | None:
    return Cohort.objects.filter(intake=intake).select_related("school").first()


def config_item(*, intake: Intake, what: str, pk: int) -> Model:
    """A quota, centre, stage, subject or scoring event of the intake (404 otherwise)."""
    models_by_slug: dict[str, tuple[type[Model], str]] = {
        "repartition": (IntakeQuota, "intake"),
        "centre": (ExamCentre, "intake"),
        "epreuve": (Stage, "intake"),
        "matiere": (WrittenSubject, "stage__intake"),
        "bareme": (PhysicalEvent, "stage__intake"),
    }
    if what not in models_by_slug:
        raise Http404
    model, path = models_by_slug[what]
    obj = model._default_manager.filter(**{path: intake, "pk": pk}).first()
    if obj is None:
        raise Http404
    return obj


def centre_get(*, intake: Intake, raw: str) -> ExamCentre:
    centre = ExamCentre.objects.filter(intake=intake, pk=int(raw) if raw.isdigit() else 0).first()
    if centre is None:
        raise Http404
    return centre


def regions() -> list[Region]:
    return list(Region.objects.all())


def candidate_results(candidate: Candidate) -> dict[int, StageResult]:
    return {
        r.stage_id: r
        for r in StageResult.objects.filter(candidate=candidate).select_related("entered_by")
    }


def candidate_files(candidate: Candidate, *, see_health: bool) -> list[CandidateDocument]:
    """Scanned documents; medical certificates only for health-cleared readers."""
    qs = CandidateDocument.objects.filter(candidate=candidate).select_related("uploaded_by")
    if not see_health:
        qs = qs.exclude(kind=DocumentCode.MEDICAL)
    return list(qs)


def candidate_file_get(*, candidate: Candidate, pk: int, see_health: bool) -> CandidateDocument:
    qs = CandidateDocument.objects.filter(candidate=candidate, pk=pk)
    if not see_health:
        qs = qs.exclude(kind=DocumentCode.MEDICAL)
    document = qs.first()
    if document is None:
        raise Http404
    return document


def candidate_ranking(candidate: Candidate) -> RankingEntry | None:
    return RankingEntry.objects.filter(candidate=candidate).first()


def result_get(*, candidate: Candidate | None, stage: Stage) -> StageResult | None:
    if candidate is None:
        return None
    return StageResult.objects.filter(candidate=candidate, stage=stage).first()


def stage_results(*, stage: Stage, failed_only: bool) -> QuerySet[StageResult]:
    qs = StageResult.objects.filter(stage=stage).select_related("candidate")
    if failed_only:
        qs = qs.filter(passed=False)
    return qs.order_by("candidate__family_name", "candidate__given_names", "candidate__id")


def stage_summary(stage: Stage) -> dict[str, int]:
    return StageResult.objects.filter(stage=stage).aggregate(
        total=Count("id"),
        passed=Count("id", filter=Q(passed=True)),
        absent=Count("id", filter=Q(absent=True)),
    )


def ranking_entries(*, intake: Intake, outcome: str) -> QuerySet[RankingEntry]:
    qs = RankingEntry.objects.filter(intake=intake).select_related(
        "candidate", "candidate__centre", "candidate__region"
    )
    if outcome in (Outcome.ADMITTED, Outcome.WAITING):
        qs = qs.filter(outcome=outcome)
    return qs.order_by("rank")


def cohort_members(cohort: Cohort) -> QuerySet[CohortMember]:
    return CohortMember.objects.filter(cohort=cohort).select_related(
        "candidate", "first_unit", "candidate__officer", "candidate__ranking"
    )


def cohort_summary(cohort: Cohort) -> dict[str, int]:
    return CohortMember.objects.filter(cohort=cohort).aggregate(
        n_total=Count("id"),
        n_passed=Count("id", filter=Q(passed=True)),
        n_failed=Count("id", filter=Q(passed=False)),
        n_pending=Count("id", filter=Q(passed__isnull=True)),
        n_assigned=Count("id", filter=Q(passed=True, first_unit__isnull=False)),
    )


def school_cohorts(agency_id: int) -> dict[int, str]:
    """The school promotion each officer of the agency came out of (personnel hook):
    the cohort of the intake through which they were recruited, one query."""
    return {
        officer_id: Cohort.name_of(number, parrain)
        for officer_id, number, parrain in CohortMember.objects.filter(
            candidate__officer__agency_id=agency_id
        ).values_list("candidate__officer_id", "cohort__number", "cohort__parrain")
    }
