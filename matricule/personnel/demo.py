"""Deterministic demo force: realistic Malian names, units in every region, full careers.

Everything is drawn from one seeded PRNG in a fixed order, so the same
`--officers N --seed S` always builds the same force. Rows are written with
bulk inserts (100,000 officers and about a million career events in a few
minutes); the snapshot of each officer is derived from its events by the same
replay the services use, so `check_snapshots` agrees.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from django.core.files.base import ContentFile
from django.db import connection, transaction

from matricule.core.audit import audit_record
from matricule.core.dates import add_years
from matricule.core.matricule import CHECK_LETTERS, matricule_allocate
from matricule.core.models import (
    Agency,
    Corps,
    Establishment,
    Grade,
    GradeMapping,
    Signatory,
    StatuteVersion,
    Unit,
)
from matricule.core.seeding import seed_reference
from matricule.personnel import demo_names as names
from matricule.personnel.career import replay
from matricule.personnel.models import (
    ActKind,
    CareerEvent,
    EventKind,
    NameWord,
    Officer,
    OfficerPhoto,
    Sex,
    Status,
    fold,
    name_words,
    sort_key,
)
from matricule.personnel.photos import photo_process, placeholder_portrait

BATCH = 5000
PHOTOS_MAX = 2000  # generated portraits for the first officers only (disk and time)
CORPS_WEIGHTS = {"GP": 34, "SO": 38, "OF": 20, "CO": 8}
ENTRY_AGE = {"GP": (19, 25), "SO": (20, 27), "OF": (23, 30), "CO": (25, 32)}
YEARS_PER_GRADE = {"GP": 8, "SO": 5, "OF": 5, "CO": 6}
WOMEN_SHARE = 0.17
CURRENT_STATUS_WEIGHTS = [
    (Status.ACTIVE, 900),
    (Status.LEAVE, 30),
    (Status.DEPLOYED, 25),
    (Status.TRAINING, 15),
    (Status.SECONDED, 12),
    (Status.SUSPENDED, 4),
]
LEFT_STATUS_WEIGHTS = [(Status.RESIGNED, 3), (Status.DISMISSED, 2), (Status.DECEASED, 2)]
FUNCTIONS = [
    "Chef de poste",
    "Adjoint au chef de poste",
    "Enquêteur",
    "Chef de section",
    "Chef de brigade",
    "Secrétaire",
    "Opérateur radio",
    "Chauffeur",
    "Commissaire adjoint",
    "Chef de groupe",
    "Instructeur",
    "Planton",
]
SANCTIONS = [
    "Avertissement",
    "Blâme",
    "Mise à pied de 8 jours",
    "Consigne de 15 jours",
    "Retard à l'avancement",
]
DECORATIONS = [
    "Lettre de félicitations",
    "Témoignage officiel de satisfaction",
    "Médaille d'honneur de la Police",
    "Médaille du mérite national",
    "Chevalier de l'Ordre national du Mali",
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


def nina_for(birth: datetime.date, region_index: int, serial: int) -> str:
    digits = f"{birth:%y%m%d}{region_index:02d}{serial:06d}"
    return digits + CHECK_LETTERS[int(digits) % len(CHECK_LETTERS)]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    return add_years(day, years)


class GradeHistory:
    """The grade an officer held, named as the statute in force on a date named it."""

    def __init__(self, agency: Agency, today: datetime.date) -> None:
        self.statutes = list(
            StatuteVersion.objects.filter(agency=agency).order_by("effective_from")
        )
        grades = list(Grade.objects.filter(statute__agency=agency))
        by_id = {g.id: g for g in grades}
        forward = dict(GradeMapping.objects.values_list("from_grade_id", "to_grade_id"))
        current = self.statute_on(today)

        def final(grade: Grade) -> Grade:
            while grade.statute_id != current.id and grade.id in forward:
                grade = by_id[forward[grade.id]]
            return grade

        # For each statute and current grade: the highest old grade that maps at or below it.
        self.table: dict[tuple[int, int], Grade] = {}
        for statute in self.statutes:
            olds = sorted((g for g in grades if g.statute_id == statute.id), key=lambda g: g.order)
            for target in (g for g in grades if g.statute_id == current.id):
                fitting = [
                    g
                    for g in olds
                    if final(g).corps_id == target.corps_id and final(g).order <= target.order
                ]
                if fitting:
                    self.table[(statute.id, target.id)] = fitting[-1]

    def statute_on(self, day: datetime.date) -> StatuteVersion:
        found = self.statutes[0]
        for statute in self.statutes:
            if statute.effective_from <= day:
                found = statute
        return found

    def on(self, grade: Grade, day: datetime.date) -> Grade | None:
        return self.table.get((self.statute_on(day).id, grade.id))


class Act:
    """Numbers administrative acts in sequence per year, as a registry would."""

    def __init__(self, rng: random.Random, signatories: list[Signatory]) -> None:
        self.rng = rng
        self.signatories = signatories
        self.counters: dict[int, int] = defaultdict(int)

    def fill(self, event: CareerEvent, service: str = "DGPN") -> CareerEvent:
        act_date = event.effective_date - datetime.timedelta(days=self.rng.randint(5, 60))
        self.counters[act_date.year] += 1
        event.act_kind = ActKind.ARRETE if event.kind == EventKind.GRADE else ActKind.DECISION
        event.act_number = f"{act_date.year}-{self.counters[act_date.year]:05d}/{service}"
        event.act_date = act_date
        event.act_signatory = self.signatories[0 if event.kind != EventKind.GRADE else -1]
        return event


def _spread(
    rng: random.Random, start: datetime.date, end: datetime.date, count: int, gap_days: int
) -> list[datetime.date]:
    """`count` sorted dates between start and end, at least `gap_days` apart when possible."""
    span = (end - start).days
    if count <= 0 or span <= gap_days:
        return []
    count = min(count, span // gap_days)
    days = sorted(rng.sample(range(gap_days, span + 1), count)) if count else []
    out: list[datetime.date] = []
    last = -gap_days
    for d in days:
        d = max(d, last + gap_days)
        if d > span:
            break
        out.append(start + datetime.timedelta(days=d))
        last = d
    return out


def seed_demo(
    *, officers: int, seed: int, today: datetime.date, progress: Callable[[int], None] | None = None
) -> int:
    """Create `officers` officers with their careers; returns how many were created."""
    started = time.monotonic()
    seed_reference()
    rng = random.Random(seed)
    agency = Agency.objects.get(code="PN")
    history = GradeHistory(agency, today)
    current_statute = history.statute_on(today)
    corps_by_code = {c.code: c for c in Corps.objects.filter(agency=agency)}
    grades_by_corps: dict[int, list[Grade]] = defaultdict(list)
    for grade in Grade.objects.filter(statute=current_statute).order_by("order"):
        grades_by_corps[grade.corps_id].append(grade)
    units = {
        u.id: u for u in Unit.objects.filter(agency=agency, is_active=True).select_related("region")
    }
    ocs_units = list(Unit.objects.filter(agency__code="OCS", is_active=True).order_by("path"))
    weights: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for row in Establishment.objects.filter(unit__in=units.keys(), effective_to__isnull=True):
        if row.authorised:
            weights[row.band_id].append((row.unit_id, row.authorised))
    unit_pickers = {band: Picker(rng, pairs) for band, pairs in weights.items()}
    fallback_units = Picker(rng, [(uid, 1) for uid in sorted(units)])
    corps_picker = Picker(rng, list(CORPS_WEIGHTS.items()))
    family = Picker(rng, names.FAMILY_NAMES)
    male = Picker(rng, names.MALE_GIVEN_NAMES)
    female = Picker(rng, names.FEMALE_GIVEN_NAMES)
    current_status = Picker(rng, CURRENT_STATUS_WEIGHTS)
    left = Picker(rng, LEFT_STATUS_WEIGHTS)
    region_codes = sorted(names.BIRTH_PLACES)
    region_index = {code: i + 1 for i, code in enumerate(region_codes)}
    acts = Act(rng, list(Signatory.objects.filter(agency=agency).order_by("id")))

    created = 0
    events_total = 0
    with transaction.atomic():
        matricules = matricule_allocate(agency=agency, count=officers)
        batch: list[tuple[Officer, list[CareerEvent]]] = []
        for i in range(officers):
            corps_code = str(corps_picker())
            corps = corps_by_code[corps_code]
            grades = grades_by_corps[corps.id]
            sex = Sex.FEMALE if rng.random() < WOMEN_SHARE else Sex.MALE
            low, high = ENTRY_AGE[corps_code]
            entry_age = rng.randint(low, high)
            max_service = corps.retirement_age - entry_age + 4
            service = min(int(rng.triangular(0, max_service, 4)), max_service)
            entry = today - datetime.timedelta(days=service * 365 + rng.randint(30, 364))
            birth = _add_years(entry, -entry_age) - datetime.timedelta(days=rng.randint(0, 364))
            retirement = _add_years(birth, corps.retirement_age)
            end = today
            final_status = Status(str(current_status()))
            exit_status: Status | None = None
            if retirement <= today:
                exit_status, end = Status.RETIRED, retirement
            elif rng.random() < 0.03:
                exit_status = Status(str(left()))
                end = min(
                    today,
                    entry
                    + datetime.timedelta(days=rng.randint(200, max(201, (today - entry).days))),
                )
            officer, events = _career(
                rng,
                history,
                acts,
                grades,
                unit_pickers,
                fallback_units,
                units,
                ocs_units,
                entry=entry,
                end=end,
                today=today,
                final_status=final_status,
                exit_status=exit_status,
                corps_code=corps_code,
            )
            first_unit = units[events[0].unit_id]  # type: ignore[index]
            home = (
                first_unit.region.code
                if first_unit.region and rng.random() < 0.6
                else rng.choice(region_codes)
            )
            fam = str(family())
            if home in names.REGION_FAMILY_BIAS and rng.random() < 0.5:
                fam = rng.choice(names.REGION_FAMILY_BIAS[home])
            if fam.startswith("Walet") and sex == Sex.MALE:
                fam = "Ag " + fam.split(" ", 1)[1]
            given = str(male() if sex == Sex.MALE else female())
            officer.agency = agency
            officer.matricule = matricules[i]
            officer.nina = nina_for(birth, region_index[home], i + 1)
            officer.family_name, officer.given_names = fam, given
            officer.search_name = fold(f"{fam} {given}")
            officer.sort_name = sort_key(fam, given)
            officer.sex, officer.birth_date = sex, birth
            officer.birth_place = rng.choice(names.BIRTH_PLACES[home])
            officer.corps = corps
            officer.phone = f"+223 {rng.choice(names.PHONE_PREFIXES)} {rng.randint(0, 999999):06d}"
            quarter = rng.choice(names.ADDRESS_QUARTERS.get(home, ("Centre",)))
            officer.address = f"{quarter}, {rng.choice(names.BIRTH_PLACES[home])}"
            batch.append((officer, events))
            if len(batch) >= BATCH:
                events_total += _flush(batch)
                created += len(batch)
                batch = []
                if progress:
                    progress(created)
        events_total += _flush(batch)
        created += len(batch)
        _photos(rng, min(created, PHOTOS_MAX))
        _record_lines(rng, min(created, PHOTOS_MAX), today)
        audit_record(
            by=None,
            action="demo.seed",
            object_type="personnel.officer",
            object_repr=f"{created} agents de démonstration",
            after={
                "officers": created,
                "events": events_total,
                "seed": seed,
                "seconds": round(time.monotonic() - started, 1),
            },
        )
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows the force's real size at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return created


def _career(
    rng: random.Random,
    history: GradeHistory,
    acts: Act,
    grades: list[Grade],
    unit_pickers: dict[int, Picker],
    fallback: Picker,
    units: dict[int, Unit],
    ocs_units: list[Unit],
    *,
    entry: datetime.date,
    end: datetime.date,
    today: datetime.date,
    final_status: Status,
    exit_status: Status | None,
    corps_code: str,
) -> tuple[Officer, list[CareerEvent]]:
    """The events of one career, in date order, and the officer with its snapshot."""
    service_years = (end - entry).days / 365
    step = YEARS_PER_GRADE[corps_code]
    promotions = min(len(grades) - 1, max(0, int(service_years / step + rng.uniform(-1, 0.6))))
    band = grades[promotions].band_id
    pick_unit = unit_pickers.get(band, fallback)

    def unit_id() -> int:
        unit: int = int(pick_unit())  # type: ignore[call-overload]
        return unit

    events: list[CareerEvent] = []
    entry_grade = history.on(grades[0], entry) or grades[0]
    events.append(
        acts.fill(
            CareerEvent(
                kind=EventKind.ENTRY,
                effective_date=entry,
                unit_id=unit_id(),
                grade=entry_grade,
                status=Status.ACTIVE,
            )
        )
    )
    last_grade = entry_grade
    for n, day in enumerate(_spread(rng, entry, end, promotions, 365 * 2), start=1):
        grade = history.on(grades[n], day)
        if grade is None or grade.pk == last_grade.pk:
            continue
        events.append(acts.fill(CareerEvent(kind=EventKind.GRADE, effective_date=day, grade=grade)))
        last_grade = grade
    for day in _spread(rng, entry, end, rng.randint(1, 7), 300):
        events.append(
            acts.fill(CareerEvent(kind=EventKind.POSTING, effective_date=day, unit_id=unit_id()))
        )
    if rng.random() < 0.3:
        days = _spread(rng, entry, end, 1, 60)
        if days:
            events.append(
                CareerEvent(
                    kind=EventKind.FUNCTION, effective_date=days[0], function=rng.choice(FUNCTIONS)
                )
            )
    for day in _spread(rng, entry, end - datetime.timedelta(days=400), rng.randint(0, 3), 400):
        back = day + datetime.timedelta(days=rng.randint(30, 90))
        events.append(CareerEvent(kind=EventKind.STATUS, effective_date=day, status=Status.LEAVE))
        events.append(CareerEvent(kind=EventKind.STATUS, effective_date=back, status=Status.ACTIVE))
    if rng.random() < 0.05:
        for day in _spread(rng, entry, end, 1, 90):
            events.append(
                acts.fill(
                    CareerEvent(
                        kind=EventKind.SANCTION, effective_date=day, detail=rng.choice(SANCTIONS)
                    )
                )
            )
    if rng.random() < 0.12:
        for day in _spread(rng, entry, end, 1, 180):
            events.append(
                CareerEvent(
                    kind=EventKind.DECORATION,
                    effective_date=day,
                    detail=rng.choice(DECORATIONS),
                    act_kind=ActKind.DECRET,
                    act_number=f"{day.year}-{rng.randint(100, 999)}/P-RM",
                    act_date=day,
                )
            )
    if exit_status is not None:
        events = [e for e in events if e.effective_date < end]
        events.append(
            acts.fill(CareerEvent(kind=EventKind.EXIT, effective_date=end, status=exit_status))
        )
    elif final_status != Status.ACTIVE:
        recent = today - datetime.timedelta(
            days=rng.randint(10, 1000 if final_status == Status.SECONDED else 120)
        )
        recent = max(recent, entry + datetime.timedelta(days=1))
        events = [e for e in events if e.effective_date < recent]
        if final_status == Status.SECONDED and ocs_units:
            events.append(
                acts.fill(
                    CareerEvent(
                        kind=EventKind.SECONDMENT,
                        effective_date=recent,
                        unit=rng.choice(ocs_units),
                        host_agency_id=ocs_units[0].agency_id,
                        # Three-year secondments: some end within the coming months.
                        end_date=_add_years(recent, 3),
                    )
                )
            )
        elif final_status != Status.SECONDED:
            events.append(
                CareerEvent(kind=EventKind.STATUS, effective_date=recent, status=final_status)
            )
    events.sort(key=lambda e: (e.effective_date, e.kind != EventKind.ENTRY))
    for ev in events:
        if ev.unit_id is None and ev.unit is not None:
            ev.unit_id = ev.unit.pk
    state = replay(events)
    assert state is not None
    grade_now = _in_force(state.grade_id, grades)
    officer = Officer(
        unit_id=state.unit_id,
        grade=grade_now,
        status=state.status,
        function=state.function,
        host_unit_id=state.host_unit_id,
        entry_date=state.entry_date,
        exit_date=state.exit_date,
        secondment_end=state.secondment_end,
    )
    return officer, events


def _in_force(grade_id: int, current: list[Grade]) -> Grade:
    from matricule.personnel.career import grade_in_force

    target = grade_in_force(grade_id, datetime.date.max)
    for candidate in current:
        if candidate.pk == target:
            return candidate
    return Grade.objects.get(pk=target)


def _flush(batch: list[tuple[Officer, list[CareerEvent]]]) -> int:
    if not batch:
        return 0
    Officer.objects.bulk_create([officer for officer, _ in batch])
    rows = []
    for officer, events in batch:
        for ev in events:
            ev.officer_id = officer.pk
            rows.append(ev)
    CareerEvent.objects.bulk_create(rows, batch_size=5000)
    NameWord.objects.bulk_create(
        [
            NameWord(officer_id=officer.pk, word=w)
            for officer, _ in batch
            for w in name_words(officer.family_name, officer.given_names)
        ],
        batch_size=5000,
    )
    return len(rows)


def _photos(rng: random.Random, count: int) -> None:
    # A few generated portraits, each file written per officer: real files, little CPU.
    portraits = [photo_process(placeholder_portrait(n, "")) for n in range(20)]
    rows = []
    for officer in Officer.objects.order_by("pk")[:count].only("pk"):
        processed = rng.choice(portraits)
        photo = OfficerPhoto(officer=officer)
        photo.image.save(f"{officer.pk}-demo.jpg", ContentFile(processed.image), save=False)
        photo.thumbnail.save(
            f"{officer.pk}-demo-mini.jpg", ContentFile(processed.thumbnail), save=False
        )
        rows.append(photo)
    OfficerPhoto.objects.bulk_create(rows)


DIPLOMAS = [
    ("DEF", 15),
    ("CAP", 18),
    ("Baccalauréat", 19),
    ("BT", 20),
    ("DUT", 22),
    ("Licence en droit", 23),
    ("Maîtrise en droit", 24),
    ("Master en criminologie", 25),
]
SCHOOLS = [
    "Lycée Askia Mohamed, Bamako",
    "Lycée Prosper Kamara, Bamako",
    "Université des sciences juridiques et politiques de Bamako",
    "Lycée de Ségou",
    "Lycée Mamadou Sarr de Tombouctou",
    "Lycée de Kayes",
    "Lycée de Sikasso",
]
NATIONAL = ["bm", "ff", "ses", "snk", "tmh", "dts", "myk"]


def _record_lines(rng: random.Random, count: int, today: datetime.date) -> None:
    """Languages, diplomas and children for the first officers, so the record looks lived in."""
    from matricule.core.models import Language
    from matricule.personnel.models import Child, Education, OfficerLanguage

    languages = {lang.code: lang for lang in Language.objects.all()}
    langs, diplomas, children = [], [], []
    for officer in Officer.objects.order_by("pk")[:count].only(
        "pk", "birth_date", "family_name", "sex"
    ):
        langs.append(
            OfficerLanguage(officer=officer, language=languages["fr"], spoken=3, written=3)
        )
        langs.append(
            OfficerLanguage(officer=officer, language=languages[rng.choice(NATIONAL)], spoken=4)
        )
        if rng.random() < 0.15:
            langs.append(
                OfficerLanguage(officer=officer, language=languages["en"], spoken=rng.randint(1, 3))
            )
        name, age = rng.choice(DIPLOMAS)
        year = min(today.year, officer.birth_date.year + age)
        diplomas.append(
            Education(officer=officer, diploma=name, institution=rng.choice(SCHOOLS), year=year)
        )
        for _n in range(rng.choice([0, 0, 1, 2, 3, 4])):
            born = officer.birth_date + datetime.timedelta(days=rng.randint(22 * 365, 40 * 365))
            if born < today:
                sex = rng.choice(["M", "F"])
                given = rng.choice(
                    [
                        n
                        for n, _w in (
                            names.MALE_GIVEN_NAMES if sex == "M" else names.FEMALE_GIVEN_NAMES
                        )
                    ][:40]
                )
                children.append(
                    Child(
                        officer=officer,
                        name=f"{given} {officer.family_name}",
                        birth_date=born,
                        sex=sex,
                    )
                )
    OfficerLanguage.objects.bulk_create(langs, batch_size=5000)
    Education.objects.bulk_create(diplomas, batch_size=5000)
    Child.objects.bulk_create(children, batch_size=5000)
