"""The candidate search of a position: who is available, what each matches and lacks, ranked.

How it stays fast and constant-query over a whole force:
1. A prefilter reads the holders of the position's skills, languages and licences from
   their own indexes (one UNION ALL, grouped by officer): a candidate must hold enough of
   them to miss at most `max_missing` requirements (and at least one of them).
2. One query reads the candidates in the viewer's scope, in the pool, available over the
   period (`availability.available_q`), with what they hold for each requirement.
3. Python counts what each one misses, ranks them (RANKING_RULE) and keeps the page;
   two more queries explain the page: the rows behind each requirement, met or not.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.accounts.scopes import officer_scope_q
from matricule.core.dates import add_years, age_on
from matricule.core.models import Grade, Unit
from matricule.core.refcache import refdata
from matricule.deployments.models import (
    CEFR_BY_LEVEL,
    HOLDING_STATES,
    Assignment,
    Position,
    Requirement,
    RequirementKind,
)
from matricule.deployments.selectors.availability import (
    Period,
    available_q,
    unavailability_reasons,
)
from matricule.deployments.selectors.service import service_start_expression
from matricule.personnel.career import grade_in_force
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer, OfficerLanguage
from matricule.training.models import OfficerSkill
from matricule.training.selectors import licence_rows_held, officer_skill_rows, skill_rows_valid

if TYPE_CHECKING:
    from matricule.accounts.models import User

DEFAULT_MAX_MISSING = 2
MAX_MISSING_CHOICES = (0, 1, 2, 3)
EXPORT_LIMIT = 2000

RANKING_RULE = gettext_lazy(
    "Classement : 1) le moins d'exigences manquantes — ceux qui remplissent tout d'abord, "
    "puis les candidats proches ; 2) les niveaux de compétence et de langue au-dessus du "
    "minimum demandé (total des niveaux en plus) ; 3) l'équité de rotation : le plus long "
    "temps écoulé depuis la fin de la dernière mission (jamais déployé en tête) ; "
    "4) l'ancienneté de service (la plus ancienne en tête) ; 5) le matricule."
)
NEAR_RULE = gettext_lazy(
    "Candidats proches : au plus %(n)s exigence(s) manquante(s), en détenant au moins une "
    "des compétences, langues ou permis demandés. Seuls comptent les agents disponibles sur "
    "toute la période : en service, ni en congé, suspendus, en formation, en mission, "
    "détachés ou déjà affectés, et pas à la retraite avant la fin."
)


@dataclass
class SearchFilters:
    unit: Unit | None = None
    region_id: int | None = None
    grade: Grade | None = None
    max_missing: int = DEFAULT_MAX_MISSING
    include_unavailable: bool = False


@dataclass(frozen=True)
class Check:
    """One requirement for one officer: its French explanation and whether it is met."""

    code: str
    label: str
    met: bool


@dataclass
class Candidate:
    officer: Officer
    rank: int
    score: int
    missing: int
    surplus: int
    available: bool
    last_return: datetime.date | None
    service_start: datetime.date
    checks: list[Check] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)

    @property
    def matches(self) -> list[str]:
        return [c.label for c in self.checks if c.met]

    @property
    def lacks(self) -> list[str]:
        return [c.label for c in self.checks if not c.met]

    @property
    def full(self) -> bool:
        return self.missing == 0


@dataclass
class SearchResult:
    period: Period
    requirements: int
    total: int
    full: int
    rows: list[Candidate]
    offset: int
    max_missing: int

    @property
    def near(self) -> int:
        return self.total - self.full


@dataclass(frozen=True)
class _Row:
    """What the ranking needs about one candidate (one row of the candidates query)."""

    id: int
    matricule: str
    grade_id: int
    birth_date: datetime.date | None  # read only when age is a requirement
    service_start: datetime.date
    available: bool
    held: tuple[Any, ...]  # per requirement: level, or date obtained, or None


@dataclass
class _Ranked:
    row: _Row
    missing: int
    surplus: int
    last_return: datetime.date | None


def search_period(
    position: Position,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date,
) -> Period:
    """The period asked, by default the operation's dates from today on."""
    operation = position.operation
    first = start or max(operation.start_date, today)
    last = end if end is not None else operation.end_date
    if last is not None and last < first:
        last = first
    return Period(first, last)


