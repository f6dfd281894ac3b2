"""Demo staff of the OCS (officers seconded from five other corps) and of the ministry.

The police officers seconded to the OCS come from the police's own demo careers; this adds
the OCS's members of other corps (gendarmerie, national guard, customs, justice, health) in
its antennas, with their arrival under a secondment act, renewals and origin grade changes,
and the ministry's civil servants in its directorates. Bulk inserts, deterministic for a
seed, a few hundred records at most whatever the size of the police force.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from matricule.core.audit import audit_record
from matricule.core.dates import add_years
from matricule.core.matricule import matricule_allocate
from matricule.core.models import Agency, Grade, Signatory, Unit
from matricule.personnel import demo_names as names
from matricule.personnel.career import replay
from matricule.personnel.demo import Picker, _flush, nina_for
from matricule.personnel.models import (
    ActKind,
    CareerEvent,
    EventKind,
    Officer,
    Sex,
    Status,
    fold,
    sort_key,
)

OCS_MEMBERS_MAX = 280  # with the police officers seconded there: about 300 staff
MINISTRY_STAFF_MAX = 100
ORIGIN_WEIGHTS = [("GEND", 30), ("GARDE", 18), ("DOUANES", 27), ("JUSTICE", 10), ("SANTE", 15)]
# Antennas get most of the staff; Bamako's three (airport included) more than the regions'.
BAMAKO_UNITS = ("OCS-AIB", "OCS-ANT-BRG", "OCS-ANT-BRD")
OCS_FUNCTIONS = [
    "Enquêteur",
    "Chef de groupe d'enquête",
    "Analyste du renseignement",
    "Agent de contrôle aéroportuaire",
    "Maître-chien",
    "Chargé des saisies",
]
MINISTRY_FUNCTIONS = [
    "Chargé de mission",
    "Chef de division",
    "Chef de section",
    "Secrétaire",
    "Gestionnaire des ressources humaines",
    "Comptable",
]
# A serial range of their own keeps the demo NINAs apart from the police's.
NINA_SERIAL_BASE = 900_000


def _service_number(rng: random.Random, origin: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXYZ"
    return {
        "GEND": lambda: f"G{rng.randint(1, 999_999):06d}",
        "GARDE": lambda: f"GN{rng.randint(1, 99_999):05d}",
        "DOUANES": lambda: f"D{rng.randint(1, 99_999):05d}",
    }.get(origin, lambda: f"{rng.randint(100_000, 999_999)}{rng.choice(letters)}")()


class _Acts:
    def __init__(self, rng: random.Random, service: str, signatories: list[Signatory]) -> None:
        self.rng, self.service, self.signatories = rng, service, signatories
        self.counter = 0

    def fill(self, event: CareerEvent, signatory: Signatory | None = None) -> CareerEvent:
        self.counter += 1
        day = event.effective_date - datetime.timedelta(days=self.rng.randint(5, 40))
        event.act_kind = ActKind.ARRETE
        event.act_number = f"{day.year}-{self.counter:04d}/{self.service}"
        event.act_date = day
        event.act_signatory = signatory or (self.signatories[0] if self.signatories else None)
        return event


def seed_agencies_demo(*, officers: int, seed: int, today: datetime.date) -> int:
    """The OCS's members of other corps and the ministry's staff; returns how many."""
    if Officer.objects.filter(agency__code__in=["OCS", "MSPC"]).exists():
        return 0
    rng = random.Random(seed * 6151 + 19)
    ocs = Agency.objects.get(code="OCS")
    mspc = Agency.objects.get(code="MSPC")
    ocs_count = min(OCS_MEMBERS_MAX, max(20, officers * 14 // 100))
    ministry_count = min(MINISTRY_STAFF_MAX, max(10, officers // 20))
    with transaction.atomic():
        made = _ocs_members(rng, ocs, ocs_count, today)
        made += _ministry_staff(rng, mspc, ministry_count, today)
        audit_record(
            by=None,
            action="demo.seed",
            object_type="personnel.officer",
            object_repr=f"{made} agents de démonstration (OCS et ministère)",
            after={"ocs": ocs_count, "ministry": ministry_count, "seed": seed},
        )
    return made


class _People:
    """Names, birth places and phones drawn as the police's demo draws them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.family = Picker(rng, names.FAMILY_NAMES)
        self.male = Picker(rng, names.MALE_GIVEN_NAMES)
        self.female = Picker(rng, names.FEMALE_GIVEN_NAMES)
        self.regions = sorted(names.BIRTH_PLACES)

    def fill(self, officer: Officer, *, birth: datetime.date, serial: int) -> None:
        rng = self.rng
        sex = Sex.FEMALE if rng.random() < 0.22 else Sex.MALE
        given = str(self.female() if sex == Sex.FEMALE else self.male())
        fam = str(self.family())
        home = rng.choice(self.regions)
        officer.family_name, officer.given_names, officer.sex = fam, given, sex
        officer.search_name = fold(f"{fam} {given}")
        officer.sort_name = sort_key(fam, given)
        officer.birth_date = birth
        officer.birth_place = rng.choice(names.BIRTH_PLACES[home])
        officer.nina = nina_for(birth, 1 + self.regions.index(home), serial)
        officer.phone = f"+223 {rng.choice(names.PHONE_PREFIXES)} {rng.randint(0, 999999):06d}"


