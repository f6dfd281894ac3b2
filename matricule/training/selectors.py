"""Reads of the training app, always through the viewer's scopes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, officer_scope_q
from matricule.core.models import Skill, Unit
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer, OfficerLanguage
from matricule.personnel.selectors import officer_base
from matricule.training.models import (
    SEATED,
    Attendance,
    Certificate,
    Course,
    Enrolment,
    OfficerSkill,
    RequiredTraining,
    Result,
    SessionStatus,
    TrainerQualification,
    TrainingSession,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

EXPIRY_WARNING_DAYS = 90


def nominee_get(*, viewer: User, matricule: str) -> Officer | None:
    """An officer the viewer may put forward for training (scoped in the query)."""
    return (
        officer_base(viewer=viewer, perm=Perm.TRAINING_NOMINATE)
        .select_related("grade", "unit")
        .filter(matricule=matricule.strip().upper())
        .first()
    )


def session_list(*, viewer: User, status: str = "") -> QuerySet[TrainingSession]:
    """Sessions of the agencies where the viewer manages training or nominates officers."""
    agencies = agency_ids_with(viewer, Perm.TRAINING_MANAGE) | agency_ids_with(
        viewer, Perm.TRAINING_NOMINATE
    )
    qs = TrainingSession.objects.filter(agency_id__in=agencies).select_related("course", "partner")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-id")


def session_get(*, viewer: User, pk: int, for_manage: bool = False) -> TrainingSession:
    """404 for strangers; 403 when a unit head asks for a training officer's screen."""
    session = session_list(viewer=viewer).select_related("agency", "course").filter(pk=pk).first()
    if session is None:
        raise Http404
    if for_manage and session.agency_id not in agency_ids_with(viewer, Perm.TRAINING_MANAGE):
        raise PermissionDenied
    return session


def course_get(*, viewer: User, code: str) -> Course:
    """The catalogue is read by whoever manages or nominates; others get 404."""
    if not (
        viewer.has_perm_anywhere(Perm.TRAINING_MANAGE)
        or viewer.has_perm_anywhere(Perm.TRAINING_NOMINATE)
    ):
        raise Http404
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise Http404
    return course


def session_enrolments(session: TrainingSession) -> list[Enrolment]:
    return list(
        session.enrolments.select_related("officer", "officer__grade", "officer__unit")
        .prefetch_related("attendance")
        .order_by("state", "nominated_at", "id")
    )


def visible_enrolments(*, viewer: User, session: TrainingSession) -> list[Enrolment]:
    """All of them for the training officer; a unit head sees only their own staff."""
    rows = session_enrolments(session)
    if session.agency_id in agency_ids_with(viewer, Perm.TRAINING_MANAGE):
        return rows
    mine = set(
        Officer.objects.filter(
            officer_scope_q(viewer, Perm.TRAINING_NOMINATE), pk__in=[e.officer_id for e in rows]
        ).values_list("pk", flat=True)
    )
    return [e for e in rows if e.officer_id in mine]


@dataclass
class OfficerTraining:
    enrolments: list[Enrolment]
    certificates: list[Certificate]
    skills: list[OfficerSkill]
    languages: list[OfficerLanguage]
    trainer: list[TrainerQualification]
    on: datetime.date
    expiring: list[Certificate] = field(default_factory=list)


def officer_training(*, officer: Officer, on: datetime.date | None = None) -> OfficerTraining:
    """Training history, certificates, skills and languages of one officer (constant queries)."""
    day = on or timezone.localdate()
    enrolments = list(
        officer.enrolments.select_related(
            "session", "session__course", "session__partner"
        ).order_by("-session__start_date", "-id")
    )
    certificates = list(officer.certificates.select_related("course").order_by("-issued_on", "-id"))
    skills = list(
        officer.skills.select_related("skill", "skill__category", "verified_by").order_by(
            "skill__category__name", "skill__name", "-obtained_on"
        )
    )
    languages = list(officer.languages.select_related("language").order_by("language__name"))
    trainer = list(officer.trainer_qualifications.select_related("course"))
    latest = _latest_certificates(certificates)
    limit = day + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    expiring = [c for c in latest if c.expires_on is not None and day <= c.expires_on <= limit]
    return OfficerTraining(
        enrolments=enrolments,
        certificates=certificates,
        skills=skills,
        languages=languages,
        trainer=trainer,
        on=day,
        expiring=expiring,
    )


def _latest_certificates(certificates: list[Certificate]) -> list[Certificate]:
    best: dict[int, Certificate] = {}
    for cert in certificates:
        current = best.get(cert.course_id)
        if current is None or (cert.issued_on, cert.pk) > (current.issued_on, current.pk):
            best[cert.course_id] = cert
    return list(best.values())