def _grade_ids(position: Position, today: datetime.date) -> set[int] | None:
    """The grades (statute in force) between the position's minimum and maximum, or None."""
    if position.grade_min_id is None and position.grade_max_id is None:
        return None
    grades = refdata().grades_now
    by_id = {g.pk: g for g in grades}
    low = by_id.get(grade_in_force(position.grade_min_id, today)) if position.grade_min_id else None
    high = (
        by_id.get(grade_in_force(position.grade_max_id, today)) if position.grade_max_id else None
    )
    bound = low or high
    statute = bound.statute_id if bound is not None else None
    return {
        g.pk
        for g in grades
        if g.statute_id == statute
        and (low is None or g.order >= low.order)
        and (high is None or g.order <= high.order)
    }


def _held_expression(req: Requirement, period: Period) -> Subquery:
    """For the outer officer: best level held (skill, language), 1 for a licence, or NULL."""
    if req.kind == RequirementKind.LANGUAGE:
        assert req.language_id is not None
        return Subquery(
            OfficerLanguage.objects.filter(
                officer_id=OuterRef("pk"), language_id=req.language_id, spoken__gte=req.min_level
            ).values("spoken")[:1],
            output_field=IntegerField(),
        )
    assert req.skill_id is not None
    if req.kind == RequirementKind.LICENCE:
        rows = licence_rows_held(
            skill_id=req.skill_id,
            since=add_years(period.start, -req.years_held),
            end=period.last_day,
        )
        # Held or not is all the ranking needs (the page reads the dates again).
        return Subquery(
            rows.filter(officer_id=OuterRef("pk")).order_by().values(held=Value(1))[:1],
            output_field=IntegerField(),
        )
    rows = skill_rows_valid(
        skill_id=req.skill_id, min_level=req.min_level, start=period.start, end=period.last_day
    )
    return Subquery(
        rows.filter(officer_id=OuterRef("pk")).order_by("-level").values("level")[:1],
        output_field=IntegerField(),
    )


def _holders(req: Requirement, period: Period) -> QuerySet[Any]:
    """Officer ids holding the requirement, read from the requirement's own table."""
    if req.kind == RequirementKind.LANGUAGE:
        assert req.language_id is not None
        return OfficerLanguage.objects.filter(
            language_id=req.language_id, spoken__gte=req.min_level
        ).values("officer_id")
    assert req.skill_id is not None
    if req.kind == RequirementKind.LICENCE:
        rows = licence_rows_held(
            skill_id=req.skill_id,
            since=add_years(period.start, -req.years_held),
            end=period.last_day,
        )
    else:
        rows = skill_rows_valid(
            skill_id=req.skill_id, min_level=req.min_level, start=period.start, end=period.last_day
        )
    return rows.values("officer_id")


def holders_prefilter(reqs: list[Requirement], period: Period, at_least: int) -> RawSQL:
    """Officer ids holding `at_least` of the requirements: one UNION ALL, grouped by officer.

    Each branch is the ORM's own SQL for that requirement (same conditions as the
    per-officer check), so the prefilter can never drop a candidate the ranking keeps.
    """
    parts: list[str] = []
    params: list[Any] = []
    for i, req in enumerate(reqs):
        sql, branch_params = _holders(req, period).order_by().query.sql_with_params()
        parts.append(f"SELECT officer_id, {i} AS r FROM ({sql}) b{i}")  # noqa: S608 -- i is an int
        params.extend(branch_params)
    # UNION (not ALL) drops an officer's renewed rows of the same requirement by hashing;
    # COUNT(DISTINCT) would make PostgreSQL sort every holder instead.
    union = " UNION ".join(parts)
    sql = (
        f"SELECT officer_id FROM ({union}) m "  # noqa: S608 -- built from compiled queries
        "GROUP BY officer_id HAVING COUNT(*) >= %s"
    )
    # Every value is a parameter; the text is the ORM's own compiled SQL and fixed words.
    return RawSQL(sql, [*params, at_least])  # noqa: S611


