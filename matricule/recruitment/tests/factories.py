"""Build intakes and candidates through the services, as a recruitment officer would."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import Role
from matricule.core.models import Agency, Corps, Region
from matricule.personnel.tests.factories import letters
from matricule.recruitment import services
from matricule.recruitment.models import Candidate, Intake, IntakeStatus, Stage, StageKind

D = datetime.date
_serial = itertools.count(1)

SPRINT_M = [("13.0", "20"), ("14.0", "15"), ("15.0", "10"), ("16.5", "5")]
SPRINT_F = [("15.0", "20"), ("16.0", "15"), ("17.0", "10"), ("18.5", "5")]
PUSHUPS_M = [("40", "20"), ("30", "15"), ("20", "10"), ("10", "5")]
PUSHUPS_F = [("25", "20"), ("18", "15"), ("12", "10"), ("6", "5")]


def intake_for_test(
    *,
    posts: int = 3,
    status: str = IntakeStatus.OPEN,
    kinds: tuple[str, ...] = (
        StageKind.DOCUMENTS,
        StageKind.PHYSICAL,
        StageKind.WRITTEN,
        StageKind.MEDICAL,
    ),
    agency: str = "PN",
    **overrides: Any,
) -> Intake:
    agency_obj = Agency.objects.get(code=agency)
    data: dict[str, Any] = {
        "corps": Corps.objects.get(agency=agency_obj, code="SO"),
        "title": "Concours direct de recrutement de sous-officiers — 2026",
        "posts_total": posts,
        "applications_open": D(2026, 1, 5),
        "applications_close": D(2026, 2, 28),
        "age_reference_date": D(2026, 12, 31),
        "age_min": 18,
        "age_max": 25,
        "min_diploma": 4,
        "nationality_required": "malienne",
        "marital_status_required": "",
        "age_tie_break": "younger",
    }
    data.update(overrides)
    intake = services.intake_create(agency=agency_obj, data=data, by=None)
    for order, kind in enumerate(kinds, start=1):
        counts = kind in (StageKind.WRITTEN, StageKind.PHYSICAL, StageKind.INTERVIEW)
        weight = Decimal(3) if kind == StageKind.WRITTEN else Decimal(1)
        services.stage_add(
            intake=intake,
            kind=kind,
            order=order,
            pass_mark=Decimal(10)
            if kind in (StageKind.WRITTEN, StageKind.INTERVIEW)
            else (Decimal(8) if kind == StageKind.PHYSICAL else None),
            counts_in_ranking=counts,
            weight=weight,
            by=None,
        )
    for stage in intake.stages.all():
        if stage.kind == StageKind.WRITTEN:
            services.subject_add(
                stage=stage, code="FR", name="Français", coefficient=Decimal(2), by=None
            )
            services.subject_add(
                stage=stage, code="CG", name="Culture générale", coefficient=Decimal(1), by=None
            )
        if stage.kind == StageKind.PHYSICAL:
            services.event_add(
                stage=stage,
                code="100M",
                name="Course de 100 m",
                unit="s",
                higher_is_better=False,
                scoring=[("M", Decimal(t), Decimal(p)) for t, p in SPRINT_M]
                + [("F", Decimal(t), Decimal(p)) for t, p in SPRINT_F],
                by=None,
            )
            services.event_add(
                stage=stage,
                code="POMPES",
                name="Pompes",
                unit="reps",
                higher_is_better=True,
                scoring=[("M", Decimal(t), Decimal(p)) for t, p in PUSHUPS_M]
                + [("F", Decimal(t), Decimal(p)) for t, p in PUSHUPS_F],
                by=None,
            )
    services.centre_add(
        intake=intake, code="BKO", name="Bamako", region=Region.objects.get(code="BKO"), by=None
    )
    services.centre_add(
        intake=intake, code="GAO", name="Gao", region=Region.objects.get(code="GAO"), by=None
    )
    if status != IntakeStatus.DRAFT:
        Intake.objects.filter(pk=intake.pk).update(status=status)
        intake.refresh_from_db()
    return intake


def candidate_for_test(intake: Intake, **overrides: Any) -> Candidate:
    n = next(_serial)
    centre = intake.centres.get(code=overrides.pop("centre_code", "BKO"))
    data: dict[str, Any] = {
        "application_number": f"{n:05d}",
        "family_name": "Coulibaly",
        "given_names": f"Awa {letters(n)}",
        "sex": "F",
        "birth_date": D(2003, 5, 17),
        "birth_place": "Bamako",
        "nina": f"{n:014d}K",
        "nationality": "malienne",
        "marital_status": "single",
        "diploma": 4,
        "centre": centre,
        "region": Region.objects.get(code=overrides.pop("region_code", "BKO")),
        "documents": ["birth", "diploma"],
    }
    data.update(overrides)
    return services.candidate_create(intake=intake, data=data, by=None)


def stages_by_kind(intake: Intake) -> dict[str, Stage]:
    return {s.kind: s for s in intake.stages.all()}


def pass_all(
    candidate: Candidate,
    *,
    written: tuple[str, str] = ("12", "12"),
    sprint: str = "14",
    pushups: str = "30",
) -> None:
    """Enter results so the candidate passes every stage (marks as given)."""
    stages = stages_by_kind(candidate.intake)
    for stage in sorted(stages.values(), key=lambda s: s.order):
        if stage.kind == StageKind.WRITTEN:
            values: dict[str, Any] = {"FR": written[0], "CG": written[1]}
        elif stage.kind == StageKind.PHYSICAL:
            values = {"100M": sprint, "POMPES": pushups}
        elif stage.is_fit_rule:
            values = {"avis": "apte"}
        else:
            values = {"note": "12"}
        services.result_record(
            candidate=candidate, stage=stage, absent=False, values=values, by=None
        )


def recruitment_cast_for_test(make_user: Callable[..., Any]) -> dict[str, Any]:
    """A recruitment officer and an inspector of the PN; a recruitment officer of the OCS."""
    outsider = make_user(None, username="recrutement.ocs")
    RoleGrant.objects.create(
        user=outsider, role=Role.RECRUITMENT_OFFICER, agency=Agency.objects.get(code="OCS")
    )
    return {
        "officer": make_user(Role.OFFICER, username="agent.simple"),
        "recruiter": make_user(Role.RECRUITMENT_OFFICER, username="recrutement.pn"),
        "inspector": make_user(Role.INSPECTOR, username="inspection.pn"),
        "outsider": outsider,
        "clerk": make_user(Role.HR_CLERK, username="rh.pn"),
    }
