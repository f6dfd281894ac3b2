"""UN police readiness — a saved search over the record, the skills and the AMS results.

Nobody keeps a list of "cleared" officers: the roster is computed each time from the
assessments (UnAssessment), the career and the skills inventory, by these rules (UN_RULES):
- every required test passed at its latest sitting — language (at 60 % or more),
  interview, driving, computer skills, and firearms for armed missions — less than
  24 months ago; the clearance runs 24 months from the oldest of those passes;
- aged 25 to 62; at least 5 years of service, initial training excluded;
- a driving licence held for at least one year (verified);
- no disciplinary sanction on the record and no case pending (a suspension is one).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.accounts.scopes import officer_scope_q
from matricule.core.bulk import in_chunks
from matricule.core.dates import add_months, add_years, age_on
from matricule.deployments.models import UnAssessment, UnTest
from matricule.personnel.models import (
    IN_SERVICE_STATUSES,
    CareerEvent,
    EventKind,
    Officer,
    Sex,
    Status,
)
from matricule.training.selectors import category_rows_held

if TYPE_CHECKING:
    from matricule.accounts.models import User

VALIDITY_MONTHS = 24
AGE_MIN, AGE_MAX = 25, 62
SERVICE_YEARS = 5
LICENCE_YEARS = 1
EXPIRY_WARNING_DAYS = 90
WOMEN_TARGET_PERCENT = 20
BASE_TESTS = (UnTest.LANGUAGE, UnTest.INTERVIEW, UnTest.DRIVING, UnTest.COMPUTER)

UN_RULES = gettext_lazy(
    "Habilitation ONU : chaque épreuve exigée — langue (60 % au moins), entretien, "
    "conduite, informatique, et tir pour les missions armées — réussie à sa dernière "
    "passation il y a moins de 24 mois ; l'habilitation court 24 mois à partir de la plus "
    "ancienne de ces réussites. Âge de 25 à 62 ans ; 5 ans de service au moins, formation "
    "initiale non comprise ; permis de conduire vérifié détenu depuis un an au moins ; "
    "aucune sanction disciplinaire au dossier ni procédure en cours (suspension)."
)

SHOW_CHOICES = ("cleared", "expiring", "one_short", "all")
TEST_CODES = tuple(str(t) for t in UnTest.values)


@dataclass(frozen=True)
class TestResult:
    """One required test's latest sitting; its words are built only for the rows shown."""

    test: str
    taken_on: datetime.date | None
    score: Decimal | None
    passed: bool
    valid_until: datetime.date | None
    state: str  # passed | failed | expired | missing

    @property
    def ok(self) -> bool:
        return self.state == "passed"

    @property
    def label(self) -> str:
        return str(UnTest(self.test).label)

    @property
    def text(self) -> str:
        if self.state == "missing":
            return _("%(t)s : non passée") % {"t": self.label}
        score = f" ({self.score:g} %)" if self.score is not None else ""
        day = f"{self.taken_on:%d/%m/%Y}" if self.taken_on else ""
        if self.state == "failed":
            return _("%(t)s : échouée le %(d)s%(s)s") % {"t": self.label, "d": day, "s": score}
        if self.state == "expired":
            return _("%(t)s : réussie le %(d)s%(s)s, périmée") % {
                "t": self.label,
                "d": day,
                "s": score,
            }
        return _("%(t)s : réussie le %(d)s%(s)s") % {"t": self.label, "d": day, "s": score}