def pool_queryset(
    *, viewer: User, perm: str, position: Position, filters: SearchFilters
) -> QuerySet[Officer]:
    """Officers in the viewer's scope and in the position's pool (sex, unit, region)."""
    qs = Officer.objects.filter(officer_scope_q(viewer, perm), status__in=IN_SERVICE_STATUSES)
    if position.sex:
        qs = qs.filter(sex=position.sex)
    if position.pool_unit_id is not None:
        qs = qs.filter(unit_id__in=Unit.objects.get(pk=position.pool_unit_id).subtree_ids())
    if position.pool_region_id is not None:
        qs = qs.filter(unit__region_id=position.pool_region_id)
    if filters.unit is not None:
        qs = qs.filter(unit_id__in=filters.unit.subtree_ids())
    if filters.region_id:
        qs = qs.filter(unit__region_id=filters.region_id)
    if filters.grade is not None:
        qs = qs.filter(grade_id=filters.grade.pk)
    return qs


def _rows(
    *,
    viewer: User,
    perm: str,
    position: Position,
    reqs: list[Requirement],
    filters: SearchFilters,
    period: Period,
    today: datetime.date,
) -> list[_Row]:
    qs = pool_queryset(viewer=viewer, perm=perm, position=position, filters=filters)
    table_reqs = len(reqs)
    if table_reqs:
        at_least = max(1, table_reqs - filters.max_missing)
        qs = qs.filter(pk__in=holders_prefilter(reqs, period, at_least))
    condition = available_q(period, today=today)
    if filters.include_unavailable:
        qs = qs.annotate(is_free=ExpressionWrapper(condition, output_field=BooleanField()))
    else:
        qs = qs.filter(condition).annotate(is_free=Value(True, output_field=BooleanField()))
    annotations: dict[str, Any] = {f"h{i}": _held_expression(r, period) for i, r in enumerate(reqs)}
    fields = ["id", "matricule", "grade_id", "entry_date", "is_free", *annotations]
    # Dates cost a conversion per row: birth date and service start only when required.
    with_age = position.age_min is not None or position.age_max is not None
    if with_age:
        fields.append("birth_date")
    if position.service_years_min is not None:
        annotations["service_from"] = service_start_expression()
        fields.append("service_from")
    rows = []
    for value in qs.annotate(**annotations).order_by().values_list(*fields):
        data = dict(zip(fields, value, strict=True))
        rows.append(
            _Row(
                id=data["id"],
                matricule=data["matricule"],
                grade_id=data["grade_id"],
                birth_date=data["birth_date"] if with_age else None,
                service_start=data.get("service_from") or data["entry_date"],
                available=bool(data["is_free"]),
                held=tuple(data[f"h{i}"] for i in range(table_reqs)),
            )
        )
    return rows


def last_returns(*, before: datetime.date) -> dict[int, datetime.date]:
    """Officer id → last day of their latest mission that ended before `before`."""
    return dict(
        Assignment.objects.filter(state__in=HOLDING_STATES, end_date__lt=before)
        .values("officer_id")
        .annotate(last=Max("end_date"))
        .values_list("officer_id", "last")
    )


@dataclass(frozen=True)
class _Columns:
    """The requirements read from the record itself: grade range, years of service, age."""

    grade_ids: set[int] | None
    service_years: int | None
    age_min: int | None
    age_max: int | None

    def count(self) -> int:
        return sum(x is not None for x in (self.grade_ids, self.service_years)) + int(
            self.age_min is not None or self.age_max is not None
        )

    def missing(self, row: _Row, start: datetime.date) -> int:
        n = 0
        if self.grade_ids is not None and row.grade_id not in self.grade_ids:
            n += 1
        if (
            self.service_years is not None
            and add_years(row.service_start, self.service_years) > start
        ):
            n += 1
        if row.birth_date is not None and (self.age_min is not None or self.age_max is not None):
            age = age_on(row.birth_date, start)
            if (self.age_min is not None and age < self.age_min) or (
                self.age_max is not None and age > self.age_max
            ):
                n += 1
        return n