def _snapshot(officer: Officer, events: list[CareerEvent], today: datetime.date) -> None:
    state = replay(events, on=today) or replay(events)
    assert state is not None
    officer.unit_id, officer.grade_id = state.unit_id, state.grade_id
    officer.status, officer.function = state.status, state.function
    officer.host_unit_id, officer.entry_date = state.host_unit_id, state.entry_date
    officer.exit_date, officer.secondment_end = state.exit_date, state.secondment_end


def _ocs_members(rng: random.Random, ocs: Agency, count: int, today: datetime.date) -> int:
    units = list(Unit.objects.filter(agency=ocs, is_active=True).order_by("path"))
    weights = [(u.pk, 24 if u.code in BAMAKO_UNITS else 3 if u.depth < 2 else 9) for u in units]
    pick_unit = Picker(rng, weights)
    pick_origin = Picker(rng, ORIGIN_WEIGHTS)
    grades: dict[str, list[Grade]] = {}
    for grade in Grade.objects.filter(statute__agency__kind="origin").select_related(
        "statute__agency", "corps"
    ):
        grades.setdefault(grade.statute.agency.code, []).append(grade)
    for table in grades.values():
        table.sort(key=lambda g: g.order)
    signatories = {
        s.agency.code: s for s in Signatory.objects.select_related("agency").order_by("id")
    }
    acts = _Acts(rng, "OCS", list(Signatory.objects.filter(agency=ocs).order_by("id")))
    matricules = matricule_allocate(agency=ocs, count=count)
    people = _People(rng)
    batch: list[tuple[Officer, list[CareerEvent]]] = []
    for i in range(count):
        origin = str(pick_origin())
        table = grades[origin]
        # Lower ranks are the many: a triangular draw over the table.
        rank = min(len(table) - 1, int(rng.triangular(0, len(table), 1)))
        arrival = today - datetime.timedelta(days=rng.randint(20, 9 * 365))
        # Young enough to serve out the secondment before their corps' age limit.
        oldest = min(48, table[rank].corps.retirement_age - 2 - (today - arrival).days // 365)
        birth = add_years(arrival, -rng.randint(min(24, oldest), oldest)) - datetime.timedelta(
            days=rng.randint(0, 364)
        )
        end = add_years(arrival, rng.choice((2, 3, 4)))
        events = [
            acts.fill(
                CareerEvent(
                    kind=EventKind.ENTRY,
                    effective_date=arrival,
                    end_date=end,
                    unit_id=int(pick_unit()),  # type: ignore[call-overload]
                    grade=table[rank],
                    status=Status.ACTIVE,
                    function=rng.choice(OCS_FUNCTIONS),
                ),
                signatories.get(origin),
            )
        ]
        returned = rng.random() < 0.05 and end < today
        # Renewed as long as the secondment lasts (most do), by three-year periods.
        while end <= today and not returned:
            on = end - datetime.timedelta(days=rng.randint(10, 60))
            end = add_years(end, 3)
            events.append(
                acts.fill(CareerEvent(kind=EventKind.RENEWAL, effective_date=on, end_date=end))
            )
        if rank + 1 < len(table) and rng.random() < 0.35:
            day = arrival + datetime.timedelta(
                days=rng.randint(200, max(201, (today - arrival).days))
            )
            if day < today and (not returned or day < end):
                events.append(
                    acts.fill(
                        CareerEvent(
                            kind=EventKind.GRADE, effective_date=day, grade=table[rank + 1]
                        ),
                        signatories.get(origin),
                    )
                )
        if returned:
            events.append(
                acts.fill(
                    CareerEvent(kind=EventKind.EXIT, effective_date=end, status=Status.RETURNED)
                )
            )
        events.sort(key=lambda e: (e.effective_date, e.kind != EventKind.ENTRY))
        grade = table[rank]
        officer = Officer(agency=ocs, matricule=matricules[i], corps=grade.corps, grade=grade)
        people.fill(officer, birth=birth, serial=NINA_SERIAL_BASE + i)
        officer.origin_service_number = _service_number(rng, origin)
        _snapshot(officer, events, today)
        officer.corps = next(g.corps for g in table if g.pk == officer.grade_id)
        batch.append((officer, events))
    _flush(batch)
    return len(batch)


def _ministry_staff(rng: random.Random, mspc: Agency, count: int, today: datetime.date) -> int:
    units = list(Unit.objects.filter(agency=mspc, is_active=True).order_by("path"))
    pick_unit = Picker(rng, [(u.pk, 1 if u.depth == 0 else 4) for u in units])
    table = list(
        Grade.objects.filter(statute__agency=mspc).select_related("corps").order_by("order")
    )
    by_corps: dict[int, list[Grade]] = {}
    for grade in table:
        by_corps.setdefault(grade.corps_id, []).append(grade)
    corps_ladders = list(by_corps.values())
    acts = _Acts(rng, "MSPC", list(Signatory.objects.filter(agency=mspc).order_by("id")))
    matricules = matricule_allocate(agency=mspc, count=count)
    people = _People(rng)
    batch: list[tuple[Officer, list[CareerEvent]]] = []
    for i in range(count):
        ladder = rng.choice(corps_ladders)
        entry = today - datetime.timedelta(days=rng.randint(60, 25 * 365))
        birth = add_years(entry, -rng.randint(22, 35)) - datetime.timedelta(
            days=rng.randint(0, 364)
        )
        events = [
            acts.fill(
                CareerEvent(
                    kind=EventKind.ENTRY,
                    effective_date=entry,
                    unit_id=int(pick_unit()),  # type: ignore[call-overload]
                    grade=ladder[0],
                    status=Status.ACTIVE,
                    function=rng.choice(MINISTRY_FUNCTIONS),
                )
            )
        ]
        years = (today - entry).days // 365
        for step in range(1, min(len(ladder), 1 + years // 4)):
            day = add_years(entry, 4 * step) - datetime.timedelta(days=rng.randint(0, 90))
            if day < today:
                events.append(
                    acts.fill(
                        CareerEvent(kind=EventKind.GRADE, effective_date=day, grade=ladder[step])
                    )
                )
        officer = Officer(
            agency=mspc, matricule=matricules[i], corps=ladder[0].corps, grade=ladder[0]
        )
        people.fill(officer, birth=birth, serial=NINA_SERIAL_BASE + 50_000 + i)
        _snapshot(officer, events, today)
        batch.append((officer, events))
    _flush(batch)
    return len(batch)