@dataclass(frozen=True)
class Criterion:
    """A rule read from the record: age, service, licence, discipline (words built lazily)."""

    code: str
    met: bool
    value: Any = None  # years of age or of service; the licence date; the discipline case
    on: datetime.date | None = None

    @property
    def label(self) -> str:
        if self.code == "age":
            return _("Âge : %(n)s ans (de %(a)s à %(b)s)") % {
                "n": self.value,
                "a": AGE_MIN,
                "b": AGE_MAX,
            }
        if self.code == "service":
            return _("Service : %(n)s ans hors formation initiale (%(m)s au moins)") % {
                "n": self.value,
                "m": SERVICE_YEARS,
            }
        if self.code == "licence":
            if self.value is None or self.on is None:
                return _("Permis de conduire vérifié : aucun")
            since: datetime.date = self.value
            months = (self.on.year - since.year) * 12 + self.on.month - since.month
            months -= self.on.day < since.day
            held = (
                _("%(n)s mois") % {"n": months}
                if months < 12
                else _("%(n)s an(s)") % {"n": months // 12}
            )
            return _("Permis de conduire depuis %(h)s (1 an au moins)") % {"h": held}
        if self.value == "suspended":
            return _("Discipline : suspendu, procédure en cours")
        if self.value == "sanction":
            return _("Discipline : sanction inscrite au dossier")
        return _("Discipline : aucune sanction ni procédure")


@dataclass
class Readiness:
    officer_id: int
    matricule: str
    name: str
    sex: str
    tests: list[TestResult]
    criteria: list[Criterion]
    cleared: bool
    valid_until: datetime.date | None
    status: str  # cleared | expiring | one_short | not_ready
    officer: Officer | None = None

    @property
    def missing_tests(self) -> list[str]:
        return [t.label for t in self.tests if not t.ok]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


STATUS_LABELS = {
    "cleared": gettext_lazy("Habilité"),
    "expiring": gettext_lazy("Habilité, expire sous 90 jours"),
    "one_short": gettext_lazy("À une épreuve près"),
    "not_ready": gettext_lazy("Non habilité"),
}


@dataclass
class Roster:
    on: datetime.date
    armed: bool
    show: str
    assessed: int
    cleared: int
    expiring: int
    one_short: int
    women_cleared: int
    count: int
    rows: list[Readiness] = field(default_factory=list)

    @property
    def women_share(self) -> float | None:
        return round(100 * self.women_cleared / self.cleared, 1) if self.cleared else None

    @property
    def target(self) -> int:
        return WOMEN_TARGET_PERCENT

    @property
    def below_target(self) -> bool:
        share = self.women_share
        return share is not None and share < WOMEN_TARGET_PERCENT

    @property
    def women_needed(self) -> int:
        """More women to clear (others unchanged) to reach the target share."""
        if not self.below_target:
            return 0
        # w / (c + x) ... solving (w + x) / (c + x) >= t
        target = WOMEN_TARGET_PERCENT / 100
        needed = (target * self.cleared - self.women_cleared) / (1 - target)
        return max(0, int(-(-needed // 1)))


ARMED_TESTS = (*BASE_TESTS, UnTest.FIREARMS)


def required_tests(armed: bool) -> tuple[str, ...]:
    return ARMED_TESTS if armed else BASE_TESTS


Sitting = tuple[datetime.date, int, str, Decimal | None, bool]  # date, id, test, score, passed


@lru_cache(maxsize=8192)
def _valid_until(taken_on: datetime.date) -> datetime.date:
    return add_months(taken_on, VALIDITY_MONTHS)


def _test_results(rows: list[Sitting], on: datetime.date, armed: bool) -> list[TestResult]:
    latest: dict[str, tuple[datetime.date, Decimal | None, bool]] = {}
    for taken_on, _id, test, score, passed in sorted(rows):  # the last sitting wins
        latest[test] = (taken_on, score, passed)
    out = []
    for test in required_tests(armed):
        if test not in latest:
            out.append(TestResult(test, None, None, False, None, "missing"))
            continue
        # `passed` of a language sitting is its score >= 60 % (a database constraint).
        taken_on, score, passed = latest[test]
        valid_until = _valid_until(taken_on) if passed else None
        if not passed:
            state = "failed"
        elif valid_until is not None and valid_until < on:
            state = "expired"
        else:
            state = "passed"
        out.append(TestResult(test, taken_on, score, passed, valid_until, state))
    return out


def _criteria(
    *,
    birth_date: datetime.date,
    service_from: datetime.date,
    licence_since: datetime.date | None,
    sanctioned: bool,
    status: str,
    on: datetime.date,
) -> list[Criterion]:
    licence_ok = licence_since is not None and add_years(licence_since, LICENCE_YEARS) <= on
    case = "suspended" if status == Status.SUSPENDED else ("sanction" if sanctioned else "")
    age = age_on(birth_date, on)
    return [
        Criterion("age", AGE_MIN <= age <= AGE_MAX, age),
        Criterion(
            "service", add_years(service_from, SERVICE_YEARS) <= on, age_on(service_from, on)
        ),
        Criterion("licence", licence_ok, licence_since, on),
        Criterion("discipline", not case, case),
    ]


def _classify(
    tests: list[TestResult], criteria: list[Criterion], on: datetime.date
) -> tuple[bool, datetime.date | None, str]:
    others_ok = all(c.met for c in criteria)
    short = sum(1 for t in tests if not t.ok)
    if others_ok and short == 0:
        valid_until = min(t.valid_until for t in tests if t.valid_until is not None)
        if valid_until <= on + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
            return True, valid_until, "expiring"
        return True, valid_until, "cleared"
    if others_ok and short == 1:
        return False, None, "one_short"
    return False, None, "not_ready"


def officer_readiness(*, officer: Officer, on: datetime.date, armed: bool = False) -> Readiness:
    """One officer's readiness, for their record and `/moi/` (a few queries)."""
    facts = _people(Officer.objects.filter(pk=officer.pk), on)[0]
    sittings = list(
        UnAssessment.objects.filter(officer_id=officer.pk)
        .order_by()
        .values_list("taken_on", "id", "test", "score", "passed")
    )
    return _readiness(facts, _test_results(sittings, on, armed), on, officer=officer)


@dataclass(frozen=True)
class _Facts:
    """What the rules read from the record about one officer."""

    id: int
    matricule: str
    name: str
    sex: str
    birth_date: datetime.date
    status: str
    service_from: datetime.date
    licence_since: datetime.date | None
    sanctioned: bool


SANCTION_FLAG, TRAINEE_FLAG = 2, 1


def _people(qs: QuerySet[Officer], on: datetime.date, *, with_record: bool = True) -> list[_Facts]:
    """The officers with their licence, sanctions and service start, in two queries.

    Sanctions and a trainee entry come from one probe of each officer's events; the first
    post after the school is read only for the (rare) careers that begin in training.
    `with_record` False: identity and position only (licence, sanctions, service unknown).
    """
    if not with_record:
        basics = qs.order_by().values_list(
            "id",
            "matricule",
            "family_name",
            "given_names",
            "sex",
            "birth_date",
            "status",
            "entry_date",
        )
        return [
            _Facts(
                pk, matricule, f"{family.upper()} {given}", sex, birth, status, entry, None, False
            )
            for pk, matricule, family, given, sex, birth, status, entry in basics
        ]
    licences = category_rows_held(category_code="driving", since=on, on=on)
    flags = (
        CareerEvent.objects.filter(
            officer_id=OuterRef("pk"),
            is_superseded=False,
            kind__in=(EventKind.SANCTION, EventKind.ENTRY),
        )
        .order_by()
        .values("officer_id")
        .annotate(
            f=Max(Case(When(kind=EventKind.SANCTION, then=Value(SANCTION_FLAG)), default=Value(0)))
            + Max(
                Case(
                    When(kind=EventKind.ENTRY, status=Status.TRAINING, then=Value(TRAINEE_FLAG)),
                    default=Value(0),
                )
            )
        )
        .values("f")
    )
    rows: Any = qs.order_by().annotate(
        licence_since=Subquery(
            licences.filter(officer_id=OuterRef("pk"))
            .order_by()
            .values("officer_id")
            .annotate(first=Min("obtained_on"))
            .values("first")
        ),
        flags=Subquery(flags, output_field=IntegerField()),
    )
    people = list(
        rows.values_list(
            "id",
            "matricule",
            "family_name",
            "given_names",
            "sex",
            "birth_date",
            "status",
            "entry_date",
            "licence_since",
            "flags",
        )
    )
    trainees = [row[0] for row in people if (row[9] or 0) & TRAINEE_FLAG]
    first_post: dict[int, datetime.date] = {}
    if trainees:
        first_post = dict(
            CareerEvent.objects.filter(
                officer_id__in=trainees,
                kind__in=(EventKind.STATUS, EventKind.SECONDMENT, EventKind.EXIT),
                is_superseded=False,
            )
            .exclude(status=Status.TRAINING)
            .order_by()
            .values("officer_id")
            .annotate(first=Min("effective_date"))
            .values_list("officer_id", "first")
        )
    return [
        _Facts(
            id=pk,
            matricule=matricule,
            name=f"{family.upper()} {given}",
            sex=sex,
            birth_date=birth,
            status=status,
            service_from=first_post.get(pk, entry) if (flag or 0) & TRAINEE_FLAG else entry,
            licence_since=licence,
            sanctioned=bool((flag or 0) & SANCTION_FLAG),
        )
        for pk, matricule, family, given, sex, birth, status, entry, licence, flag in people
    ]


def _records(ids: list[int], on: datetime.date) -> dict[int, _Facts]:
    """The record facts of these officers."""
    out: dict[int, _Facts] = {}
    for chunk in in_chunks(ids):
        out.update({f.id: f for f in _people(Officer.objects.filter(pk__in=chunk), on)})
    return out


def _readiness(
    facts: _Facts, tests: list[TestResult], on: datetime.date, officer: Officer | None = None
) -> Readiness:
    criteria = _criteria(
        birth_date=facts.birth_date,
        service_from=facts.service_from,
        licence_since=facts.licence_since,
        sanctioned=facts.sanctioned,
        status=facts.status,
        on=on,
    )
    cleared, valid_until, verdict = _classify(tests, criteria, on)
    return Readiness(
        facts.id,
        facts.matricule,
        facts.name,
        facts.sex,
        tests,
        criteria,
        cleared,
        valid_until,
        verdict,
        officer,
    )


Latest = dict[str, tuple[datetime.date | None, datetime.date | None]]  # test: (pass, fail)


def _latest_by_test(qs: QuerySet[Any]) -> dict[int, Latest]:
    """Per officer and test, the dates of the latest pass and of the latest failure."""
    columns: dict[str, Any] = {}
    for test in TEST_CODES:
        columns[f"p_{test}"] = Max("taken_on", filter=Q(test=test, passed=True))
        columns[f"f_{test}"] = Max("taken_on", filter=Q(test=test, passed=False))
    rows: Any = qs.order_by().values("officer_id").annotate(**columns)
    pairs = [(2 * i, test) for i, test in enumerate(TEST_CODES)]
    return {
        row[0]: {test: (row[1 + i], row[2 + i]) for i, test in pairs}
        for row in rows.values_list("officer_id", *columns)
    }


def _tests_verdict(
    latest: Latest, on: datetime.date, armed: bool
) -> tuple[int, datetime.date | None]:
    """How many required tests are not passed and valid on `on`, and when the clearance
    ends if none is missing — the verdict of `_test_results`, without its objects."""
    short = 0
    until: datetime.date | None = None
    for test in required_tests(armed):
        passed_on, failed_on = latest.get(test, (None, None))
        if passed_on is None or (failed_on is not None and failed_on > passed_on):
            short += 1
            continue
        valid_until = _valid_until(passed_on)
        if valid_until < on:
            short += 1
        elif until is None or valid_until < until:
            until = valid_until
    return short, (until if short == 0 else None)


def _record_ok(facts: _Facts, on: datetime.date) -> bool:
    """Age, service, licence and discipline all met (the criteria of `_criteria`)."""
    return all(
        c.met
        for c in _criteria(
            birth_date=facts.birth_date,
            service_from=facts.service_from,
            licence_since=facts.licence_since,
            sanctioned=facts.sanctioned,
            status=facts.status,
            on=on,
        )
    )


def _status(
    short: int, until: datetime.date | None, record_ok: bool, on: datetime.date
) -> tuple[bool, datetime.date | None, str]:
    """Cleared, until when, and the roster status (as `_classify`)."""
    if record_ok and short == 0 and until is not None:
        if until <= on + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
            return True, until, "expiring"
        return True, until, "cleared"
    if record_ok and short == 1:
        return False, None, "one_short"
    return False, None, "not_ready"


def un_readiness(
    *,
    viewer: User,
    perm: str,
    on: datetime.date,
    armed: bool = False,
    show: str = "cleared",
    offset: int = 0,
    limit: int = 50,
) -> Roster:
    """The roster of assessed officers in scope, with counts and the share of women cleared."""
    show = show if show in SHOW_CHOICES else "cleared"
    # Driven from the assessed officers (a few thousand), never from the whole force: their
    # latest sittings first (one grouped pass over the assessments, which also names
    # them), then the officers by primary key; the position is checked here, as a filter
    # on it would walk the status index instead.
    latest = _latest_by_test(UnAssessment.objects.all())
    scope = officer_scope_q(viewer, perm)
    people: list[_Facts] = []
    for chunk in in_chunks(sorted(latest)):
        people += _people(Officer.objects.filter(scope, pk__in=chunk), on, with_record=False)
    people = [f for f in people if f.status in IN_SERVICE_STATUSES]
    verdicts = {f.id: _tests_verdict(latest.get(f.id, {}), on, armed) for f in people}
    # Two tests short or more: not cleared whatever the record says. The record (licence,
    # sanctions, service) is read only for the others, then for the rows shown. Every
    # officer is counted from a light verdict; the full rows are built for the page only.
    contenders = [f.id for f in people if verdicts[f.id][0] <= 1]
    record = _records(contenders, on)
    everyone: list[tuple[_Facts, bool, datetime.date | None, str]] = []
    for f in people:
        short, until = verdicts[f.id]
        facts = record.get(f.id)
        cleared, valid_until, verdict = _status(
            short, until, facts is not None and _record_ok(facts, on), on
        )
        everyone.append((facts or f, cleared, valid_until, verdict))
    cleared_rows = [r for r in everyone if r[1]]
    shown = {
        "cleared": cleared_rows,
        "expiring": [r for r in everyone if r[3] == "expiring"],
        "one_short": [r for r in everyone if r[3] == "one_short"],
        "all": everyone,
    }[show]
    order = {"expiring": 0, "cleared": 1, "one_short": 2, "not_ready": 3}
    if show == "expiring":
        shown.sort(key=lambda r: (r[2] or datetime.date.max, r[0].name, r[0].matricule))
    else:
        shown.sort(key=lambda r: (order[r[3]] if show == "all" else 0, r[0].name, r[0].matricule))
    chosen = shown[offset : offset + limit]
    ids = [r[0].id for r in chosen]
    officers = Officer.objects.select_related("grade", "unit").in_bulk(ids)
    sittings: dict[int, list[Sitting]] = defaultdict(list)
    for officer_id, taken_on, pk, test, score, passed in (
        UnAssessment.objects.filter(officer_id__in=ids)
        .order_by()
        .values_list("officer_id", "taken_on", "id", "test", "score", "passed")
    ):
        sittings[officer_id].append((taken_on, pk, test, score, passed))
    unread = _records([r[0].id for r in chosen if r[0].id not in record], on)
    page: list[Readiness] = []
    for f, cleared, valid_until, verdict in chosen:
        facts = record.get(f.id) or unread.get(f.id)
        criteria = (
            _criteria(
                birth_date=facts.birth_date,
                service_from=facts.service_from,
                licence_since=facts.licence_since,
                sanctioned=facts.sanctioned,
                status=facts.status,
                on=on,
            )
            if facts is not None
            else []
        )
        # The same verdict, now with the scores of the sittings shown.
        page.append(
            Readiness(
                f.id,
                f.matricule,
                f.name,
                f.sex,
                _test_results(sittings[f.id], on, armed),
                criteria,
                cleared,
                valid_until,
                verdict,
                officers.get(f.id),
            )
        )
    return Roster(
        on=on,
        armed=armed,
        show=show,
        assessed=len(everyone),
        cleared=len(cleared_rows),
        expiring=len(shown) if show == "expiring" else sum(r[3] == "expiring" for r in everyone),
        one_short=sum(r[3] == "one_short" for r in everyone),
        women_cleared=sum(r[0].sex == Sex.FEMALE for r in cleared_rows),
        count=len(shown),
        rows=page,
    )
