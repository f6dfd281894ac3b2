"""Reads of officer records, always through the viewer's scopes."""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Upper
from django.http import Http404
from django.utils import timezone

from matricule.accounts.roles import ROLE_PERMISSIONS, Perm
from matricule.accounts.scopes import officer_scope_q
from matricule.core.dates import add_years
from matricule.core.models import Establishment, Grade, Unit
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel import hooks
from matricule.personnel.access import SENSITIVE, record_access_log
from matricule.personnel.career import Situation, grade_in_force, replay
from matricule.personnel.models import (
    IN_SERVICE_STATUSES,
    CareerEvent,
    Channel,
    CommandRole,
    DisciplinaryCase,
    EventKind,
    LegacyIdentifier,
    NameWord,
    Officer,
    OfficerLanguage,
    fold,
)

if TYPE_CHECKING:
    from matricule.accounts.models import RoleGrant, User

# A NINA names one person (two records at most, in two agencies): more is not a lookup.
NINA_LOG_MAX = 20
MATRICULE_RE = re.compile(r"^[A-Z]{1,4}\d{3,10}[A-Z]?$")
NINA_RE = re.compile(r"^\d{14}[A-Z]?$")
# An old personnel number: digits, possibly with letters, dashes or slashes (no spaces).
LEGACY_RE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9/.\-]{2,59}$")

SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "matricule": ("matricule",),
    "-matricule": ("-matricule",),
    "grade": ("grade__order", "sort_name", "id"),
    "-grade": ("-grade__order", "sort_name", "id"),
    "entry": ("entry_date", "id"),
    "-entry": ("-entry_date", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
}
AGE_BANDS = {
    "18-29": (18, 29),
    "30-39": (30, 39),
    "40-49": (40, 49),
    "50-54": (50, 54),
    "55-59": (55, 59),
    "60+": (60, 120),
}


@dataclass
class OfficerFilters:
    q: str = ""
    unit: Unit | None = None
    grade: Grade | None = None
    corps_id: int | None = None
    # The corps of origin (an agency) of officers seconded from other corps.
    origin_agency_id: int | None = None
    # Secondments ending within this many days from today.
    secondment_within: int | None = None
    status: str = ""
    sex: str = ""
    region_id: int | None = None
    age_band: str = ""
    sort: str = "name"
    extra: dict[str, Any] = field(default_factory=dict)
    # Skill search (training app): (skill id, minimum level) all required, valid on `valid_on`
    # (today when None); spoken languages as (language id, minimum level).
    skills: list[tuple[int, int]] = field(default_factory=list)
    languages: list[tuple[int, int]] = field(default_factory=list)
    valid_on: datetime.date | None = None


def officer_base(*, viewer: User, perm: str = Perm.PERSONNEL_VIEW) -> QuerySet[Officer]:
    return Officer.objects.filter(officer_scope_q(viewer, perm))


def officer_list(
    *, viewer: User, filters: OfficerFilters, channel: str = Channel.SCREEN
) -> QuerySet[Officer]:
    """Officers the viewer may see, filtered and sorted, ready for a page of rows.

    A search by NINA reaches only the officers whose NINA the viewer may see (it would
    otherwise confirm a hidden number) and is logged as a read of their identity.
    """
    qs = officer_base(viewer=viewer)
    nina = nina_query(filters.q)
    if nina:
        qs = qs.filter(officer_scope_q(viewer, Perm.SEE_IDENTITY), nina__startswith=nina)
        found = list(qs.values_list("id", flat=True)[:NINA_LOG_MAX])
        record_access_log(viewer=viewer, officers=found, channel=channel, classes=["identity"])
    qs = apply_filters(qs, filters)
    order: tuple[Any, ...] = SORTS.get(filters.sort, SORTS["name"])
    if filters.q and filters.sort in ("name", "-name") and not _is_code(filters.q):
        # A name search matches a few thousand officers at most: sorting them is cheap,
        # whereas walking the name index (the planner's usual choice with LIMIT) reads
        # most of the force before it meets the first "Maïga". Upper() sorts the same
        # names in the same order but cannot use that index.
        desc = filters.sort.startswith("-")
        keys: list[Any] = [Upper("sort_name"), F("id")]
        order = tuple(k.desc() if desc else k.asc() for k in keys)
    return qs.select_related("grade", "unit").order_by(*order)


def nina_query(text: str) -> str:
    """The NINA a search text names ("" when it is a name or a matricule)."""
    upper = text.strip().upper().replace(" ", "")
    return upper if NINA_RE.match(upper) else ""


def _is_code(text: str) -> bool:
    upper = text.upper().replace(" ", "")
    return bool(NINA_RE.match(upper) or MATRICULE_RE.match(upper) or LEGACY_RE.match(upper))


