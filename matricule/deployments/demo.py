"""Deterministic demo operations over the last five years, with assignments and AMS results.

A dozen operations: a FORSAT counter-terrorism operation in the centre, a joint task force
with the gendarmerie in Ségou and Mopti, escorts, a crisis response after the floods,
joint patrols with UNPOL in the MINUSMA years, UN missions abroad, and operations to come.
Assignments go through the assignment service (so the careers get their departure and
return events and nothing is double-booked); the AMS results of a few thousand officers
(some expired) are bulk-written, with the licence and English level their tests imply.
Does nothing when operations already exist (idempotent).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from matricule.core.audit import audit_record
from matricule.core.dates import add_years
from matricule.core.models import Agency, Grade, Language, Region, Signatory, Skill, Unit
from matricule.deployments import services as s
from matricule.deployments.models import (
    LANGUAGE_PASS_MARK,
    CriticalSkill,
    Operation,
    OperationStatus,
    PartnerAgency,
    Position,
    UnAssessment,
    UnTest,
)
from matricule.deployments.seeding import seed_partner_agencies
from matricule.personnel.models import Officer, OfficerLanguage, Status
from matricule.training.models import OfficerSkill, SkillSource

AMS_SHARE = 0.03  # of the officers in service: about 3,000 for 100,000
AMS_MIN = 40
BENCH_OPERATION = "Opération Sahel sûr"
BENCH_POSITION = "Groupe d'intervention"
CRITICAL = [
    ("counter_terrorism", 2),
    ("negotiation", 1),
    ("public_order", 1),
    ("first_aid", 1),
    ("intelligence", 1),
    ("close_protection", 1),
    ("forensics", 1),
    ("rifle", 1),
]


@dataclass
class PositionPlan:
    title: str
    count: int
    pool: str  # unit code whose subtree the officers come from
    grades: tuple[str, str] | None = None
    skills: list[tuple[str, int]] = field(default_factory=list)
    language: tuple[str, int] | None = None
    licence: tuple[str, int] | None = None
    service_years: int | None = None
    ages: tuple[int | None, int | None] | None = None
    sex: str = ""
    fill: int = 0  # how many to assign in the demo


@dataclass
class OperationPlan:
    name: str
    kind: str
    start: int  # days from today (negative: in the past)
    days: int | None  # None: open-ended
    lead: str
    region: str = ""
    country: str = ""
    place: str = ""
    partners: tuple[str, ...] = ()
    description: str = ""
    positions: list[PositionPlan] = field(default_factory=list)


def _plans() -> list[OperationPlan]:
    return [
        OperationPlan(
            "Opération Kanaga — lutte antiterroriste au centre",
            "operation",
            -1460,
            180,
            "FORSAT",
            region="MOP",
            place="Sévaré",
            partners=("FAMA", "GN"),
            description="Sécurisation des axes et des foires, avec les FAMa.",
            positions=[
                PositionPlan(
                    "Équipe d'intervention FORSAT",
                    30,
                    "FORSAT",
                    ("SGT", "MAJ"),
                    skills=[("counter_terrorism", 2), ("rifle", 1)],
                    fill=24,
                ),
                PositionPlan(
                    "Négociateur",
                    2,
                    "DGPN",
                    ("LTN", "CDM"),
                    skills=[("negotiation", 1)],
                    fill=2,
                ),
            ],
        ),
        OperationPlan(
            "Force conjointe police–gendarmerie Ségou–Mopti",
            "joint",
            -1100,
            300,
            "GMS",
            region="SEG",
            place="Ségou, Mopti",
            partners=("GN", "GDN"),
            positions=[
                PositionPlan(
                    "Maintien de l'ordre (GMS)",
                    40,
                    "GMS",
                    ("GP", "ADC"),
                    skills=[("public_order", 1)],
                    fill=30,
                ),
                PositionPlan(
                    "Officier de liaison",
                    3,
                    "DGPN",
                    ("SLT", "CDT"),
                    service_years=5,
                    fill=3,
                ),
            ],
        ),
        OperationPlan(
            "Patrouilles conjointes avec UNPOL à Gao",
            "joint",
            -1380,
            150,
            "DR-GAO",
            region="GAO",
            place="Gao",
            partners=("UNPOL", "FAMA"),
            positions=[
                PositionPlan(
                    "Patrouille mixte",
                    20,
                    "DR-GAO",
                    ("GP", "MAJ"),
                    language=("fr", 3),
                    fill=12,
                )
            ],
        ),
        OperationPlan(
            "Sécurisation de Tombouctou avec UNPOL/MINUSMA",
            "joint",
            -900,
            120,
            "DR-TBK",
            region="TBK",
            place="Tombouctou",
            partners=("UNPOL",),
            positions=[PositionPlan("Patrouille mixte", 15, "DR-TBK", fill=10)],
        ),
        OperationPlan(
            "Escorte électorale — référendum constitutionnel",
            "escort",
            -860,
            10,
            "DSP",
            region="BKO",
            place="District de Bamako",
            partners=("GN", "GDN"),
            positions=[
                PositionPlan(
                    "Escorte des urnes",
                    40,
                    "DR-BKO",
                    ("GP", "SGC"),
                    licence=("licence_b", 1),
                    fill=25,
                )
            ],
        ),
        OperationPlan(
            "Escorte des épreuves du DEF",
            "escort",
            -560,
            6,
            "DSP",
            region="KKR",
            place="Koulikoro",
            positions=[
                PositionPlan(
                    "Escorte des sujets",
                    12,
                    "DR-KKR",
                    licence=("licence_b", 1),
                    fill=8,
                ),
                PositionPlan("Fouille des candidates", 4, "DR-KKR", sex="F", fill=3),
            ],
        ),
        OperationPlan(
            "Réponse aux inondations de Bamako",
            "crisis",
            -480,
            45,
            "DR-BKO",
            region="BKO",
            place="Bamako (Banconi, Sébénikoro)",
            partners=("PC", "GN"),
            positions=[
                PositionPlan(
                    "Secours et évacuation",
                    30,
                    "DR-BKO",
                    skills=[("first_aid", 1)],
                    fill=20,
                ),
                PositionPlan("Régulation de la circulation", 10, "CCR", fill=8),
            ],
        ),
        OperationPlan(
            "Mission MINUSCA — Bangui",
            "peacekeeping",
            -760,
            365,
            "DGPN",
            country="République centrafricaine",
            place="Bangui",
            partners=("UNPOL",),
            positions=[
                PositionPlan(
                    "Officier de police individuel (IPO)",
                    8,
                    "DGPN",
                    ("SGC", "CDT"),
                    language=("fr", 3),
                    licence=("licence_b", 1),
                    service_years=5,
                    ages=(25, 62),
                    fill=6,
                )
            ],
        ),
        OperationPlan(
            "Mission MONUSCO — Goma",
            "peacekeeping",
            -200,
            365,
            "DGPN",
            country="République démocratique du Congo",
            place="Goma",
            partners=("UNPOL",),
            positions=[
                PositionPlan(
                    "Officier de police individuel (IPO)",
                    6,
                    "DGPN",
                    ("SGC", "CDT"),
                    licence=("licence_b", 1),
                    service_years=5,
                    ages=(25, 62),
                    fill=4,
                )
            ],
        ),
        OperationPlan(
            "Escorte des convois Gao–Ménaka",
            "escort",
            -45,
            None,
            "GMS-DET-GAO",
            region="MEN",
            place="Axe Gao–Ménaka",
            partners=("FAMA",),
            positions=[
                PositionPlan(
                    "Escorte armée",
                    16,
                    "GMS",
                    skills=[("rifle", 1)],
                    licence=("licence_c", 1),
                    fill=10,
                )
            ],
        ),
        OperationPlan(
            "Force opérationnelle conjointe du centre",
            "joint",
            -120,
            240,
            "FORSAT",
            region="MOP",
            place="Mopti, Bandiagara",
            partners=("GN", "GDN", "FAMA"),
            positions=[
                PositionPlan(
                    "Groupe antiterroriste",
                    20,
                    "FORSAT",
                    ("SGT", "MAJ"),
                    skills=[("counter_terrorism", 2)],
                    fill=12,
                )
            ],
        ),
        OperationPlan(
            BENCH_OPERATION,
            "joint",
            30,
            30,
            "FORSAT",
            region="MOP",
            place="Mopti",
            partners=("GN", "FAMA"),
            description="Opération à venir : sécurisation du centre pendant la saison sèche.",
            positions=[
                PositionPlan(
                    BENCH_POSITION,
                    12,
                    "DGPN",
                    ("SGT", "ADC"),
                    skills=[("counter_terrorism", 2), ("first_aid", 1)],
                    language=("en", 2),
                    licence=("licence_b", 1),
                )
            ],
        ),
    ]


def seed_deployments_demo(*, seed: int, today: datetime.date) -> int:
    """Create the demo operations, assignments and AMS results; returns assignments made."""
    seed_partner_agencies()
    if Operation.objects.exists():
        return 0
    rng = random.Random(seed * 7919 + 14)
    agency = Agency.objects.get(code="PN")
    with transaction.atomic():
        _critical_skills(agency)
        assessed = _ams(rng, agency, today)
    made = 0
    operations = []
    for plan in _plans():
        operation, count = _operation(rng, agency, plan, today)
        operations.append(operation)
        made += count
    _demo_officer_mission(agency, today)
    refresh_statistics()
    for operation in operations:
        if operation.end_date is not None and operation.end_date < today:
            s.operation_status_set(operation=operation, status=OperationStatus.CLOSED, by=None)
        elif operation.start_date <= today:
            s.operation_status_set(operation=operation, status=OperationStatus.ACTIVE, by=None)
    audit_record(
        by=None,
        action="demo.seed_deployments",
        object_type="deployments.operation",
        object_repr="opérations de démonstration",
        after={"operations": len(_plans()), "assignments": made, "assessed": assessed},
    )
    return made


# Tables this step writes in bulk (PostgreSQL plans from their statistics).
TABLES = (
    "deployments_unassessment",
    "deployments_assignment",
    "training_officerskill",
    "personnel_officerlanguage",
    "personnel_careerevent",
)


def refresh_statistics() -> None:
    """After the bulk writes, fresh statistics for PostgreSQL (nothing inside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")


def _critical_skills(agency: Agency) -> None:
    skills = {sk.code: sk for sk in Skill.objects.filter(code__in=[c for c, _l in CRITICAL])}
    CriticalSkill.objects.bulk_create(
        [
            CriticalSkill(agency=agency, skill=skills[code], min_level=level)
            for code, level in CRITICAL
            if code in skills
        ]
    )


def _grades(agency: Agency, today: datetime.date) -> dict[str, Grade]:
    return {
        g.code: g
        for g in Grade.objects.filter(
            statute__agency=agency, statute__effective_from__lte=today
        ).exclude(statute__effective_to__lte=today)
    }


def _operation(
    rng: random.Random, agency: Agency, plan: OperationPlan, today: datetime.date
) -> tuple[Operation, int]:
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    start = today + datetime.timedelta(days=plan.start)
    end = start + datetime.timedelta(days=plan.days - 1) if plan.days else None
    act_day = min(today, start - datetime.timedelta(days=10))
    signatory = Signatory.objects.filter(agency=agency).order_by("id").first()
    operation = s.operation_create(
        agency=agency,
        data={
            "name": plan.name,
            "kind": plan.kind,
            "start_date": start,
            "end_date": end,
            "region": Region.objects.filter(code=plan.region).first() if plan.region else None,
            "country": plan.country,
            "place": plan.place,
            "lead_unit": units[plan.lead],
            "description": plan.description,
            "act_kind": "decision",
            "act_number": f"{act_day.year}-{rng.randint(100, 999)}/DGPN-OPS",
            "act_date": act_day,
            "act_signatory": signatory,
        },
        partners=list(PartnerAgency.objects.filter(code__in=plan.partners)),
        by=None,
    )
    grades = _grades(agency, today)
    made = 0
    for position_plan in plan.positions:
        position = _position(operation, position_plan, grades, units)
        made += _fill(rng, position, position_plan, units, grades, today)
    return operation, made


def _position(
    operation: Operation, plan: PositionPlan, grades: dict[str, Grade], units: dict[str, Unit]
) -> Position:
    position = s.position_create(
        operation=operation,
        data={
            "title": plan.title,
            "count": plan.count,
            "grade_min": grades.get(plan.grades[0]) if plan.grades else None,
            "grade_max": grades.get(plan.grades[1]) if plan.grades else None,
            "service_years_min": plan.service_years,
            "age_min": plan.ages[0] if plan.ages else None,
            "age_max": plan.ages[1] if plan.ages else None,
            "sex": plan.sex,
        },
        by=None,
    )
    skills = {sk.code: sk for sk in Skill.objects.select_related("category")}
    for code, level in plan.skills:
        s.requirement_add(
            position=position, kind="skill", skill=skills[code], min_level=level, by=None
        )
    if plan.language:
        s.requirement_add(
            position=position,
            kind="language",
            language=Language.objects.get(code=plan.language[0]),
            min_level=plan.language[1],
            by=None,
        )
    if plan.licence:
        s.requirement_add(
            position=position,
            kind="licence",
            skill=skills[plan.licence[0]],
            years_held=plan.licence[1],
            by=None,
        )
    return position


def _fill(
    rng: random.Random,
    position: Position,
    plan: PositionPlan,
    units: dict[str, Unit],
    grades: dict[str, Grade],
    today: datetime.date,
) -> int:
    """Assign `plan.fill` officers of the pool who were active throughout, via the service."""
    if not plan.fill:
        return 0
    operation = position.operation
    start = operation.start_date
    pool = Officer.objects.filter(
        unit_id__in=units[plan.pool].subtree_ids(),
        status=Status.ACTIVE,
        entry_date__lte=add_years(start, -(plan.service_years or 1)),
    )
    if plan.grades:
        low, high = grades[plan.grades[0]], grades[plan.grades[1]]
        pool = pool.filter(grade__order__gte=low.order, grade__order__lte=high.order)
    if plan.sex:
        pool = pool.filter(sex=plan.sex)
    ids = list(pool.order_by("id").values_list("id", flat=True)[: plan.fill * 6])
    rng.shuffle(ids)
    officers = Officer.objects.in_bulk(ids[: plan.fill * 3])
    made = 0
    for officer in (officers[pk] for pk in ids[: plan.fill * 3]):
        if made >= plan.fill:
            break
        try:
            s.assignment_create(
                position=position,
                officer=officer,
                start_date=start,
                end_date=operation.end_date,
                by=None,
                today=today,
            )
        except ValidationError:
            continue  # busy then (leave, training, another mission): the next one
        made += 1
    return made


def _demo_officer_mission(agency: Agency, today: datetime.date) -> None:
    """The demo officer login (first active officer of the 1st arrondissement): a past mission."""
    officer = (
        Officer.objects.filter(agency=agency, unit__code="BKO-CA01", status=Status.ACTIVE)
        .order_by("matricule")
        .first()
    )
    if officer is None:
        return
    # The first past operation that had room and found the officer free.
    for position in Position.objects.filter(
        operation__end_date__lt=today, operation__agency=agency
    ).order_by("-operation__start_date", "id"):
        try:
            s.assignment_create(
                position=position,
                officer=officer,
                start_date=position.operation.start_date,
                end_date=position.operation.end_date,
                by=None,
                today=today,
            )
        except ValidationError:
            continue
        return


def _ams(rng: random.Random, agency: Agency, today: datetime.date) -> int:
    """AMS results for about 3 % of the officers in service, over five years (bulk)."""
    oldest_birth = add_years(today, -58)
    youngest_birth = add_years(today, -27)
    candidates = list(
        Officer.objects.filter(
            agency=agency,
            status=Status.ACTIVE,
            birth_date__gte=oldest_birth,
            birth_date__lte=youngest_birth,
            entry_date__lte=add_years(today, -6),
        )
        .order_by("id")
        .values_list("id", "sex")
    )
    if not candidates:
        return 0
    count = min(len(candidates), max(AMS_MIN, int(len(candidates) * AMS_SHARE)))
    # Women are encouraged to sit the AMS: they are drawn twice as often as their share.
    weights = [2.0 if sex == "F" else 1.0 for _pk, sex in candidates]
    chosen: dict[int, None] = {}
    while len(chosen) < count:
        for pk, _sex in rng.choices(candidates, weights=weights, k=count - len(chosen)):
            chosen[pk] = None
    languages = {lang.code: lang for lang in Language.objects.filter(code__in=["en", "fr"])}
    licence_b = Skill.objects.filter(code="licence_b").first()
    has_licence = set(
        OfficerSkill.objects.filter(
            officer_id__in=list(chosen), skill__category__code="driving", confirmed=True
        ).values_list("officer_id", flat=True)
    )
    speaks_en = set(
        OfficerLanguage.objects.filter(
            officer_id__in=list(chosen), language=languages["en"]
        ).values_list("officer_id", flat=True)
    )
    rows: list[UnAssessment] = []
    licences: list[OfficerSkill] = []
    english: list[OfficerLanguage] = []
    now = timezone.now()
    for pk in chosen:
        sitting = today - datetime.timedelta(days=rng.randint(20, 5 * 365))
        lang = languages["en"] if rng.random() < 0.55 else languages["fr"]
        armed = rng.random() < 0.6
        for attempt in range(2):
            day = sitting + datetime.timedelta(days=attempt * rng.randint(120, 300))
            if day > today:
                break
            score = Decimal(rng.randint(38 + attempt * 8, 96))
            failed_any = False
            for test, rate in _tests(armed):
                if test == UnTest.LANGUAGE:
                    passed = score >= LANGUAGE_PASS_MARK
                    rows.append(
                        UnAssessment(
                            officer_id=pk,
                            test=test,
                            taken_on=day,
                            score=score,
                            passed=passed,
                            language=lang,
                            session=_session(day),
                        )
                    )
                else:
                    passed = rng.random() < rate
                    rows.append(
                        UnAssessment(
                            officer_id=pk,
                            test=test,
                            taken_on=day,
                            passed=passed,
                            session=_session(day),
                        )
                    )
                failed_any = failed_any or not passed
            if not failed_any or rng.random() < 0.6:
                break  # passed everything, or did not come back
        if licence_b is not None and pk not in has_licence and rng.random() < 0.9:
            licences.append(
                OfficerSkill(
                    officer_id=pk,
                    skill=licence_b,
                    level=1,
                    source=SkillSource.TEST,
                    obtained_on=sitting - datetime.timedelta(days=rng.randint(400, 4000)),
                    confirmed=True,
                    verified_at=now,
                    note="Permis vérifié pour l'évaluation ONU",
                )
            )
        if lang.code == "en" and pk not in speaks_en:
            english.append(
                OfficerLanguage(officer_id=pk, language=lang, spoken=3 if rng.random() < 0.4 else 2)
            )
    UnAssessment.objects.bulk_create(rows, batch_size=5000)
    OfficerSkill.objects.bulk_create(licences, batch_size=5000)
    OfficerLanguage.objects.bulk_create(english, batch_size=5000)
    return len(chosen)


def _tests(armed: bool) -> Iterable[tuple[str, float]]:
    yield UnTest.LANGUAGE, 1.0
    yield UnTest.INTERVIEW, 0.88
    yield UnTest.DRIVING, 0.82
    yield UnTest.COMPUTER, 0.9
    if armed:
        yield UnTest.FIREARMS, 0.85


def _session(day: datetime.date) -> str:
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    return f"AMS Bamako, {months[day.month - 1]} {day.year}"