def _rank(
    rows: list[_Row],
    reqs: list[Requirement],
    columns: _Columns,
    period: Period,
    max_missing: int,
) -> list[_Ranked]:
    returns = last_returns(before=period.start)
    ranked = []
    for row in rows:
        missing = columns.missing(row, period.start)
        surplus = 0
        for req, held in zip(reqs, row.held, strict=True):
            if held is None:
                missing += 1
            elif req.kind != RequirementKind.LICENCE:
                surplus += int(held) - req.min_level
        if missing <= max_missing:
            ranked.append(_Ranked(row, missing, surplus, returns.get(row.id)))
    ranked.sort(
        key=lambda r: (
            not r.row.available,
            r.missing,
            -r.surplus,
            r.last_return or datetime.date.min,
            r.row.service_start,
            r.row.matricule,
        )
    )
    return ranked


def candidate_search(
    *,
    viewer: User,
    perm: str,
    position: Position,
    period: Period,
    filters: SearchFilters,
    offset: int = 0,
    limit: int = 50,
    today: datetime.date,
) -> SearchResult:
    """Ranked, explained candidates for `position` over `period` (see the module)."""
    reqs = list(position.requirements.select_related("skill", "language").order_by("id"))
    columns = _Columns(
        grade_ids=_grade_ids(position, today),
        service_years=position.service_years_min,
        age_min=position.age_min,
        age_max=position.age_max,
    )
    rows = _rows(
        viewer=viewer,
        perm=perm,
        position=position,
        reqs=reqs,
        filters=filters,
        period=period,
        today=today,
    )
    ranked = _rank(rows, reqs, columns, period, filters.max_missing)
    page = ranked[offset : offset + limit]
    candidates = explain(
        page=page,
        reqs=reqs,
        columns=columns,
        position=position,
        period=period,
        offset=offset,
        today=today,
    )
    return SearchResult(
        period=period,
        requirements=len(reqs) + columns.count(),
        total=len(ranked),
        full=sum(1 for r in ranked if r.missing == 0 and r.row.available),
        rows=candidates,
        offset=offset,
        max_missing=filters.max_missing,
    )


# --- Explanations (the page only) --------------------------------------------------------


def _duration(start: datetime.date, end: datetime.date) -> str:
    """'8 mois', '1 an', '2 ans et 3 mois' between two dates (0 mois when not after)."""
    months = max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))
    years, rest = divmod(months, 12)
    if not years:
        return _("%(n)s mois") % {"n": rest}
    text = _("1 an") if years == 1 else _("%(n)s ans") % {"n": years}
    if rest:
        text = _("%(y)s et %(n)s mois") % {"y": text, "n": rest}
    return text


def _years(n: int) -> str:
    return _("1 an") if n == 1 else _("%(n)s ans") % {"n": n}


def _cefr(level: int) -> str:
    return CEFR_BY_LEVEL.get(level, str(level))


def _skill_check(req: Requirement, rows: list[OfficerSkill], period: Period) -> Check:
    assert req.skill is not None
    name = req.skill.name
    code = f"skill:{req.skill.code}"
    good = [
        r
        for r in rows
        if r.confirmed
        and r.level >= req.min_level
        and r.obtained_on <= period.start
        and (r.expires_on is None or r.expires_on >= period.last_day)
    ]
    if good:
        best = max(good, key=lambda r: (r.level, r.expires_on or datetime.date.max))
        until = (
            _("valide jusqu'au %(d)s") % {"d": f"{best.expires_on:%d/%m/%Y}"}
            if best.expires_on
            else _("sans date d'expiration")
        )
        return Check(
            code,
            _("%(skill)s niveau %(n)s (requis %(m)s), %(until)s")
            % {"skill": name, "n": best.level, "m": req.min_level, "until": until},
            True,
        )
    confirmed = [r for r in rows if r.confirmed]
    at_level = [r for r in confirmed if r.level >= req.min_level]
    if at_level:
        late = [r for r in at_level if r.obtained_on > period.start]
        if late and len(late) == len(at_level):
            first = min(late, key=lambda r: r.obtained_on)
            label = _(
                "%(skill)s niveau %(n)s obtenue le %(d)s, après le début (%(s)s) : manque"
            ) % {
                "skill": name,
                "n": first.level,
                "d": f"{first.obtained_on:%d/%m/%Y}",
                "s": f"{period.start:%d/%m/%Y}",
            }
            return Check(code, label, False)
        expiry = max(r.expires_on for r in at_level if r.expires_on is not None)
        if expiry < period.start:
            label = _("%(skill)s niveau %(n)s expirée le %(d)s : manque") % {
                "skill": name,
                "n": req.min_level,
                "d": f"{expiry:%d/%m/%Y}",
            }
        else:
            label = _(
                "%(skill)s niveau %(n)s valide jusqu'au %(d)s seulement, requise jusqu'au "
                "%(e)s : manque"
            ) % {
                "skill": name,
                "n": req.min_level,
                "d": f"{expiry:%d/%m/%Y}",
                "e": f"{period.last_day:%d/%m/%Y}",
            }
        return Check(code, label, False)
    if confirmed:
        best_level = max(r.level for r in confirmed)
        return Check(
            code,
            _("%(skill)s niveau %(n)s, requis %(m)s : manque")
            % {"skill": name, "n": best_level, "m": req.min_level},
            False,
        )
    if rows:
        return Check(
            code,
            _("%(skill)s déclarée, non vérifiée (requis niveau %(m)s) : manque")
            % {"skill": name, "m": req.min_level},
            False,
        )
    return Check(
        code,
        _("%(skill)s niveau %(m)s requis : non détenue, manque")
        % {"skill": name, "m": req.min_level},
        False,
    )


