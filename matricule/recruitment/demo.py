"""Deterministic demo recruitment: a past intake taken through every stage to graduation,
and an open intake with its first applicants.

Candidates and stage results are bulk-inserted (their marks computed by the same rules
as the screens); ranking, publication, cohort and graduation then go through the
services, so the graduates become officers through `officer_create` with their
matricules, entry grade, first posting and audit entries.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from matricule.core.models import Agency, Corps, Region, Unit
from matricule.personnel import demo_names as names
from matricule.personnel.demo import Picker, nina_for
from matricule.personnel.models import fold
from matricule.recruitment import services
from matricule.recruitment.models import (
    Candidate,
    CohortMember,
    Intake,
    IntakeStatus,
    PassRule,
    Stage,
    StageKind,
    StageResult,
)
from matricule.recruitment.rules import StageSpec, eligibility_reasons, stage_outcome
from matricule.recruitment.services.graduation import cohort_graduate
from matricule.recruitment.services.ranking import intake_rank

BATCH = 2000
CENTRES = [
    ("BKO", "Bamako", "BKO"),
    ("KAY", "Kayes", "KAY"),
    ("SIK", "Sikasso", "SIK"),
    ("SEG", "Ségou", "SEG"),
    ("MOP", "Mopti", "MOP"),
    ("GAO", "Gao", "GAO"),
]
REGION_WEIGHTS = {
    "BKO": 30,
    "KAY": 9,
    "KKR": 10,
    "SIK": 11,
    "SEG": 10,
    "MOP": 8,
    "TBK": 3,
    "GAO": 4,
    "KID": 1,
    "MEN": 1,
    "TAO": 1,
    "NIO": 2,
    "KIT": 2,
    "NAR": 1,
    "DIO": 2,
    "BOU": 3,
    "KOU": 3,
    "SAN": 3,
    "BAN": 2,
    "DOU": 1,
}
CENTRE_OF_REGION = {
    "BKO": "BKO",
    "KKR": "BKO",
    "DIO": "BKO",
    "NAR": "BKO",
    "KAY": "KAY",
    "NIO": "KAY",
    "KIT": "KAY",
    "SIK": "SIK",
    "BOU": "SIK",
    "KOU": "SIK",
    "SEG": "SEG",
    "SAN": "SEG",
    "MOP": "MOP",
    "BAN": "MOP",
    "DOU": "MOP",
    "TBK": "GAO",
    "GAO": "GAO",
    "KID": "GAO",
    "MEN": "GAO",
    "TAO": "GAO",
}
DIPLOMA_TITLES = {
    1: "DEF",
    2: "CAP mécanique générale",
    3: "BT comptabilité",
    4: "Baccalauréat malien",
    5: "DUT gestion",
    6: "Licence en droit privé",
    7: "Master en sociologie",
}
FULL_STAGES = (
    StageKind.DOCUMENTS,
    StageKind.PHYSICAL,
    StageKind.BODY,
    StageKind.WRITTEN,
    StageKind.MEDICAL,
    StageKind.PSYCHO,
    StageKind.BACKGROUND,
    StageKind.INTERVIEW,
)
# Chance of failing a fitness stage, per kind.
UNFIT = {
    StageKind.DOCUMENTS: 0.06,
    StageKind.BODY: 0.05,
    StageKind.MEDICAL: 0.04,
    StageKind.BACKGROUND: 0.015,
}
ABSENT = 0.02
WOMEN_SHARE = 0.28


def _stage_rules(kind: str) -> tuple[Decimal | None, bool, Decimal]:
    """(pass mark, counts in ranking, weight) of each kind in the demo."""
    rules: dict[str, tuple[Decimal | None, bool, Decimal]] = {
        StageKind.PHYSICAL: (Decimal(8), True, Decimal(2)),
        StageKind.WRITTEN: (Decimal(10), True, Decimal(4)),
        StageKind.PSYCHO: (Decimal(8), False, Decimal(1)),
        StageKind.FRENCH: (Decimal(10), True, Decimal(1)),
        StageKind.INTERVIEW: (Decimal(10), True, Decimal(1)),
    }
    return rules.get(kind, (None, False, Decimal(1)))


def configure_intake(*, intake: Intake, kinds: tuple[str, ...]) -> None:
    """Stages, subjects, scoring tables and exam centres of a demo intake."""
    regions = {r.code: r for r in Region.objects.all()}
    for order, kind in enumerate(kinds, start=1):
        pass_mark, counts, weight = _stage_rules(kind)
        stage = services.stage_add(
            intake=intake,
            kind=kind,
            order=order,
            pass_mark=pass_mark,
            counts_in_ranking=counts,
            weight=weight,
            by=None,
        )
        if kind == StageKind.WRITTEN:
            for code, name, coef in (
                ("FR", "Français (dissertation)", 3),
                ("CG", "Culture générale", 2),
                ("MATH", "Mathématiques", 2),
                ("DROIT", "Instruction civique et droit", 1),
            ):
                services.subject_add(
                    stage=stage, code=code, name=name, coefficient=Decimal(coef), by=None
                )
        if kind == StageKind.PHYSICAL:
            for code, name, unit, higher, men, women in (
                ("100M", "Course de 100 m", "s", False, (12.5, 17.5), (14.5, 20.5)),
                ("1000M", "Course de 1 000 m", "s", False, (200, 330), (250, 400)),
                ("POMPES", "Pompes", "reps", True, (45, 5), (30, 2)),
            ):
                services.event_add(
                    stage=stage,
                    code=code,
                    name=name,
                    unit=unit,
                    higher_is_better=higher,
                    scoring=_table("M", *men) + _table("F", *women),
                    by=None,
                )
    for code, name, region in CENTRES:
        services.centre_add(intake=intake, code=code, name=name, region=regions[region], by=None)


def _table(sex: str, best: float, worst: float) -> list[tuple[str, Decimal, Decimal]]:
    """Eleven steps from 20 points at `best` down to 0 at `worst`."""
    rows = []
    for step in range(11):
        threshold = best + (worst - best) * step / 10
        rows.append((sex, Decimal(f"{threshold:.2f}"), Decimal(20 - 2 * step)))
    return rows


def _people(
    rng: random.Random, *, intake: Intake, count: int, serial_base: int, strong: bool = False
) -> list[Candidate]:
    family = Picker(rng, names.FAMILY_NAMES)
    men = Picker(rng, names.MALE_GIVEN_NAMES)
    women = Picker(rng, names.FEMALE_GIVEN_NAMES)
    region_pick = Picker(rng, list(REGION_WEIGHTS.items()))
    regions = {r.code: r for r in Region.objects.all()}
    region_index = {code: i for i, code in enumerate(REGION_WEIGHTS)}
    centres = {c.code: c for c in intake.centres.all()}
    ref = intake.age_reference_date
    out = []
    for i in range(count):
        sex = "F" if rng.random() < WOMEN_SHARE else "M"
        region = str(region_pick())
        # Mostly within the age range, a few just outside (to show eligibility at work).
        if strong or rng.random() < 0.95:
            age_days = rng.randint(intake.age_min * 365 + 1, (intake.age_max + 1) * 365 - 2)
        else:
            age_days = rng.randint((intake.age_max + 1) * 365, (intake.age_max + 3) * 365)
        birth = ref - datetime.timedelta(days=age_days)
        diploma = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[2, 2, 3, 50, 15, 20, 5])[0]
        if strong:
            diploma = max(diploma, 4)
        given = str(women() if sex == "F" else men())
        if rng.random() < 0.3:
            given = f"{given} {women() if sex == 'F' else men()}"
        places = names.BIRTH_PLACES.get(region) or ("Bamako",)
        out.append(
            Candidate(
                intake=intake,
                application_number=f"{intake.applications_open:%y}{intake.pk:02d}-{i + 1:05d}",
                family_name=str(family()),
                given_names=given,
                sex=sex,
                birth_date=birth,
                birth_place=rng.choice(places),
                nina=nina_for(birth, region_index[region], serial_base + i),
                nationality="malienne" if strong or rng.random() > 0.004 else "burkinabè",
                marital_status="single" if strong or rng.random() < 0.97 else "married",
                diploma=diploma,
                diploma_title=DIPLOMA_TITLES[diploma],
                centre=centres[CENTRE_OF_REGION[region]],
                region=regions[region],
                phone=f"+223 {rng.choice(names.PHONE_PREFIXES)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                documents=["birth", "nationality", "diploma", "criminal", "photos"],
            )
        )
    for candidate in out:
        candidate.search_name = fold(f"{candidate.family_name} {candidate.given_names}")
        reasons = eligibility_reasons(
            intake=intake,
            birth_date=candidate.birth_date,
            diploma=candidate.diploma,
            nationality=candidate.nationality,
            marital_status=candidate.marital_status,
        )
        candidate.eligible = not reasons
        candidate.ineligibility_reasons = reasons
    Candidate.objects.bulk_create(out, batch_size=BATCH)
    return out


def _mark(rng: random.Random, ability: float, spread: float = 3.0) -> str:
    return f"{max(0.0, min(20.0, rng.gauss(ability, spread))):.2f}"


def _values(rng: random.Random, spec: StageSpec, ability: float, sex: str) -> dict[str, Any]:
    stage = spec.stage
    if stage.kind == StageKind.WRITTEN:
        return {s.code: _mark(rng, ability - 0.5) for s in spec.subjects}
    if stage.kind == StageKind.PHYSICAL:
        fitness = rng.gauss(0.55 + (ability - 11.5) / 15, 0.2)
        values: dict[str, Any] = {}
        for event in spec.events:
            lines = sorted(spec.tables[(event.code, sex)].lines, key=lambda x: -x[1])
            best, worst = float(lines[0][0]), float(lines[-1][0])
            share = max(0.0, min(1.2, fitness + rng.gauss(0, 0.1)))
            values[event.code] = f"{worst + (best - worst) * share:.1f}"
        return values
    if stage.rule == PassRule.FIT:
        return {
            "avis": "inapte" if rng.random() < UNFIT.get(StageKind(stage.kind), 0.02) else "apte"
        }
    return {"note": _mark(rng, ability + 1)}


def run_stages(
    rng: random.Random, *, intake: Intake, candidates: list[Candidate], strong: bool = False
) -> int:
    """Bulk results for every stage in order; failing or absent candidates stop there."""
    stages = list(Stage.objects.filter(intake=intake).order_by("order"))
    running = [c for c in candidates if c.eligible]
    mean = 15.0 if strong else 11.5
    ability = {c.pk: rng.gauss(mean, 2.5) for c in running}
    written = 0
    for stage in stages:
        spec = StageSpec.load(stage)
        results = []
        survivors = []
        for c in running:
            absent = rng.random() < (ABSENT / 10 if strong else ABSENT)
            values = {} if absent else _values(rng, spec, ability[c.pk], c.sex)
            verdict = stage_outcome(spec, sex=c.sex, absent=absent, values=values)
            results.append(
                StageResult(
                    candidate_id=c.pk,
                    stage=stage,
                    mark=verdict.mark,
                    fit=verdict.fit,
                    absent=absent,
                    passed=verdict.passed,
                    detail=verdict.detail,
                )
            )
            if verdict.passed:
                survivors.append(c)
            else:
                c.eliminated_stage_id = stage.pk
                c.elimination_reason = verdict.reason[:255]
        StageResult.objects.bulk_create(results, batch_size=BATCH)
        written += len(results)
        eliminated = [c for c in running if c.eliminated_stage_id == stage.pk]
        Candidate.objects.bulk_update(
            eliminated, ["eliminated_stage_id", "elimination_reason"], batch_size=500
        )
        running = survivors
    return written


def build_intake(
    *,
    agency: Agency,
    title: str,
    posts: int,
    candidates: int,
    opens: datetime.date,
    kinds: tuple[str, ...],
    seed: int,
    serial_base: int,
    with_results: bool,
    strong: bool = False,
) -> Intake:
    """One intake with its configuration and candidates (and all their results if asked)."""
    rng = random.Random(f"recruitment-{seed}-{title}")
    with transaction.atomic():
        intake = services.intake_create(
            agency=agency,
            data={
                "corps": Corps.objects.get(agency=agency, code="SO"),
                "title": title,
                "posts_total": posts,
                "applications_open": opens,
                "applications_close": opens + datetime.timedelta(days=45),
                "age_reference_date": datetime.date(opens.year, 12, 31),
                "age_min": 18,
                "age_max": 25,
                "min_diploma": 4,
                "nationality_required": "malienne",
                "marital_status_required": "single",
                "age_tie_break": "younger",
            },
            by=None,
        )
        configure_intake(intake=intake, kinds=kinds)
        Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.OPEN)
        intake.status = IntakeStatus.OPEN
        people = _people(
            rng, intake=intake, count=candidates, serial_base=serial_base, strong=strong
        )
        if with_results:
            run_stages(rng, intake=intake, candidates=people, strong=strong)
            Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.CLOSED)
            intake.status = IntakeStatus.CLOSED
    return intake


def graduate(*, intake: Intake, seed: int, graduated_on: datetime.date, graduates: int) -> int:
    """Rank, publish, form the cohort, record training and postings, graduate.

    Exactly `graduates` trainees pass the training (if that many were admitted), so the
    demo force ends with the number of officers asked for; the others fail it.
    """
    rng = random.Random(f"graduation-{seed}")
    intake_rank(intake=intake, by=None)
    services.intake_publish(intake=intake, by=None)
    cohort = services.cohort_create(
        intake=intake,
        number=39,
        parrain="Commissaire divisionnaire Modibo Sidibé",
        starts_on=graduated_on - datetime.timedelta(days=300),
        ends_on=graduated_on - datetime.timedelta(days=7),
        by=None,
    )
    units = list(
        Unit.objects.filter(
            agency=intake.agency, unit_type__code="commissariat", is_active=True
        ).order_by("path")
    )
    members = list(CohortMember.objects.filter(cohort=cohort).order_by("id"))
    marks = {m.pk: rng.gauss(13, 2) for m in members}
    members.sort(key=lambda m: (-marks[m.pk], m.pk))
    for position, member in enumerate(members):
        passes = position < graduates
        mark = max(10.0, min(18.5, marks[member.pk])) if passes else min(9.75, marks[member.pk])
        member.training_mark = Decimal(f"{max(4.0, mark):.2f}")
        member.passed = passes
        member.first_unit = rng.choice(units) if passes and units else None
    CohortMember.objects.bulk_update(
        members, ["training_mark", "passed", "first_unit"], batch_size=500
    )
    if not any(m.passed for m in members):
        return 0
    officers = cohort_graduate(
        cohort=cohort,
        graduated_on=graduated_on,
        act_number=f"{graduated_on.year}-0417/MSPC-DGPN",
        act_date=graduated_on - datetime.timedelta(days=3),
        by=None,
    )
    return len(officers)


def demo_scale(officers: int) -> dict[str, int]:
    """Size of the demo recruitment for a demo force of `officers`.

    `graduates` of the force come out of the past intake's graduation (seed_demo creates
    the others), so the force has exactly the number of officers asked for.
    """
    return {
        "graduates": min(300, officers // 10),
        "candidates": 5000 if officers >= 1000 else max(300, officers * 5),
    }


def seed_recruitment_demo(
    *, seed: int, today: datetime.date, graduates: int = 300, candidates: int = 5000
) -> int:
    """The demo's two intakes; returns the number of officers created by the graduation.

    The past intake admits a few more than `graduates`; exactly `graduates` pass the
    school and become officers (through officer_create, one by one, for correctness).
    """
    agency = Agency.objects.get(code="PN")
    past_year = today.year - 1
    posts = max(1, graduates + max(1, graduates // 30))
    past = build_intake(
        agency=agency,
        title=f"Concours direct de recrutement de {posts} élèves sous-officiers — {past_year}",
        posts=posts,
        candidates=candidates,
        opens=datetime.date(past_year, 1, 15) - datetime.timedelta(days=365 - 90),
        kinds=FULL_STAGES,
        seed=seed,
        serial_base=900_000,
        with_results=True,
    )
    created = graduate(
        intake=past,
        seed=seed,
        graduated_on=today - datetime.timedelta(days=30),
        graduates=graduates,
    )
    build_intake(
        agency=agency,
        title=f"Concours direct de recrutement de 3 250 élèves sous-officiers — {today.year}",
        posts=3250,
        candidates=max(50, candidates // 6),
        opens=today - datetime.timedelta(days=20),
        kinds=FULL_STAGES,
        seed=seed,
        serial_base=950_000,
        with_results=False,
    )
    return created
