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
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.accounts.scopes import officer_scope_q
from matricule.core.dates import add_months, add_years, age_on
from matricule.deployments.models import LANGUAGE_PASS_MARK, UnAssessment, UnTest
from matricule.deployments.selectors.service import service_start_expression
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


@dataclass(frozen=True)
class TestResult:
    test: str
    label: str
    taken_on: datetime.date | None
    score: Decimal | None
    passed: bool
    valid_until: datetime.date | None
    state: str  # passed | failed | expired | missing

    @property
    def ok(self) -> bool:
        return self.state == "passed"

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
    code: str
    label: str
    met: bool


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


def required_tests(armed: bool) -> tuple[str, ...]:
    return (*BASE_TESTS, UnTest.FIREARMS) if armed else BASE_TESTS


def _test_results(
    rows: list[tuple[str, datetime.date, Decimal | None, bool]], on: datetime.date, armed: bool
) -> list[TestResult]:
    latest: dict[str, tuple[datetime.date, Decimal | None, bool]] = {}
    for test, taken_on, score, passed in rows:  # ordered by date: the last one wins
        latest[test] = (taken_on, score, passed)
    out = []
    for test in required_tests(armed):
        label = str(UnTest(test).label)
        if test not in latest:
            out.append(TestResult(test, label, None, None, False, None, "missing"))
            continue
        taken_on, score, passed = latest[test]
        if test == UnTest.LANGUAGE:
            passed = score is not None and score >= LANGUAGE_PASS_MARK
        valid_until = add_months(taken_on, VALIDITY_MONTHS) if passed else None
        if not passed:
            state = "failed"
        elif valid_until is not None and valid_until < on:
            state = "expired"
        else:
            state = "passed"
        out.append(TestResult(test, label, taken_on, score, passed, valid_until, state))
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
    age = age_on(birth_date, on)
    service = age_on(service_from, on)
    out = [
        Criterion(
            "age",
            _("Âge : %(n)s ans (de %(a)s à %(b)s)") % {"n": age, "a": AGE_MIN, "b": AGE_MAX},
            AGE_MIN <= age <= AGE_MAX,
        ),
        Criterion(
            "service",
            _("Service : %(n)s ans hors formation initiale (%(m)s au moins)")
            % {"n": service, "m": SERVICE_YEARS},
            add_years(service_from, SERVICE_YEARS) <= on,
        ),
    ]
    if licence_since is None:
        out.append(Criterion("licence", _("Permis de conduire vérifié : aucun"), False))
    else:
        months = (on.year - licence_since.year) * 12 + on.month - licence_since.month
        months -= on.day < licence_since.day
        held = (
            _("%(n)s mois") % {"n": months}
            if months < 12
            else _("%(n)s an(s)") % {"n": months // 12}
        )
        out.append(
            Criterion(
                "licence",
                _("Permis de conduire depuis %(h)s (1 an au moins)") % {"h": held},
                add_years(licence_since, LICENCE_YEARS) <= on,
            )
        )
    if status == Status.SUSPENDED:
        out.append(Criterion("discipline", _("Discipline : suspendu, procédure en cours"), False))
    elif sanctioned:
        out.append(Criterion("discipline", _("Discipline : sanction inscrite au dossier"), False))
    else:
        out.append(Criterion("discipline", _("Discipline : aucune sanction ni procédure"), True))
    return out


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
    rows = list(
        _annotated(Officer.objects.filter(pk=officer.pk), on).values_list(
            "licence_since", "sanctioned", "service_from", "status"
        )
    )
    licence_since, sanctioned, service_from, status = rows[0]
    results = list(
        UnAssessment.objects.filter(officer_id=officer.pk)
        .order_by("taken_on", "id")
        .values_list("test", "taken_on", "score", "passed")
    )
    tests = _test_results(results, on, armed)
    criteria = _criteria(
        birth_date=officer.birth_date,
        service_from=service_from,
        licence_since=licence_since,
        sanctioned=sanctioned,
        status=status,
        on=on,
    )
    cleared, valid_until, verdict = _classify(tests, criteria, on)
    return Readiness(
        officer.pk,
        officer.matricule,
        officer.full_name,
        officer.sex,
        tests,
        criteria,
        cleared,
        valid_until,
        verdict,
        officer,
    )


def _annotated(qs: QuerySet[Officer], on: datetime.date) -> QuerySet[Any]:
    """The officers with what readiness reads from the record: licence, sanctions, service."""
    licences = category_rows_held(category_code="driving", since=on, on=on)
    return qs.annotate(
        licence_since=Subquery(
            licences.filter(officer_id=OuterRef("pk"))
            .order_by("obtained_on")
            .values("obtained_on")[:1]
        ),
        sanctioned=Exists(
            CareerEvent.objects.filter(
                officer_id=OuterRef("pk"), kind=EventKind.SANCTION, is_superseded=False
            )
        ),
        service_from=service_start_expression(),
    )


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
    base = Officer.objects.filter(
        officer_scope_q(viewer, perm),
        status__in=IN_SERVICE_STATUSES,
    ).filter(Exists(UnAssessment.objects.filter(officer_id=OuterRef("pk"))))
    people = list(
        _annotated(base, on).values_list(
            "id",
            "matricule",
            "family_name",
            "given_names",
            "sex",
            "birth_date",
            "status",
            "licence_since",
            "sanctioned",
            "service_from",
        )
    )
    results: dict[int, list[tuple[str, datetime.date, Decimal | None, bool]]] = defaultdict(list)
    for officer_id, test, taken_on, score, passed in (
        UnAssessment.objects.filter(officer_id__in=base.values("id"))
        .order_by("officer_id", "taken_on", "id")
        .values_list("officer_id", "test", "taken_on", "score", "passed")
    ):
        results[officer_id].append((test, taken_on, score, passed))
    everyone: list[Readiness] = []
    for pk, matricule, family, given, sex, birth, status, licence, sanctioned, served in people:
        tests = _test_results(results.get(pk, []), on, armed)
        criteria = _criteria(
            birth_date=birth,
            service_from=served,
            licence_since=licence,
            sanctioned=sanctioned,
            status=status,
            on=on,
        )
        cleared, valid_until, verdict = _classify(tests, criteria, on)
        everyone.append(
            Readiness(
                pk,
                matricule,
                f"{family.upper()} {given}",
                sex,
                tests,
                criteria,
                cleared,
                valid_until,
                verdict,
            )
        )
    cleared_rows = [r for r in everyone if r.cleared]
    shown = {
        "cleared": cleared_rows,
        "expiring": [r for r in everyone if r.status == "expiring"],
        "one_short": [r for r in everyone if r.status == "one_short"],
        "all": everyone,
    }[show]
    order = {"expiring": 0, "cleared": 1, "one_short": 2, "not_ready": 3}
    if show == "expiring":
        shown.sort(key=lambda r: (r.valid_until or datetime.date.max, r.name, r.matricule))
    else:
        shown.sort(key=lambda r: (order[r.status] if show == "all" else 0, r.name, r.matricule))
    page = shown[offset : offset + limit]
    officers = Officer.objects.select_related("grade", "unit").in_bulk([r.officer_id for r in page])
    for row in page:
        row.officer = officers.get(row.officer_id)
    return Roster(
        on=on,
        armed=armed,
        show=show,
        assessed=len(everyone),
        cleared=len(cleared_rows),
        expiring=len(shown)
        if show == "expiring"
        else sum(r.status == "expiring" for r in everyone),
        one_short=sum(r.status == "one_short" for r in everyone),
        women_cleared=sum(r.sex == Sex.FEMALE for r in cleared_rows),
        count=len(shown),
        rows=page,
    )