def _licence_check(req: Requirement, rows: list[OfficerSkill], period: Period) -> Check:
    assert req.skill is not None
    name = req.skill.name
    code = f"licence:{req.skill.code}"
    since = add_years(period.start, -req.years_held)
    valid = [
        r for r in rows if r.confirmed and (r.expires_on is None or r.expires_on >= period.last_day)
    ]
    if valid:
        first = min(valid, key=lambda r: r.obtained_on)
        held = _duration(first.obtained_on, period.start)
        if first.obtained_on <= since:
            label = (
                _("%(skill)s depuis %(held)s (requis %(years)s)")
                % {"skill": name, "held": held, "years": _years(req.years_held)}
                if req.years_held
                else _("%(skill)s détenu depuis le %(d)s")
                % {"skill": name, "d": f"{first.obtained_on:%d/%m/%Y}"}
            )
            return Check(code, label, True)
        if first.obtained_on > period.start:
            label = _("%(skill)s obtenu le %(d)s, après le début : manque") % {
                "skill": name,
                "d": f"{first.obtained_on:%d/%m/%Y}",
            }
        else:
            label = _("%(skill)s depuis %(held)s, requis %(years)s : manque") % {
                "skill": name,
                "held": held,
                "years": _years(req.years_held),
            }
        return Check(code, label, False)
    if any(r.confirmed for r in rows):
        return Check(code, _("%(skill)s expiré : manque") % {"skill": name}, False)
    if rows:
        return Check(code, _("%(skill)s déclaré, non vérifié : manque") % {"skill": name}, False)
    return Check(code, _("%(skill)s non détenu : manque") % {"skill": name}, False)


def _language_check(req: Requirement, spoken: int | None) -> Check:
    assert req.language is not None
    name = req.language.name
    code = f"language:{req.language.code}"
    wanted = _cefr(req.min_level)
    if spoken is None:
        return Check(
            code,
            _("%(lang)s non parlé, requis %(m)s : manque") % {"lang": name, "m": wanted},
            False,
        )
    if spoken >= req.min_level:
        return Check(
            code,
            _("%(lang)s %(n)s (requis %(m)s)") % {"lang": name, "n": _cefr(spoken), "m": wanted},
            True,
        )
    return Check(
        code,
        _("%(lang)s %(n)s, requis %(m)s : manque")
        % {"lang": name, "n": _cefr(spoken), "m": wanted},
        False,
    )