def expiring_certificates(
    *, viewer: User, on: datetime.date | None = None, days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[Certificate]:
    """Certifications of officers in the viewer's scope expiring within `days`, not renewed.

    Unit heads see their subtree, training officers their agency (TRAINING_NOMINATE).
    """
    day = on or timezone.localdate()
    renewed = Certificate.objects.filter(
        officer_id=OuterRef("officer_id"),
        course_id=OuterRef("course_id"),
        issued_on__gt=OuterRef("issued_on"),
    )
    return (
        Certificate.objects.filter(
            officer_scope_q(viewer, Perm.TRAINING_NOMINATE, prefix="officer__"),
            expires_on__gte=day,
            expires_on__lte=day + datetime.timedelta(days=days),
            officer__status__in=IN_SERVICE_STATUSES,
        )
        .filter(~Exists(renewed))
        .select_related("officer", "officer__unit", "officer__grade", "course")
        .order_by("expires_on", "officer__family_name", "id")
    )


def certificate_for_download(*, viewer: User, number: str) -> Certificate:
    """The officer themself, or a viewer with the officer in scope; 404 otherwise."""
    cert = (
        Certificate.objects.select_related(
            "officer",
            "course",
            "enrolment",
            "enrolment__session",
            "enrolment__session__partner",
            "enrolment__session__agency",
        )
        .prefetch_related("course__modules")
        .filter(number=number)
        .first()
    )
    if cert is None:
        raise Http404
    own = getattr(viewer, "officer_id", None) == cert.officer_id
    if not own:
        scope = Q(officer_scope_q(viewer, Perm.PERSONNEL_VIEW)) | Q(
            officer_scope_q(viewer, Perm.TRAINING_NOMINATE)
        )
        if not Officer.objects.filter(scope, pk=cert.officer_id).exists():
            raise Http404
    return cert


def skill_held(*, skill_id: int, level: int, on: datetime.date, outer: str = "pk") -> Exists:
    """EXISTS: the outer officer holds `skill` at `level` or more, confirmed and valid on `on`.

    One correlated probe per officer on the covering index officerskill_officer
    (officer, skill, confirmed, level, expires_on, obtained_on): the cost follows the
    number of officers in the viewer's scope, not the number of skill holders in the
    whole force. Databases that prefer a semi-join read officerskill_search instead.
    """
    return Exists(
        OfficerSkill.objects.filter(
            officer_id=OuterRef(outer),
            skill_id=skill_id,
            confirmed=True,
            level__gte=level,
            obtained_on__lte=on,
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    )


@dataclass(frozen=True)
class CoverageRow:
    officer: Officer
    course: Course
    state: str  # "missing" | "expired"
    expired_on: datetime.date | None


@dataclass
class Coverage:
    unit: Unit | None
    officers: int
    required: int
    ok: int
    rows: list[CoverageRow]

    @property
    def rate(self) -> float:
        return round(100 * self.ok / self.required, 1) if self.required else 100.0


def coverage(*, viewer: User, unit: Unit | None, on: datetime.date | None = None) -> Coverage:
    """Who, in the unit subtree and in scope, lacks a required course or is out of date."""
    day = on or timezone.localdate()
    officers_qs = Officer.objects.filter(
        officer_scope_q(viewer, Perm.TRAINING_NOMINATE), status__in=IN_SERVICE_STATUSES
    )
    if unit is not None:
        officers_qs = officers_qs.filter(unit_id__in=unit.subtree_ids())
    rules = list(
        RequiredTraining.objects.filter(
            agency_id__in=agency_ids_with(viewer, Perm.TRAINING_NOMINATE)
        ).select_related("course")
    )
    by_grade: dict[int, list[Course]] = {}
    by_function: dict[tuple[int, str], list[Course]] = {}
    for rule in rules:
        if rule.grade_id:
            by_grade.setdefault(rule.grade_id, []).append(rule.course)
        else:
            function_key = (rule.agency_id, rule.function.casefold())
            by_function.setdefault(function_key, []).append(rule.course)
    officers = list(
        officers_qs.select_related("grade", "unit").order_by("family_name", "given_names", "id")
    )
    course_ids = {r.course_id for r in rules}
    latest: dict[tuple[int, int], datetime.date | None] = {}
    passed: set[tuple[int, int]] = set()
    certs = (
        Certificate.objects.filter(
            officer_id__in=officers_qs.values("id"), course_id__in=course_ids
        )
        .order_by("issued_on")
        .values_list("officer_id", "course_id", "expires_on")
    )
    for officer_id, course_id, expires_on in certs.iterator(chunk_size=5000):
        passed.add((officer_id, course_id))
        latest[(officer_id, course_id)] = expires_on
    rows: list[CoverageRow] = []
    required = ok = 0
    for officer in officers:
        needed = {c.pk: c for c in by_grade.get(officer.grade_id, [])}
        needed.update(
            {c.pk: c for c in by_function.get((officer.agency_id, officer.function.casefold()), [])}
        )
        for course in needed.values():
            required += 1
            key = (officer.pk, course.pk)
            if key not in passed:
                rows.append(CoverageRow(officer, course, "missing", None))
            elif latest[key] is not None and latest[key] < day:  # type: ignore[operator]
                rows.append(CoverageRow(officer, course, "expired", latest[key]))
            else:
                ok += 1
    return Coverage(unit=unit, officers=len(officers), required=required, ok=ok, rows=rows)


def seated_count(session: TrainingSession) -> int:
    return session.enrolments.filter(state__in=SEATED).count()


@dataclass(frozen=True)
class ClosePreview:
    """What closing a session will do, and what looks wrong before doing it."""

    consequences: list[str]
    warnings: list[str]


def session_close_preview(*, session: TrainingSession) -> ClosePreview:
    seated = list(session.enrolments.filter(state__in=SEATED))
    passed = sum(1 for e in seated if e.result == Result.PASSED)
    missing = sum(1 for e in seated if not e.result)
    skills = list(session.course.skills.select_related("skill"))
    consequences = [
        ngettext(
            "%(n)d certificat numéroté sera délivré (stagiaires admis).",
            "%(n)d certificats numérotés seront délivrés (stagiaires admis).",
            passed,
        )
        % {"n": passed},
    ]
    if skills:
        consequences.append(
            _("Chaque admis reçoit dans son dossier : %(skills)s.")
            % {"skills": ", ".join(f"{g.skill.name} (niveau {g.level})" for g in skills)}
        )
    consequences.append(_("La session ne peut plus être modifiée ensuite."))
    warnings = []
    if not Attendance.objects.filter(enrolment__session=session).exists():
        warnings.append(_("Aucune feuille de présence n'a été enregistrée pour cette session."))
    if not session.trainers.exists():
        warnings.append(_("Aucun formateur n'est enregistré pour cette session."))
    if missing:
        warnings.append(
            ngettext(
                "%(n)d stagiaire n'a pas de résultat : la clôture sera refusée.",
                "%(n)d stagiaires n'ont pas de résultat : la clôture sera refusée.",
                missing,
            )
            % {"n": missing}
        )
    return ClosePreview(consequences=consequences, warnings=warnings)


# --- Reads for the deployments app (generic: training never imports deployments) ---------


def skill_rows_valid(
    *, skill_id: int, min_level: int, start: datetime.date, end: datetime.date
) -> QuerySet[OfficerSkill]:
    """Confirmed rows of `skill` at `min_level` or more, valid on every day of [start, end].

    One row must cover the whole period: obtained on or before the first day and not
    expiring before the last one.
    """
    return OfficerSkill.objects.filter(
        skill_id=skill_id, confirmed=True, level__gte=min_level, obtained_on__lte=start
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=end))


def licence_rows_held(
    *, skill_id: int, since: datetime.date, end: datetime.date
) -> QuerySet[OfficerSkill]:
    """Confirmed rows of a licence category obtained on or before `since`, valid until `end`."""
    return OfficerSkill.objects.filter(
        skill_id=skill_id, confirmed=True, obtained_on__lte=since
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=end))


