"""Demo evaluations: heads of unit, three closed past campaigns and the current one.

Everything is written in bulk (insertions of thousands of rows at a time), so that the
demo force of 100,000 officers gets its ~400,000 evaluations in seconds. Marks are
realistic by grade, with a lasting effect per officer; three raters are biased (one
lenient, one harsh, one who gives everyone 18) so that calibration has something to flag.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from matricule.accounts.models import User
from matricule.core.audit import audit_record
from matricule.core.bulk import bulk_insert
from matricule.core.models import Agency, Grade, Unit
from matricule.evaluations.models import (
    AppealDecision,
    Criterion,
    Cycle,
    CycleStatus,
    Evaluation,
    ReviewDecision,
    Score,
    Step,
)
from matricule.evaluations.services.cycles import insert_rows
from matricule.evaluations.services.forms import form_ensure
from matricule.evaluations.services.resolution import OrgTree
from matricule.personnel.models import (
    IN_SERVICE_STATUSES,
    ActKind,
    CareerEvent,
    CommandRole,
    EventKind,
    Officer,
    Status,
)

BATCH = 5000
PAST_CYCLES = 3
# Every twentieth unit has no head recorded: its staff lands in the HR queue.
VACANT_EVERY = 20
BIASED = ("lenient", "harsh", "flat")
DEMO_HEAD_USER = "chef.ca1"
DEMO_HEAD_UNIT = "BKO-CA01"
OTHER_AGENCIES = ("OCS", "MSPC")


@dataclass(frozen=True)
class Member:
    id: int
    unit_id: int
    grade_order: int
    corps_id: int
    entry: datetime.date
    matricule: str


def _members(agency: Agency) -> list[Member]:
    orders = dict(Grade.objects.values_list("id", "order"))
    rows = Officer.objects.filter(agency=agency, status__in=IN_SERVICE_STATUSES).values_list(
        "id", "unit_id", "host_unit_id", "grade_id", "corps_id", "entry_date", "matricule"
    )
    return [
        Member(pk, host or unit, orders.get(grade, 1), corps, entry, matricule)
        for pk, unit, host, grade, corps, entry, matricule in rows.iterator(chunk_size=BATCH)
    ]


def _demo_officer_id(agency: Agency) -> int | None:
    return (
        Officer.objects.filter(agency=agency, unit__code=DEMO_HEAD_UNIT, status=Status.ACTIVE)
        .order_by("matricule")
        .values_list("id", flat=True)
        .first()
    )


def _appoint_heads(
    rng: random.Random, agency: Agency, members: list[Member], today: datetime.date
) -> dict[int, int]:
    """A head for each unit with staff (the senior grade), as command career events."""
    by_unit: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        by_unit[m.unit_id].append(m)
    keep_out = _demo_officer_id(agency)
    codes = dict(Unit.objects.filter(agency=agency).values_list("id", "code"))
    heads: dict[int, int] = {}
    events = []
    start = datetime.date(today.year - PAST_CYCLES - 2, 1, 15)
    for n, (unit_id, staff) in enumerate(sorted(by_unit.items())):
        if unit_id not in codes:
            continue  # a host unit of another agency: its own agency appoints
        if n % VACANT_EVERY == VACANT_EVERY - 1 and codes[unit_id] != DEMO_HEAD_UNIT:
            continue
        candidates = [m for m in staff if m.id != keep_out] or staff
        head = max(candidates, key=lambda m: (m.grade_order, -m.entry.toordinal(), -m.id))
        heads[unit_id] = head.id
        day = max(start, head.entry + datetime.timedelta(days=365))
        if day > today:
            day = head.entry
        events.append(
            CareerEvent(
                officer_id=head.id,
                kind=EventKind.COMMAND,
                command_role=CommandRole.HEAD,
                unit_id=unit_id,
                effective_date=day,
                act_kind=ActKind.NOTE,
                act_number=f"{day.year}-{rng.randint(100, 9999)}/DGPN/CMD",
                act_date=day,
            )
        )
    CareerEvent.objects.bulk_create(events, batch_size=BATCH)
    return heads


def _mark(rng: random.Random, base: float, bias: str | None) -> Decimal:
    if bias == "flat":
        return Decimal("18.00")
    value = rng.gauss(base, 1.4)
    if bias == "lenient":
        value = rng.gauss(18.2, 0.8)
    elif bias == "harsh":
        value = rng.gauss(8.5, 1.2)
    value = min(20.0, max(4.0, value))
    return (Decimal(str(round(value * 4) / 4))).quantize(Decimal("0.01"))


def _biased_raters(tree: OrgTree, members: list[Member], heads: dict[int, int]) -> dict[int, str]:
    """Three heads of large units, in different parts of the tree."""
    size: dict[int, int] = defaultdict(int)
    for m in members:
        size[m.unit_id] += 1
    ranked = sorted(
        (u for u in heads if size[u] >= 15 and tree.parent.get(u)), key=lambda u: -size[u]
    )
    chosen: dict[int, str] = {}
    used_parents: set[int | None] = set()
    for unit_id in ranked:
        parent = tree.parent.get(unit_id)
        if parent in used_parents or heads[unit_id] in chosen:
            continue
        chosen[heads[unit_id]] = BIASED[len(chosen)]
        used_parents.add(parent)
        if len(chosen) == len(BIASED):
            break
    return chosen


def seed_evaluations_demo(*, seed: int, today: datetime.date) -> int:
    """Create the demo campaigns; returns the number of evaluations created."""
    if Cycle.objects.exists():
        return 0
    rng = random.Random(seed * 104729 + 12)
    agency = Agency.objects.get(code="PN")
    members = _members(agency)
    if not members:
        return 0
    with transaction.atomic():
        heads = _appoint_heads(rng, agency, members, today)
    # The OCS and the ministry: heads of their own units (the OCS's rate the police
    # officers seconded there too), then their own campaigns, each with its own draws.
    others = []
    for n, code in enumerate(OTHER_AGENCIES, start=1):
        other = Agency.objects.get(code=code)
        other_members = _members(other)
        if other_members:
            other_rng = random.Random(seed * 104729 + 12 + n)
            with transaction.atomic():
                heads.update(_appoint_heads(other_rng, other, other_members, today))
            others.append((other_rng, other, other_members))
    quality = {m.id: rng.gauss(0, 1.0) for m in members}
    created = 0
    years = [today.year - k for k in range(PAST_CYCLES, -1, -1)]
    biased: dict[int, str] = {}
    for year in years:
        current = year == today.year
        with transaction.atomic():
            created += _cycle(rng, agency, members, quality, year, today, current, biased)
    for other_rng, other, other_members in others:
        other_quality = {m.id: other_rng.gauss(0, 1.0) for m in other_members}
        for year in years[-2:]:  # last year's closed campaign and the current one
            with transaction.atomic():
                created += _cycle(
                    other_rng,
                    other,
                    other_members,
                    other_quality,
                    year,
                    today,
                    year == today.year,
                    {-1: ""},  # no biased rater to flag in these small campaigns
                )
    _link_demo_head()
    audit_record(
        by=None,
        action="demo.seed_evaluations",
        object_type="evaluations.cycle",
        object_repr="campagnes de notation de démonstration",
        after={"cycles": len(years), "evaluations": created, "heads": len(heads)},
    )
    return created


def _dates(year: int, today: datetime.date, current: bool) -> dict[str, datetime.date]:
    if current:
        reference = min(today, datetime.date(year, 12, 31)) - datetime.timedelta(days=30)
        return {
            "period_start": datetime.date(year, 1, 1),
            "period_end": datetime.date(year, 12, 31),
            "reference_date": reference,
            "self_deadline": today - datetime.timedelta(days=3),
            "rating_deadline": today + datetime.timedelta(days=20),
            "review_deadline": today + datetime.timedelta(days=40),
        }
    return {
        "period_start": datetime.date(year, 1, 1),
        "period_end": datetime.date(year, 12, 31),
        "reference_date": datetime.date(year, 12, 31),
        "self_deadline": datetime.date(year + 1, 1, 31),
        "rating_deadline": datetime.date(year + 1, 2, 28),
        "review_deadline": datetime.date(year + 1, 3, 31),
    }


# Shares of the current campaign's evaluations at each step.
CURRENT_STEPS = (
    (Step.SELF, 0.25),
    (Step.RATING, 0.30),
    (Step.REVIEW, 0.20),
    (Step.ACKNOWLEDGEMENT, 0.12),
    (Step.APPEAL, 0.03),
    (Step.CLOSED, 0.10),
)


def _current_step(rng: random.Random) -> str:
    roll = rng.random()
    for step, share in CURRENT_STEPS:
        roll -= share
        if roll < 0:
            return step
    return Step.CLOSED


def _cycle(
    rng: random.Random,
    agency: Agency,
    members: list[Member],
    quality: dict[int, float],
    year: int,
    today: datetime.date,
    current: bool,
    biased: dict[int, str],
) -> int:
    dates = _dates(year, today, current)
    cycle = Cycle.objects.create(
        agency=agency,
        year=year,
        status=CycleStatus.OPEN if current else CycleStatus.CLOSED,
        closed_at=None if current else timezone.now(),
        **dates,
    )
    reference = dates["reference_date"]
    tree = OrgTree(on=reference, agency_ids=[agency.pk])
    if not biased:
        biased.update(_biased_raters(tree, members, tree.heads))
    forms = {}
    now = timezone.now()
    demo_officer = _demo_officer_id(agency)
    rows: list[Evaluation] = []
    for m in members:
        if m.entry > reference - datetime.timedelta(days=183):
            continue
        if m.corps_id not in forms:
            from matricule.core.models import Corps

            forms[m.corps_id] = form_ensure(
                corps=Corps.objects.get(pk=m.corps_id), on=reference, by=None
            )
        raters = tree.raters(officer_id=m.id, unit_id=m.unit_id)
        evaluator_id = raters.evaluator_id
        if evaluator_id is None and not current:
            evaluator_id = _designated(tree, m)  # HR designated someone at the time
            if evaluator_id is None:
                continue
        base = 12.8 + 0.15 * min(m.grade_order, 12) + 1.0 * quality[m.id]
        bias = biased.get(evaluator_id or 0)
        reviewer_id = raters.reviewer_id if raters.reviewer_id not in (evaluator_id, m.id) else None
        e = Evaluation(
            cycle=cycle,
            officer_id=m.id,
            unit_id=m.unit_id,
            form=forms[m.corps_id],
            evaluator_id=evaluator_id,
            reviewer_id=reviewer_id,
        )
        step = _current_step(rng) if current else Step.CLOSED
        if current and evaluator_id is None:
            step = Step.SELF  # waiting in the HR queue « évaluateur à désigner »
        elif current and m.id == demo_officer:
            step = Step.ACKNOWLEDGEMENT
        _fill(rng, e, step, _mark(rng, base, bias), now, cycle, current)
        rows.append(e)
    insert_rows(Evaluation, rows)
    if current:
        _scores(rng, cycle)
    return len(rows)


def _fill(
    rng: random.Random,
    e: Evaluation,
    step: str,
    mark: Decimal,
    now: datetime.datetime,
    cycle: Cycle,
    current: bool,
) -> None:
    e.status = step
    if step == Step.SELF:
        return
    e.self_comment = "Objectifs de l'année atteints ; je souhaite suivre une formation."
    e.self_submitted_at = now
    if step == Step.RATING:
        return
    e.rating_mark = mark
    e.rating_comment = (
        "Agent sérieux et disponible." if mark >= 12 else "Des progrès sont attendus."
    )
    e.rated_at = now
    if step == Step.REVIEW:
        return
    final = mark
    if rng.random() < 0.05:
        final = max(
            Decimal(0), min(Decimal(20), mark + Decimal(rng.choice(["-1", "-0.5", "0.5", "1"])))
        )
        e.review_decision = ReviewDecision.ADJUST
        e.review_mark = final
        e.review_justification = "Harmonisation avec les autres unités de la direction."
    else:
        e.review_decision = ReviewDecision.AGREE
    e.reviewed_at = now
    e.final_mark = final
    e.acknowledge_by = (
        timezone.localdate() if current else cycle.review_deadline
    ) + datetime.timedelta(days=cycle.appeal_days)
    if step == Step.ACKNOWLEDGEMENT:
        return
    appealed = step == Step.APPEAL or (step == Step.CLOSED and rng.random() < 0.02)
    if appealed:
        e.appeal_reason = "Je conteste la note : mes résultats de l'année sont meilleurs."
        e.appealed_at = now
    if step == Step.APPEAL:
        return
    if appealed:
        revised = rng.random() < 0.4
        e.appeal_decision = AppealDecision.REVISED if revised else AppealDecision.MAINTAINED
        if revised:
            e.appeal_mark = min(Decimal(20), final + Decimal("1"))
            e.final_mark = e.appeal_mark
        e.appeal_reasons = "Décision de la commission après examen du dossier."
        e.appeal_decided_at = now
    else:
        e.acknowledged_at = now
    e.closed_at = now


def _designated(tree: OrgTree, m: Member) -> int | None:
    """The head of the nearest enclosing unit who is not the officer."""
    unit: int | None = tree.parent.get(m.unit_id)
    while unit is not None:
        head = tree.heads.get(unit)
        if head is not None and head != m.id:
            return head
        unit = tree.parent.get(unit)
    return None


def _scores(rng: random.Random, cycle: Cycle) -> None:
    """Scores per criterion for the rated evaluations of the current campaign."""
    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for c in Criterion.objects.filter(form__in=cycle.evaluations.values("form_id")).order_by(
        "order"
    ):
        criteria[c.form_id].append(c)
    batch: list[dict[str, object]] = []
    rated = cycle.evaluations.filter(rating_mark__isnull=False).values_list(
        "id", "form_id", "rating_mark"
    )
    for evaluation_id, form_id, mark in rated.iterator(chunk_size=BATCH):
        for c in criteria[form_id]:
            batch.append({"evaluation_id": evaluation_id, "criterion_id": c.pk, "score": mark or 0})
        if len(batch) >= BATCH:
            bulk_insert(Score, batch)
            batch.clear()
    bulk_insert(Score, batch)


def _link_demo_head() -> None:
    """The demo head of unit (chef.ca1) is the officer who commands the 1st arrondissement."""
    head = (
        CareerEvent.objects.filter(
            kind=EventKind.COMMAND, unit__code=DEMO_HEAD_UNIT, command_role=CommandRole.HEAD
        )
        .order_by("-effective_date")
        .values_list("officer_id", flat=True)
        .first()
    )
    if head is None or User.objects.filter(officer_id=head).exists():
        return
    User.objects.filter(username=DEMO_HEAD_USER, officer__isnull=True).update(officer_id=head)