def apply_filters(qs: QuerySet[Officer], filters: OfficerFilters) -> QuerySet[Officer]:
    text = filters.q.strip()
    if text:
        upper = text.upper().replace(" ", "")
        if NINA_RE.match(upper):
            qs = qs.filter(nina__startswith=upper)
        elif MATRICULE_RE.match(upper):
            qs = qs.filter(
                Q(matricule__startswith=upper)
                | Q(id__in=LegacyIdentifier.objects.filter(value=upper).values("officer_id"))
            )
        elif LEGACY_RE.match(upper):
            # A legacy identifier (old personnel number) is searched like a matricule.
            qs = qs.filter(
                Q(id__in=LegacyIdentifier.objects.filter(value=upper).values("officer_id"))
                | name_words_q(fold(text).split()[:5])
            )
        else:
            qs = qs.filter(name_words_q(fold(text).split()[:5]))
    if filters.unit is not None:
        qs = qs.filter(unit_id__in=filters.unit.subtree_ids())
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.corps_id:
        qs = qs.filter(corps_id=filters.corps_id)
    if filters.origin_agency_id:
        corps_ids = [c.pk for c in refdata().corps if c.agency_id == filters.origin_agency_id]
        qs = qs.filter(corps_id__in=corps_ids)
    if filters.secondment_within:
        today = timezone.localdate()
        # Overdue ones too (the end passed, neither renewal nor return recorded yet).
        qs = qs.filter(
            secondment_end__lte=today + datetime.timedelta(days=filters.secondment_within),
            status__in=IN_SERVICE_STATUSES,
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.region_id:
        qs = qs.filter(unit__region_id=filters.region_id)
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        today = timezone.localdate()
        youngest = _years_before(today, low)
        oldest = _years_before(today, high + 1)
        qs = qs.filter(birth_date__lte=youngest, birth_date__gt=oldest)
    if filters.skills or filters.languages:
        qs = _skill_filter(qs, filters)
    return qs


def _skill_filter(qs: QuerySet[Officer], filters: OfficerFilters) -> QuerySet[Officer]:
    """One indexed EXISTS probe per required skill or language (all of them must hold).

    Skills are the training app's: it registers the condition in `hooks.skill_conditions`.
    """
    day = filters.valid_on or timezone.localdate()
    for skill_id, level in filters.skills:
        for condition in hooks.skill_conditions:
            qs = qs.filter(condition(skill_id, level, day))
    for language_id, level in filters.languages:
        qs = qs.filter(language_held(language_id=language_id, level=level))
    return qs


def language_held(*, language_id: int, level: int, outer: str = "pk") -> Exists:
    """EXISTS: the outer officer speaks the language at `level` or more (from the record)."""
    return Exists(
        OfficerLanguage.objects.filter(
            officer_id=OuterRef(outer), language_id=language_id, spoken__gte=level
        )
    )


def name_words_q(words: list[str]) -> Q:
    """Officers whose names have a word starting with each of `words`.

    Each word is an indexed range on the small word table, used as a subquery; with
    the scope given as lists of unit ids, both databases start from those few matches.
    """
    return Q(*[Q(id__in=words_starting_with(word)) for word in words])


def words_starting_with(prefix: str) -> QuerySet[NameWord, Any]:
    """Officer ids having a name word that starts with `prefix`, as an indexed range.

    The upper bound is the prefix with its last character incremented ("maiga" →
    "maigb"): a range both databases answer from the index, unlike LIKE 'maiga%'.
    """
    prefix = prefix[:40]
    upper = prefix_upper_bound(prefix)
    words = NameWord.objects.filter(word__gte=prefix)
    if upper is not None:
        words = words.filter(word__lt=upper)
    return words.values("officer_id")


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest text greater than every text starting with `prefix` ("maiga" → "maigb").

    The last character that can be incremented is, skipping the surrogates (no database
    stores them); trailing U+10FFFF are dropped. None when the prefix is only U+10FFFF
    characters: nothing bounds it from above.
    """
    text = prefix.rstrip(chr(sys.maxunicode))
    if not text:
        return None
    following = ord(text[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return text[:-1] + chr(following)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return add_years(day, -years)


def officer_get(*, viewer: User, matricule: str, for_edit: bool = False) -> Officer:
    """The officer if the viewer may see them: 404 for strangers, 403 for read-only viewers."""
    officer = (
        officer_base(viewer=viewer)
        .select_related(
            "agency",
            "grade",
            "grade__statute",
            "corps",
            "unit",
            "unit__region",
            "host_unit",
            "host_unit__agency",
        )
        .filter(matricule=matricule)
        .first()
    )
    if officer is None:
        raise Http404
    if for_edit and Perm.PERSONNEL_EDIT not in viewer_perms_for(viewer, officer):
        raise PermissionDenied
    return officer


def officer_read(
    *,
    viewer: User,
    matricule: str,
    shows: str,
    sensitive: tuple[str, ...] = (),
    channel: str = Channel.SCREEN,
    for_edit: bool = False,
    log: bool = True,
) -> Officer:
    """`officer_get` for every page, file or answer that shows the record: the read is logged.

    `shows` names what the view shows (record, career, documents, training, card,
    biometric…) and `sensitive` the sensitive classes it shows to those allowed to see
    them (identity, health, discipline, biometric); the log names those the viewer holds.
    `log=False` for a request that shows nothing (a POST that redirects).
    """
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=for_edit)
    if log:
        perms = viewer_perms_for(viewer, officer)
        seen = [name for name in sensitive if SENSITIVE[name] in perms and name != shows]
        record_access_log(
            viewer=viewer, officers=[officer], channel=channel, classes=[shows, *seen]
        )
    return officer


def _grant_covers(grant: RoleGrant, officer: Officer) -> bool:
    def inside(unit: Unit | None) -> bool:
        if unit is None or unit.agency_id != grant.agency_id:
            return False
        return grant.unit is None or unit.path.startswith(grant.unit.path)

    return inside(officer.unit) or inside(officer.host_unit)


def viewer_perms_for(viewer: User, officer: Officer) -> set[str]:
    """Permissions the viewer holds over this officer, from the grants that cover them."""
    perms: set[str] = set()
    for grant in viewer.active_grants:
        if _grant_covers(grant, officer):
            perms |= ROLE_PERMISSIONS.get(grant.role, frozenset())
    return perms


def discipline_since(*, viewer: User, officer: Officer) -> datetime.date | None:
    """The first date of the officer's sanctions the viewer may see (None: all of them).

    Sanctions from before a secondment stay with the home agency: a viewer whose right to
    see discipline comes only from the host agency (an OCS clerk, for a police officer
    seconded to the OCS) sees those recorded since the secondment began.
    """
    home = False
    for grant in viewer.active_grants:
        if Perm.SEE_DISCIPLINE not in ROLE_PERMISSIONS.get(grant.role, frozenset()):
            continue
        unit = officer.unit
        if unit.agency_id == grant.agency_id and (
            grant.unit is None or unit.path.startswith(grant.unit.path)
        ):
            home = True
            break
    if home or officer.host_unit_id is None:
        return None
    start = (
        officer.events.filter(kind=EventKind.SECONDMENT, is_superseded=False)
        .order_by("-effective_date", "-id")
        .values_list("effective_date", flat=True)
        .first()
    )
    return start or datetime.date.max


def disciplinary_cases_visible(
    *, viewer: User, officer: Officer, since: datetime.date | None = None
) -> QuerySet[DisciplinaryCase]:
    """The officer's proceedings the viewer may see, latest first: like the sanctions, those
    opened before a secondment stay with the home agency. `since`: `discipline_since`'s
    answer, when the caller already has it."""
    if since is None:
        since = discipline_since(viewer=viewer, officer=officer)
    cases = DisciplinaryCase.objects.filter(officer=officer).order_by("-opened_on", "-id")
    return cases if since is None else cases.filter(opened_on__gte=since)


def officer_events(
    *,
    officer: Officer,
    include_superseded: bool,
    as_of: datetime.date | None = None,
    with_discipline: bool,
    discipline_from: datetime.date | None = None,
) -> list[CareerEvent]:
    qs = officer.events.select_related(
        "unit", "grade", "host_agency", "act_signatory", "created_by"
    ).order_by("effective_date", "id")
    if not include_superseded:
        qs = qs.filter(is_superseded=False)
    if as_of is not None:
        qs = qs.filter(effective_date__lte=as_of)
    if not with_discipline:
        qs = qs.exclude(kind=EventKind.SANCTION)
    elif discipline_from is not None:
        qs = qs.exclude(kind=EventKind.SANCTION, effective_date__lt=discipline_from)
    return list(qs)


@dataclass(frozen=True)
class SituationView:
    """A situation with its objects loaded, for display."""

    on: datetime.date
    unit: Unit
    grade: Grade
    status: str
    function: str
    host_unit: Unit | None
    exit_date: datetime.date | None
    entry_date: datetime.date

    @property
    def status_label(self) -> str:
        from matricule.personnel.models import Status

        return str(Status(self.status).label)


def situation_on(
    *, officer: Officer, on: datetime.date, events: list[CareerEvent] | None = None
) -> SituationView | None:
    """The officer's situation as it was on `on` (None before entry).

    `events` may be the timeline already loaded for the page (sanctions may be left
    out: they do not change the situation).
    """
    if events is None:
        events = list(
            officer.events.filter(is_superseded=False, effective_date__lte=on).select_related(
                "unit"
            )
        )
    state: Situation | None = replay(events, on=on)
    if state is None:
        return None
    units = {e.unit_id: e.unit for e in events if e.unit_id and e.unit is not None}
    missing = [u for u in (state.unit_id, state.host_unit_id) if u and u not in units]
    if missing:
        units.update(Unit.objects.in_bulk(missing))
    grade = Grade.objects.select_related("statute").get(pk=grade_in_force(state.grade_id, on))
    return SituationView(
        on=on,
        unit=units[state.unit_id],
        grade=grade,
        status=state.status,
        function=state.function,
        host_unit=units.get(state.host_unit_id) if state.host_unit_id else None,
        exit_date=state.exit_date,
        entry_date=state.entry_date,
    )


@dataclass(frozen=True)
class StrengthRow:
    unit: Unit
    band_id: int
    band_name: str
    authorised: int
    actual: int

    @property
    def gap(self) -> int:
        return self.actual - self.authorised


def establishment_strength(
    *, viewer: User, root: Unit | UnitRow | None, on: datetime.date
) -> list[StrengthRow]:
    """Authorised posts against officers in service, per unit and grade band, in scope."""
    from matricule.accounts.scopes import unit_scope_q

    units = Unit.objects.filter(unit_scope_q(viewer, Perm.PERSONNEL_VIEW))
    if root is not None:
        units = units.filter(path__startswith=root.path)
    unit_map = {u.id: u for u in units.order_by("path")}
    if not unit_map:
        return []
    authorised: dict[tuple[int, int], tuple[str, int, int]] = {}
    for est in (
        Establishment.objects.filter(unit_id__in=unit_map.keys(), effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("band")
        .order_by("effective_from")
    ):
        authorised[(est.unit_id, est.band_id)] = (est.band.name, est.band.order, est.authorised)
    actual_qs = (
        Officer.objects.filter(unit_id__in=unit_map.keys(), status__in=IN_SERVICE_STATUSES)
        .values("unit_id", "grade__band_id", "grade__band__name", "grade__band__order")
        .annotate(n=Count("id"))
    )
    actual: dict[tuple[int, int], int] = {}
    for row in actual_qs:
        key = (row["unit_id"], row["grade__band_id"])
        actual[key] = row["n"]
        authorised.setdefault(key, (row["grade__band__name"], row["grade__band__order"], 0))
    rows = [
        StrengthRow(
            unit=unit_map[unit_id],
            band_id=band_id,
            band_name=name,
            authorised=posts,
            actual=actual.get((unit_id, band_id), 0),
        )
        for (unit_id, band_id), (name, _order, posts) in authorised.items()
    ]
    rows.sort(key=lambda r: (r.unit.path, authorised[(r.unit.id, r.band_id)][1]))
    return rows


def duplicates_by_nina(*, viewer: User, officer: Officer) -> QuerySet[Officer]:
    """Other records (any agency) with the same NINA; visible only to identity-class roles."""
    if not officer.nina or Perm.SEE_IDENTITY not in viewer_perms_for(viewer, officer):
        return Officer.objects.none()
    # Deliberately across agencies: the point is to spot the same person twice.
    return Officer.objects.filter(nina=officer.nina).exclude(pk=officer.pk).select_related("agency")


def unit_heads_on(
    *, on: datetime.date, unit_ids: Iterable[int] | None = None, role: str = CommandRole.HEAD
) -> dict[int, int]:
    """The officer commanding each unit on a date (unit id → officer id), in one query.

    The latest appointment begun on or before the date and not ended before it wins, so
    a new head takes over without the previous appointment being rewritten. An officer
    who had left the service by then commands nothing.
    """
    rows = CareerEvent.objects.filter(
        kind=EventKind.COMMAND,
        command_role=role,
        is_superseded=False,
        effective_date__lte=on,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    rows = rows.filter(Q(officer__exit_date__isnull=True) | Q(officer__exit_date__gt=on))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    heads: dict[int, int] = {}
    for unit_id, officer_id in rows.order_by("unit_id", "effective_date", "id").values_list(
        "unit_id", "officer_id"
    ):
        heads[unit_id] = officer_id
    return heads


def command_appointments(*, unit: Unit) -> list[CareerEvent]:
    """The unit's command appointments, newest first (shown on the unit's page)."""
    return list(
        CareerEvent.objects.filter(kind=EventKind.COMMAND, unit=unit, is_superseded=False)
        .select_related("officer", "officer__grade")
        .order_by("-effective_date", "-id")
    )