def _column_checks(
    officer: Officer, row: _Row, position: Position, columns: _Columns, period: Period
) -> list[Check]:
    checks = []
    start = period.start
    if columns.grade_ids is not None:
        low = position.grade_min.name if position.grade_min else _("tout grade")
        high = position.grade_max.name if position.grade_max else _("tout grade")
        wanted = _("%(a)s à %(b)s") % {"a": low, "b": high} if low != high else low
        met = row.grade_id in columns.grade_ids
        label = (
            _("Grade %(g)s (requis %(w)s)") if met else _("Grade %(g)s, requis %(w)s : manque")
        ) % {"g": officer.grade.name, "w": wanted}
        checks.append(Check("grade", label, met))
    if columns.service_years is not None:
        years = age_on(row.service_start, start)
        met = add_years(row.service_start, columns.service_years) <= start
        label = (
            _("%(n)s ans de service (requis %(m)s)")
            if met
            else _("%(n)s ans de service, requis %(m)s : manque")
        ) % {"n": years, "m": columns.service_years}
        checks.append(Check("service", label, met))
    if columns.age_min is not None or columns.age_max is not None:
        age = age_on(officer.birth_date, start)
        if columns.age_min is not None and columns.age_max is not None:
            wanted = _("%(a)s à %(b)s ans") % {"a": columns.age_min, "b": columns.age_max}
        elif columns.age_min is not None:
            wanted = _("%(a)s ans au moins") % {"a": columns.age_min}
        else:
            wanted = _("%(b)s ans au plus") % {"b": columns.age_max}
        met = not (
            (columns.age_min is not None and age < columns.age_min)
            or (columns.age_max is not None and age > columns.age_max)
        )
        label = (
            _("Âge %(n)s ans (requis %(w)s)") if met else _("Âge %(n)s ans, requis %(w)s : manque")
        ) % {
            "n": age,
            "w": wanted,
        }
        checks.append(Check("age", label, met))
    return checks


def explain(
    *,
    page: list[_Ranked],
    reqs: list[Requirement],
    columns: _Columns,
    position: Position,
    period: Period,
    offset: int,
    today: datetime.date,
) -> list[Candidate]:
    """The page's candidates with their checks, in a constant number of queries."""
    ids = [r.row.id for r in page]
    officers = Officer.objects.select_related("grade", "unit", "unit__region", "corps").in_bulk(ids)
    skill_ids = [r.skill_id for r in reqs if r.skill_id is not None]
    skill_rows: dict[tuple[int, int], list[OfficerSkill]] = defaultdict(list)
    for row in officer_skill_rows(officer_ids=ids, skill_ids=skill_ids):
        skill_rows[(row.officer_id, row.skill_id)].append(row)
    language_ids = [r.language_id for r in reqs if r.language_id is not None]
    spoken: dict[tuple[int, int], int] = {}
    if language_ids and ids:
        spoken = {
            (o, lang): level
            for o, lang, level in OfficerLanguage.objects.filter(
                officer_id__in=ids, language_id__in=language_ids
            ).values_list("officer_id", "language_id", "spoken")
        }
    busy = [officers[r.row.id] for r in page if not r.row.available]
    reasons = unavailability_reasons(officers=busy, period=period, today=today) if busy else {}
    total = len(reqs) + columns.count()
    out = []
    for index, ranked in enumerate(page):
        officer = officers[ranked.row.id]
        checks = _column_checks(officer, ranked.row, position, columns, period)
        for req in reqs:
            if req.kind == RequirementKind.LANGUAGE:
                assert req.language_id is not None
                checks.append(_language_check(req, spoken.get((officer.pk, req.language_id))))
            elif req.kind == RequirementKind.LICENCE:
                assert req.skill_id is not None
                checks.append(_licence_check(req, skill_rows[(officer.pk, req.skill_id)], period))
            else:
                assert req.skill_id is not None
                checks.append(_skill_check(req, skill_rows[(officer.pk, req.skill_id)], period))
        met = total - ranked.missing
        out.append(
            Candidate(
                officer=officer,
                rank=offset + index + 1,
                score=round(100 * met / total) if total else 100,
                missing=ranked.missing,
                surplus=ranked.surplus,
                available=ranked.row.available,
                last_return=ranked.last_return,
                service_start=ranked.row.service_start,
                checks=checks,
                unavailable=reasons.get(officer.pk, []),
            )
        )
    return out


def rotation_label(candidate: Candidate, period: Period) -> str:
    """« Jamais déployé » or « Dernière mission terminée il y a 420 jours (le 12/03/2025) »."""
    if candidate.last_return is None:
        return _("Jamais déployé")
    days = (period.start - candidate.last_return).days
    return _("Dernière mission terminée il y a %(n)s jours (le %(d)s)") % {
        "n": days,
        "d": f"{candidate.last_return:%d/%m/%Y}",
    }


def seniority_label(candidate: Candidate) -> str:
    return _("En service depuis le %(d)s") % {"d": f"{candidate.service_start:%d/%m/%Y}"}
