"""Deterministic demo force: realistic Malian names, units in every region, coherent careers.

Everything is drawn from one seeded PRNG in a fixed order, so the same
`--officers N --seed S` always builds the same force.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

from matricule.core.audit import audit_record
from matricule.core.matricule import CHECK_LETTERS, matricule_allocate
from matricule.core.models import Agency, Corps, Establishment, Grade, Unit
from matricule.core.seeding import current_statute, seed_reference
from matricule.personnel import demo_names as names
from matricule.personnel.models import Officer, Sex, Status, fold

BATCH = 5000
# Share of each corps in the force, and the age at which its members usually enter.
CORPS_WEIGHTS = {"GP": 34, "SO": 38, "OF": 20, "CO": 8}
ENTRY_AGE = {"GP": (19, 25), "SO": (20, 27), "OF": (23, 30), "CO": (25, 32)}
# Typical years spent in each grade before the next one.
YEARS_PER_GRADE = {"GP": 8, "SO": 5, "OF": 5, "CO": 6}
WOMEN_SHARE = 0.17
IN_SERVICE_STATUS_WEIGHTS = [
    (Status.ACTIVE, 900),
    (Status.LEAVE, 30),
    (Status.DEPLOYED, 25),
    (Status.TRAINING, 15),
    (Status.SECONDED, 12),
    (Status.SUSPENDED, 4),
]
LEFT_STATUS_WEIGHTS = [
    (Status.RESIGNED, 3),
    (Status.DISMISSED, 2),
    (Status.DECEASED, 2),
]


class Picker:
    """Weighted choice with precomputed cumulative weights (fast for 100,000 draws)."""

    def __init__(self, rng: random.Random, pairs: Sequence[tuple[object, int]]) -> None:
        self.rng = rng
        self.values = [v for v, _ in pairs]
        total = 0
        self.cum: list[int] = []
        for _, weight in pairs:
            total += weight
            self.cum.append(total)

    def __call__(self) -> object:
        return self.rng.choices(self.values, cum_weights=self.cum)[0]


@dataclass
class DemoResult:
    officers: int
    seconds: float


def nina_for(birth: datetime.date, region_index: int, serial: int) -> str:
    digits = f"{birth:%y%m%d}{region_index:02d}{serial:06d}"
    letter = CHECK_LETTERS[int(digits) % len(CHECK_LETTERS)]
    return digits + letter


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def seed_demo(
    *, officers: int, seed: int, today: datetime.date, progress: Callable[[int], None] | None = None
) -> int:
    """Create `officers` officers of the Police nationale; returns how many were created."""
    import time

    started = time.monotonic()
    seed_reference()
    rng = random.Random(seed)
    agency = Agency.objects.get(code="PN")
    statute = current_statute(agency, today)
    corps_by_code = {c.code: c for c in Corps.objects.filter(agency=agency)}
    grades_by_corps: dict[int, list[Grade]] = defaultdict(list)
    for grade in Grade.objects.filter(statute=statute).order_by("order"):
        grades_by_corps[grade.corps_id].append(grade)

    units = {
        u.id: u for u in Unit.objects.filter(agency=agency, is_active=True).select_related("region")
    }
    # Officers are spread over units in proportion to each unit's authorised posts per band.
    weights: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for row in Establishment.objects.filter(unit__in=units.keys(), effective_to__isnull=True):
        if row.authorised:
            weights[row.band_id].append((row.unit_id, row.authorised))
    unit_pickers = {band: Picker(rng, pairs) for band, pairs in weights.items()}
    fallback_units = Picker(rng, [(uid, 1) for uid in sorted(units)])
    corps_picker = Picker(rng, [(code, w) for code, w in CORPS_WEIGHTS.items()])
    family = Picker(rng, names.FAMILY_NAMES)
    male = Picker(rng, names.MALE_GIVEN_NAMES)
    female = Picker(rng, names.FEMALE_GIVEN_NAMES)
    in_service = Picker(rng, IN_SERVICE_STATUS_WEIGHTS)
    left = Picker(rng, LEFT_STATUS_WEIGHTS)
    region_codes = sorted(names.BIRTH_PLACES)
    region_index = {code: i + 1 for i, code in enumerate(region_codes)}

    created = 0
    with transaction.atomic():
        matricules = matricule_allocate(agency=agency, count=officers)
        batch: list[Officer] = []
        for i in range(officers):
            corps_code = str(corps_picker())
            corps = corps_by_code[corps_code]
            grades = grades_by_corps[corps.id]
            sex = Sex.FEMALE if rng.random() < WOMEN_SHARE else Sex.MALE
            low, high = ENTRY_AGE[corps_code]
            entry_age = rng.randint(low, high)
            # Service length: many young officers, fewer near retirement (recruitment grew).
            max_service = corps.retirement_age - entry_age + 4
            service = min(int(rng.triangular(0, max_service, 4)), max_service)
            entry = today - datetime.timedelta(days=service * 365 + rng.randint(0, 364))
            birth = _add_years(entry, -entry_age) - datetime.timedelta(days=rng.randint(0, 364))
            step = YEARS_PER_GRADE[corps_code]
            grade_index = min(len(grades) - 1, max(0, int(service / step + rng.uniform(-1, 0.6))))
            grade = grades[grade_index]
            unit_picker = unit_pickers.get(grade.band_id, fallback_units)
            unit = units[int(unit_picker())]  # type: ignore[call-overload]
            retirement = _add_years(birth, corps.retirement_age)
            exit_date = None
            if retirement <= today:
                status, exit_date = Status.RETIRED, retirement
            elif rng.random() < 0.03:
                status = Status(str(left()))
                exit_date = entry + datetime.timedelta(
                    days=rng.randint(30, max(31, (today - entry).days))
                )
                exit_date = min(exit_date, today)
            else:
                status = Status(str(in_service()))
            region = unit.region.code if unit.region else "BKO"
            # Most officers serve in or near the region they come from.
            home = region if rng.random() < 0.6 else rng.choice(region_codes)
            fam = str(family())
            if home in names.REGION_FAMILY_BIAS and rng.random() < 0.5:
                fam = rng.choice(names.REGION_FAMILY_BIAS[home])
            if fam.startswith("Walet") and sex == Sex.MALE:
                fam = "Ag " + fam.split(" ", 1)[1]
            given = str(male() if sex == Sex.MALE else female())
            batch.append(
                Officer(
                    agency=agency,
                    matricule=matricules[i],
                    nina=nina_for(birth, region_index[home], i + 1),
                    family_name=fam,
                    given_names=given,
                    search_name=fold(f"{fam} {given}"),
                    sex=sex,
                    birth_date=birth,
                    birth_place=rng.choice(names.BIRTH_PLACES[home]),
                    corps=corps,
                    grade=grade,
                    unit=unit,
                    status=status,
                    entry_date=entry,
                    exit_date=exit_date,
                )
            )
            if len(batch) >= BATCH:
                Officer.objects.bulk_create(batch)
                created += len(batch)
                batch = []
                if progress:
                    progress(created)
        Officer.objects.bulk_create(batch)
        created += len(batch)
        audit_record(
            by=None,
            action="demo.seed",
            object_type="personnel.officer",
            object_repr=f"{created} agents de démonstration",
            after={
                "officers": created,
                "seed": seed,
                "seconds": round(time.monotonic() - started, 1),
            },
        )
    return created
