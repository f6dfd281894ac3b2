"""Deterministic demo training data: ten years of sessions, results, certificates and skills.

About five results per officer on average, so certifications expire and coverage
is realistic; sessions with partners and trainers; skills granted from passed
courses; declared driving licences (most verified by HR). Written with bulk
inserts in chunks of sessions, so 100,000 officers (500,000 results) take a few
minutes. Does nothing when results already exist (idempotent).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from matricule.core.audit import audit_record
from matricule.core.dates import add_months
from matricule.core.models import Agency, Skill
from matricule.personnel.models import Officer, Status
from matricule.training.models import (
    Attendance,
    Certificate,
    CertificateCounter,
    Course,
    Enrolment,
    EnrolmentState,
    OfficerSkill,
    Partner,
    Result,
    SessionStatus,
    SessionTrainer,
    SkillSource,
    TrainerLevel,
    TrainerQualification,
    TrainerRole,
    TrainingSession,
)
from matricule.training.seeding import seed_training_catalogue
from matricule.training.services.sessions import certificate_number

RESULTS_PER_OFFICER = 5
TRAINEES_PER_SESSION = 20
YEARS = 10
CHUNK = 1000  # sessions per bulk write
COURSE_WEIGHTS = {
    "TIR": 20,
    "PSC1": 12,
    "MO": 12,
    "POLPROX": 10,
    "GENRE-VBG": 9,
    "ENQUETE": 8,
    "INTERCEPT": 6,
    "DROGUE-CTO": 5,
    "GESTCRISE": 4,
    "ANTITERRO": 4,
    "CYBER": 3,
    "PTS": 3,
    "NEGOC": 2,
}
VENUES = [
    "École nationale de police, Bamako",
    "Centre d'instruction de Koulikoro",
    "Direction régionale de Ségou",
    "Direction régionale de Sikasso",
    "Direction régionale de Mopti",
    "Direction régionale de Gao",
    "Stand de tir de Kati",
    "Centre de formation EUCAP, Bamako",
]
RESULTS = [(Result.PASSED, 85), (Result.FAILED, 8), (Result.ABSENT, 4), (Result.WITHDRAWN, 3)]
LICENCES = [("licence_b", 0.35), ("licence_a", 0.25), ("licence_c", 0.05)]


def _weighted(rng: random.Random, pairs: list[tuple[object, int]]) -> object:
    total = sum(w for _v, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def seed_training_demo(*, seed: int, today: datetime.date) -> int:
    """Create the demo training history; returns the number of results created."""
    seed_training_catalogue()
    if Enrolment.objects.exists():
        return 0
    agency = Agency.objects.get(code="PN")
    # The OCS's and the ministry's staff attend the police's and the partners' courses.
    officers = list(
        Officer.objects.filter(agency__code__in=["PN", "OCS", "MSPC"])
        .order_by("pk")
        .values_list("pk", "entry_date", "exit_date", "status", "birth_date")
    )
    if not officers:
        return 0
    rng = random.Random(seed * 7919 + 5)
    courses = {c.code: c for c in Course.objects.filter(code__in=COURSE_WEIGHTS)}
    grants = defaultdict(list)
    for course in courses.values():
        grants[course.pk] = [(g.skill_id, g.level) for g in course.skills.all()]
    partners = list(Partner.objects.order_by("code"))
    weights = [(code, w) for code, w in COURSE_WEIGHTS.items() if code in courses]
    start_window = today - datetime.timedelta(days=365 * YEARS)
    span = (today - start_window).days
    session_count = max(1, len(officers) * RESULTS_PER_OFFICER // TRAINEES_PER_SESSION)
    serving = [o for o in officers if o[3] not in (Status.RETIRED, Status.DECEASED)] or officers

    with transaction.atomic():
        certified = _trainers(rng, courses, serving)
        counters: dict[int, int] = defaultdict(int)
        created = 0
        for first in range(0, session_count, CHUNK):
            plans = []
            for _k in range(first, min(session_count, first + CHUNK)):
                code = str(_weighted(rng, weights))  # type: ignore[arg-type]
                course = courses[code]
                days = max(1, min(20, -(-course.hours // 6)))
                # A few sessions lie ahead (planned, open for nominations).
                if rng.random() < 0.01:
                    start = today + datetime.timedelta(days=rng.randint(10, 120))
                else:
                    start = start_window + datetime.timedelta(days=rng.randint(0, span - days - 7))
                end = start + datetime.timedelta(days=days - 1)
                plans.append((course, start, end))
            created += _write_chunk(
                rng, agency, plans, officers, partners, grants, certified, counters, today
            )
        for year, last in counters.items():
            CertificateCounter.objects.update_or_create(year=year, defaults={"last": last})
        licences = _licences(rng, serving, today)
        audit_record(
            by=None,
            action="demo.seed_training",
            object_type="training.enrolment",
            object_repr=f"{created} résultats de formation de démonstration",
            after={"results": created, "sessions": session_count, "licences": licences},
        )
    refresh_statistics()
    return created


TABLES = (
    "training_trainingsession",
    "training_sessiontrainer",
    "training_enrolment",
    "training_attendance",
    "training_certificate",
    "training_officerskill",
    "training_trainerqualification",
)


def refresh_statistics() -> None:
    """After a bulk load on PostgreSQL, refresh the planner's statistics and visibility map.

    Without it the planner guesses a handful of rows where there are tens of thousands,
    and index-only scans fall back to the heap until autovacuum passes. VACUUM cannot
    run inside a transaction, so nothing is done there (tests, outer atomic blocks).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _trainers(
    rng: random.Random, courses: dict[str, Course], serving: list[tuple[Any, ...]]
) -> dict[int, list[int]]:
    """Certified trainers (and a few co-trainers and trainees) per course."""
    per_course = max(2, len(serving) // 2000)
    rows = []
    certified: dict[int, list[int]] = {}
    for course in courses.values():
        picks = rng.sample(serving, min(len(serving), per_course * 2))
        certified[course.pk] = [p[0] for p in picks[:per_course]]
        for i, pick in enumerate(picks):
            if i < per_course:
                level, count = TrainerLevel.CERTIFIED, rng.randint(2, 6)
            elif i % 2:
                level, count = TrainerLevel.CO_TRAINER, rng.randint(0, 1)
            else:
                level, count = TrainerLevel.TRAINEE, 0
            rows.append(
                TrainerQualification(
                    officer_id=pick[0],
                    course=course,
                    level=level,
                    co_taught_count=count,
                    certified_on=(pick[1] + datetime.timedelta(days=900))
                    if level == TrainerLevel.CERTIFIED
                    else None,
                )
            )
    TrainerQualification.objects.bulk_create(rows, batch_size=5000)
    return certified


def _write_chunk(
    rng: random.Random,
    agency: Agency,
    plans: list[tuple[Course, datetime.date, datetime.date]],
    officers: list[tuple[Any, ...]],
    partners: list[Partner],
    grants: dict[int, list[tuple[int, int]]],
    certified: dict[int, list[int]],
    counters: dict[int, int],
    today: datetime.date,
) -> int:
    now = timezone.now()
    sessions = []
    for course, start, end in plans:
        status = SessionStatus.CLOSED if end < today else SessionStatus.OPEN
        sessions.append(
            TrainingSession(
                agency=agency,
                course=course,
                start_date=start,
                end_date=end,
                venue=rng.choice(VENUES),
                capacity=25,
                partner=rng.choice(partners) if rng.random() < 0.5 else None,
                status=status,
                closed_at=now if status == SessionStatus.CLOSED else None,
            )
        )
    TrainingSession.objects.bulk_create(sessions)
    trainers, enrolments = [], []
    for session in sessions:
        pool = certified.get(session.course_id) or []
        if pool:
            trainers.append(
                SessionTrainer(session=session, officer_id=rng.choice(pool), role=TrainerRole.LEAD)
            )
        else:
            trainers.append(
                SessionTrainer(
                    session=session, external_name="Formateur EUCAP", role=TrainerRole.LEAD
                )
            )
        chosen: set[int] = set()
        for _try in range(TRAINEES_PER_SESSION * 3):
            if len(chosen) >= TRAINEES_PER_SESSION:
                break
            pk, entry, exit_date, _status, _birth = officers[rng.randrange(len(officers))]
            if pk in chosen or entry > session.start_date:
                continue
            if exit_date is not None and exit_date <= session.end_date:
                continue
            chosen.add(pk)
        for pk in sorted(chosen):
            done = session.status == SessionStatus.CLOSED
            result = str(_weighted(rng, RESULTS)) if done else ""  # type: ignore[arg-type]
            score = None
            if result in (Result.PASSED, Result.FAILED):
                low, high = (10, 19) if result == Result.PASSED else (4, 9)
                score = Decimal(rng.randint(low * 4, high * 4)) / 4
            enrolments.append(
                Enrolment(
                    session=session,
                    officer_id=pk,
                    state=EnrolmentState.ENROLLED,
                    nominated_at=now,
                    result=result,
                    score=score,
                )
            )
    SessionTrainer.objects.bulk_create(trainers, batch_size=5000)
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    by_session = {s.pk: s for s in sessions}
    certificates = []
    for enrolment in enrolments:
        if enrolment.result != Result.PASSED:
            continue
        session = by_session[enrolment.session_id]
        issued = session.end_date
        validity = session.course.validity_months
        counters[issued.year] += 1
        certificates.append(
            Certificate(
                number=certificate_number(issued.year, counters[issued.year]),
                enrolment=enrolment,
                officer_id=enrolment.officer_id,
                course_id=session.course_id,
                issued_on=issued,
                expires_on=add_months(issued, validity) if validity else None,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=5000)
    skills = [
        OfficerSkill(
            officer_id=cert.officer_id,
            skill_id=skill_id,
            level=level,
            source=SkillSource.COURSE,
            obtained_on=cert.issued_on,
            expires_on=cert.expires_on,
            confirmed=True,
            certificate=cert,
        )
        for cert in certificates
        for skill_id, level in grants.get(cert.course_id, [])
    ]
    OfficerSkill.objects.bulk_create(skills, batch_size=5000)
    recent = today - datetime.timedelta(days=45)
    attendance = [
        Attendance(
            enrolment=enrolment,
            day=by_session[enrolment.session_id].start_date + datetime.timedelta(days=d),
            present=enrolment.result != Result.ABSENT and rng.random() < 0.97,
        )
        for enrolment in enrolments
        if by_session[enrolment.session_id].end_date >= recent
        and by_session[enrolment.session_id].status == SessionStatus.CLOSED
        for d in range(by_session[enrolment.session_id].days)
    ]
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    return sum(1 for e in enrolments if e.result)


def _licences(rng: random.Random, serving: list[tuple[Any, ...]], today: datetime.date) -> int:
    """Declared driving licences; four in five already verified by HR."""
    skills = {s.code: s.pk for s in Skill.objects.filter(code__in=[c for c, _p in LICENCES])}
    now = timezone.now()
    rows = []
    for pk, entry, _exit, _status, birth in serving:
        for code, share in LICENCES:
            if code not in skills or rng.random() >= share:
                continue
            earliest = birth + datetime.timedelta(days=18 * 366)
            latest = min(today, entry + datetime.timedelta(days=3650))
            if latest <= earliest:
                continue
            obtained = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
            confirmed = rng.random() < 0.8
            rows.append(
                OfficerSkill(
                    officer_id=pk,
                    skill_id=skills[code],
                    level=1,
                    source=SkillSource.DECLARED,
                    obtained_on=obtained,
                    confirmed=confirmed,
                    verified_at=now if confirmed else None,
                    note=f"Permis n° {rng.randint(100000, 999999)}",
                )
            )
    OfficerSkill.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