def category_rows_held(
    *, category_code: str, since: datetime.date, on: datetime.date
) -> QuerySet[OfficerSkill]:
    """Confirmed rows of a category's skills (e.g. "driving") held since `since`, valid on `on`."""
    skills = Skill.objects.filter(category__code=category_code).values("id")
    return OfficerSkill.objects.filter(
        skill_id__in=skills, confirmed=True, obtained_on__lte=since
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def officer_skill_rows(*, officer_ids: list[int], skill_ids: list[int]) -> list[OfficerSkill]:
    """Every row (confirmed or not) of these skills for these officers, best level first."""
    if not officer_ids or not skill_ids:
        return []
    return list(
        OfficerSkill.objects.filter(officer_id__in=officer_ids, skill_id__in=skill_ids).order_by(
            "officer_id", "skill_id", "-level", "-obtained_on", "-id"
        )
    )


def seated_enrolments(*, start: datetime.date, end: datetime.date | None) -> QuerySet[Enrolment]:
    """Enrolments holding a seat in a session (not cancelled) that meets [start, end].

    Driven from the sessions of the period, then the session index of the enrolments:
    a few hundred rows whatever the size of the history. `end` None: open-ended.
    """
    sessions = TrainingSession.objects.exclude(status=SessionStatus.CANCELLED).filter(
        end_date__gte=start
    )
    if end is not None:
        sessions = sessions.filter(start_date__lte=end)
    return Enrolment.objects.filter(session_id__in=sessions.values("id"), state__in=SEATED)


def enrolment_clashes(
    *, officer_ids: list[int], start: datetime.date, end: datetime.date | None
) -> list[Enrolment]:
    """The seated enrolments of these officers in sessions meeting [start, end], with sessions."""
    if not officer_ids:
        return []
    return list(
        seated_enrolments(start=start, end=end)
        .filter(officer_id__in=officer_ids)
        .select_related("session", "session__course")
        .order_by("officer_id", "session__start_date")
    )


# --- Reads for the promotions app (generic: training never imports promotions) ----------


def certificates_valid_on(*, agency_id: int, on: datetime.date) -> QuerySet[Certificate]:
    """Certificates of the agency's officers issued by `on` and still valid that day."""
    return Certificate.objects.filter(officer__agency_id=agency_id, issued_on__lte=on).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )
