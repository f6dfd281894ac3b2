"""Deployment endpoints: operations, positions, ranked candidates, assignments, UN readiness.

Same scopes and rules as the screens: planners and inspectors read, planners write.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.params.functions import Path as path_param

from matricule.accounts.access import AgencyChoiceNeeded, acting_agency
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.api.schemas import (
    MAX_ID,
    MAX_OFFSET,
    ErrorOut,
    GradeRef,
    IsoDate,
    Text,
    UnitRef,
    validation_messages,
)
from matricule.core.lookups import normalise_code
from matricule.core.models import Grade, Region, Signatory, Unit
from matricule.core.refcache import refdata
from matricule.deployments import services as s
from matricule.deployments.models import (
    Operation,
    OperationKind,
    OperationStatus,
    PartnerAgency,
    Position,
    Requirement,
)
from matricule.deployments.selectors.availability import date_in_range
from matricule.deployments.selectors.operations import (
    candidate_officer,
    operation_get,
    operation_list,
    operation_positions,
    position_get,
)
from matricule.deployments.selectors.readiness import SHOW_CHOICES, Readiness, un_readiness
from matricule.deployments.selectors.search import (
    DEFAULT_MAX_MISSING,
    SearchFilters,
    candidate_search,
    search_period,
)
from matricule.personnel.access import record_access_log
from matricule.personnel.models import ActKind, Channel

router = Router(tags=["déploiements"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k != 400}
Id: Any = path_param(..., ge=1, le=MAX_ID)


class Page(Schema):
    limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments par page (1 à 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément (0 = début).")


class ActDetail(Schema):
    kind: str
    number: str
    date: datetime.date | None


class OperationOut(Schema):
    id: int
    agency: str
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    start_date: datetime.date
    end_date: datetime.date | None = Field(description="Vide : sans date de fin.")
    region: str | None = Field(description="Code de la région (opération au Mali).")
    country: str = Field(description="Pays (mission à l'étranger).")
    place: str
    lead_unit: UnitRef
    partners: list[str] = Field(description="Codes des partenaires.")
    act: ActDetail
    positions: int = Field(description="Nombre de postes définis.")


class OperationPage(Schema):
    items: list[OperationOut]
    count: int


class OperationListParams(Page):
    status: Text = Field("", description="État : " + ", ".join(OperationStatus.values) + ".")
    kind: Text = Field("", description="Nature : " + ", ".join(OperationKind.values) + ".")


class ActIn(Schema):
    kind: ActKind | None = None
    number: Text = Field("", max_length=60)
    date: IsoDate | None = None
    signatory_id: int | None = Field(None, ge=1, le=MAX_ID)


class OperationIn(Schema):
    agency: Text = Field(
        "", max_length=10, description="Code de l'agence, si vous en avez plusieurs."
    )
    name: Text = Field(..., min_length=1, max_length=200)
    kind: OperationKind
    start_date: IsoDate
    end_date: IsoDate | None = None
    region: Text = Field("", max_length=10, description="Code de la région (au Mali).")
    country: Text = Field("", max_length=80, description="Pays (mission à l'étranger).")
    place: Text = Field("", max_length=200)
    lead_unit: Text = Field(..., min_length=1, max_length=20, description="Code de l'unité.")
    partners: list[Text] = Field(default_factory=list, description="Codes des partenaires.")
    description: Text = Field("", max_length=4000)
    act: ActIn | None = None


class RequirementOut(Schema):
    kind: str
    skill: str | None = Field(description="Code de la compétence ou de la catégorie de permis.")
    language: str | None = Field(description="Code ISO de la langue.")
    min_level: int
    years_held: int
    label: str


class PositionOut(Schema):
    id: int
    operation: int
    title: str
    count: int
    assigned: int = Field(description="Agents affectés (affectations non annulées).")
    grade_min: GradeRef | None
    grade_max: GradeRef | None
    service_years_min: int | None
    age_min: int | None
    age_max: int | None
    sex: str
    pool_unit: str | None
    pool_region: str | None
    requirements: list[RequirementOut]


class PositionPage(Schema):
    items: list[PositionOut]
    count: int


class CandidateParams(Page):
    start: IsoDate | None = Field(
        None, description="Début de la période (par défaut : l'opération)."
    )
    end: IsoDate | None = Field(None, description="Fin de la période (par défaut : l'opération).")
    unit: Text = Field("", max_length=20, description="Code d'unité : l'unité et ses subdivisions.")
    region: Text = Field("", max_length=10, description="Code de la région de l'unité.")
    grade: Text = Field("", max_length=10, description="Code du grade (statut en vigueur).")
    max_missing: int = Field(
        DEFAULT_MAX_MISSING, ge=0, le=3, description="Exigences manquantes tolérées (0 à 3)."
    )
    include_unavailable: bool = Field(False, description="Inclure les agents indisponibles.")


class CandidateOut(Schema):
    matricule: str
    family_name: str
    given_names: str
    grade: GradeRef
    unit: UnitRef
    rank: int
    available: bool
    score: int = Field(description="Part des exigences remplies, en %.")
    missing: int = Field(description="Nombre d'exigences manquantes.")
    surplus: int = Field(description="Niveaux au-dessus des minimums demandés.")
    matches: list[str] = Field(description="Ce que l'agent remplit, en français.")
    lacks: list[str] = Field(description="Ce qui lui manque, en français.")
    unavailable: list[str] = Field(description="Pourquoi il n'est pas disponible.")
    last_mission_end: datetime.date | None
    service_start: datetime.date


class CandidatePage(Schema):
    items: list[CandidateOut]
    count: int


class AssignmentIn(Schema):
    matricule: Text = Field(..., min_length=1, max_length=20)
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None


class AssignmentOut(Schema):
    id: int
    matricule: str
    position: int
    operation: int
    start_date: datetime.date
    end_date: datetime.date | None
    state: str
    state_label: str
    deployed_recorded: bool = Field(description="Départ inscrit à la carrière.")


class ReadinessParams(Page):
    show: Text = Field("all", description="Liste : " + ", ".join(SHOW_CHOICES) + ".")
    armed: bool = Field(False, description="Mission armée : l'épreuve de tir est exigée.")


class TestOut(Schema):
    test: str
    label: str
    state: str = Field(description="passed, failed, expired ou missing.")
    taken_on: datetime.date | None
    score: Decimal | None
    valid_until: datetime.date | None


class CriterionOut(Schema):
    code: str
    label: str
    met: bool


class ReadinessOut(Schema):
    matricule: str
    name: str
    sex: str
    status: str = Field(description="cleared, expiring, one_short ou not_ready.")
    status_label: str
    cleared: bool
    valid_until: datetime.date | None
    tests: list[TestOut]
    criteria: list[CriterionOut]
    missing_tests: list[str]


class ReadinessPage(Schema):
    items: list[ReadinessOut]
    count: int


def _viewer(request: HttpRequest, *perms: str) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    if not any(user.has_perm_anywhere(p) for p in perms):
        raise HttpError(403, _("Accès refusé."))
    return user


def _reading_perm(viewer: User) -> str:
    return (
        Perm.DEPLOYMENT_PLAN
        if viewer.has_perm_anywhere(Perm.DEPLOYMENT_PLAN)
        else Perm.DEPLOYMENT_VIEW
    )


def _operation_out(op: Operation, partners: list[str], positions: int) -> OperationOut:
    return OperationOut(
        id=op.pk,
        agency=op.agency.code,
        name=op.name,
        kind=op.kind,
        kind_label=op.get_kind_display(),
        status=op.status,
        status_label=op.get_status_display(),
        start_date=op.start_date,
        end_date=op.end_date,
        region=op.region.code if op.region else None,
        country=op.country,
        place=op.place,
        lead_unit=UnitRef(code=op.lead_unit.code, name=op.lead_unit.name),
        partners=partners,
        act=ActDetail(kind=op.act_kind, number=op.act_number, date=op.act_date),
        positions=positions,
    )


@router.get(
    "/operations",
    response={200: OperationPage, **READ_ERRORS},
    summary="Opérations",
    description="Opérations, forces conjointes, missions de paix, réponses aux crises et "
    "escortes commandées par une unité de votre périmètre (planificateurs, inspecteurs).",
)
def list_operations(request: HttpRequest, params: Query[OperationListParams]) -> Any:
    viewer = _viewer(request, Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW)
    qs = operation_list(
        viewer=viewer,
        status=params.status if params.status in OperationStatus.values else "",
        kind=params.kind if params.kind in OperationKind.values else "",
    ).select_related("agency")
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    partners: dict[int, list[str]] = {}
    for op_id, code in PartnerAgency.objects.filter(
        operations__in=[op.pk for op in rows]
    ).values_list("operations", "code"):
        partners.setdefault(op_id, []).append(code)
    return {
        "items": [
            _operation_out(op, sorted(partners.get(op.pk, [])), getattr(op, "positions_count", 0))
            for op in rows
        ],
        "count": count,
    }


@router.post(
    "/operations",
    response={201: OperationOut, **ERRORS},
    summary="Créer une opération",
    description="Mêmes contrôles que l'écran : unité de commandement de votre périmètre, "
    "région (au Mali) ou pays (à l'étranger), acte non daté dans le futur. 400 avec les "
    "messages par champ sinon.",
)
def create_operation(request: HttpRequest, payload: OperationIn) -> Any:
    viewer = _viewer(request, Perm.DEPLOYMENT_PLAN)
    try:
        agency = acting_agency(viewer, Perm.DEPLOYMENT_PLAN, requested=payload.agency or None)
    except AgencyChoiceNeeded as choice:
        return Status(400, {"detail": choice.messages[0], "errors": {"agency": choice.messages}})
    except PermissionDenied:
        raise HttpError(403, _("Vous ne planifiez pas les opérations de cette agence.")) from None
    errors: dict[str, list[str]] = {}
    scope_units = {
        u.code: u.id
        for u in refdata().units
        if u.agency_id == agency.pk
        and any(
            g.agency_id == agency.pk and (g.unit is None or u.path.startswith(g.unit.path))
            for g in viewer.grants_with(Perm.DEPLOYMENT_PLAN)
        )
    }
    lead_code = normalise_code(payload.lead_unit)
    lead = (
        Unit.objects.filter(pk=scope_units[lead_code]).first() if lead_code in scope_units else None
    )
    if lead is None:
        errors["lead_unit"] = [
            _("Unité inconnue dans votre périmètre : « %(c)s ».") % {"c": lead_code}
        ]
    region = None
    if payload.region.strip():
        region = Region.objects.filter(code=normalise_code(payload.region)).first()
        if region is None:
            errors["region"] = [_("Région inconnue : « %(c)s ».") % {"c": payload.region[:10]}]
    codes = [normalise_code(c) for c in payload.partners]
    partners = list(PartnerAgency.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {p.code for p in partners})
    if unknown:
        errors["partners"] = [_("Partenaires inconnus : %(c)s.") % {"c": ", ".join(unknown)[:200]}]
    act = payload.act or ActIn(kind=None, number="", date=None, signatory_id=None)
    signatory = None
    if act.signatory_id is not None:
        signatory = Signatory.objects.filter(pk=act.signatory_id, agency=agency).first()
        if signatory is None:
            errors["act.signatory_id"] = [_("Signataire inconnu pour cette agence.")]
    if errors:
        return Status(400, {"detail": _("Données invalides"), "errors": errors})
    try:
        operation = s.operation_create(
            agency=agency,
            data={
                "name": payload.name.strip(),
                "kind": payload.kind.value,
                "start_date": payload.start_date,
                "end_date": payload.end_date,
                "region": region,
                "country": payload.country.strip(),
                "place": payload.place.strip(),
                "lead_unit": lead,
                "description": payload.description,
                "act_kind": act.kind.value if act.kind else "",
                "act_number": act.number,
                "act_date": act.date,
                "act_signatory": signatory,
            },
            partners=partners,
            by=viewer,
        )
    except ValidationError as exc:
        return Status(400, {"detail": _("Données invalides"), "errors": _api_fields(exc)})
    operation = operation_get(viewer=viewer, pk=operation.pk)
    return Status(201, _operation_out(operation, sorted(p.code for p in partners), 0))


def _api_fields(exc: ValidationError) -> dict[str, list[str]]:
    messages = validation_messages(exc)
    names = {"act_kind": "act.kind", "act_number": "act.number", "act_date": "act.date"}
    return {names.get(k, k): v for k, v in messages.items()}


def _operation_for(viewer: User, pk: int) -> Operation:
    try:
        return operation_get(viewer=viewer, pk=pk)
    except Http404:
        raise HttpError(404, _("Opération introuvable : n° %(n)s.") % {"n": pk}) from None


def _requirement_out(r: Requirement) -> RequirementOut:
    return RequirementOut(
        kind=r.kind,
        skill=r.skill.code if r.skill else None,
        language=r.language.code if r.language else None,
        min_level=r.min_level,
        years_held=r.years_held,
        label=r.label,
    )


def _grade_ref(grade: Grade | None) -> GradeRef | None:
    return GradeRef(code=grade.code, name=grade.name) if grade is not None else None


def _position_out(p: Position) -> PositionOut:
    return PositionOut(
        id=p.pk,
        operation=p.operation_id,
        title=p.title,
        count=p.count,
        assigned=len(getattr(p, "holding", [])),
        grade_min=_grade_ref(p.grade_min),
        grade_max=_grade_ref(p.grade_max),
        service_years_min=p.service_years_min,
        age_min=p.age_min,
        age_max=p.age_max,
        sex=p.sex,
        pool_unit=p.pool_unit.code if p.pool_unit else None,
        pool_region=p.pool_region.code if p.pool_region else None,
        requirements=[_requirement_out(r) for r in p.requirements.all()],
    )


@router.get(
    "/operations/{operation_id}/positions",
    response={200: PositionPage, **READ_ERRORS},
    summary="Postes d'une opération",
    description="Les postes à pourvoir, avec leurs exigences et le nombre d'agents affectés.",
)
def list_positions(request: HttpRequest, params: Query[Page], operation_id: int = Id) -> Any:
    viewer = _viewer(request, Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW)
    operation = _operation_for(viewer, operation_id)
    positions = operation_positions(operation)
    page = positions[params.offset : params.offset + params.limit]
    return {"items": [_position_out(p) for p in page], "count": len(positions)}


def _position_for(viewer: User, pk: int, *, for_edit: bool = False) -> Position:
    try:
        return position_get(viewer=viewer, pk=pk, for_edit=for_edit)
    except Http404:
        raise HttpError(404, _("Poste introuvable : n° %(n)s.") % {"n": pk}) from None
    except PermissionDenied:
        raise HttpError(403, _("Vous ne planifiez pas cette opération.")) from None


@router.get(
    "/positions/{position_id}/candidates",
    response={200: CandidatePage, **ERRORS},
    summary="Candidats classés pour un poste",
    description="Agents de votre périmètre disponibles sur la période, classés : le moins "
    "d'exigences manquantes d'abord, puis les niveaux au-dessus des minimums, puis le plus "
    "long temps depuis la dernière mission, puis l'ancienneté. Chaque élément dit ce que "
    "l'agent remplit (`matches`) et ce qui lui manque (`lacks`), en français.",
)
def list_candidates(
    request: HttpRequest, params: Query[CandidateParams], position_id: int = Id
) -> Any:
    viewer = _viewer(request, Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW)
    perm = _reading_perm(viewer)
    position = _position_for(viewer, position_id)
    ref = refdata()
    filters = SearchFilters(
        max_missing=params.max_missing, include_unavailable=params.include_unavailable
    )
    errors: dict[str, list[str]] = {}
    if params.unit.strip():
        code = normalise_code(params.unit)
        row = next(
            (
                u
                for u in ref.units
                if u.code == code and u.agency_id == position.operation.agency_id
            ),
            None,
        )
        if row is None:
            errors["unit"] = [_("Unité inconnue : « %(c)s ».") % {"c": code}]
        else:
            filters.unit = Unit(id=row.id, agency_id=row.agency_id, code=row.code, path=row.path)
    if params.region.strip():
        region = next((r for r in ref.regions if r.code == normalise_code(params.region)), None)
        if region is None:
            errors["region"] = [_("Région inconnue : « %(c)s ».") % {"c": params.region[:10]}]
        else:
            filters.region_id = region.pk
    if params.grade.strip():
        grade = next((g for g in ref.grades_now if g.code == normalise_code(params.grade)), None)
        if grade is None:
            errors["grade"] = [_("Grade inconnu : « %(c)s ».") % {"c": params.grade[:10]}]
        else:
            filters.grade = grade
    for name in ("start", "end"):
        if not date_in_range(getattr(params, name)):
            errors[name] = [_("Date hors des limites admises (1960 à 2100).")]
    if params.start and params.end and params.end < params.start:
        errors["end"] = [_("La fin de la période précède son début.")]
    if errors:
        return Status(400, {"detail": _("Filtres invalides."), "errors": errors})
    today = timezone.localdate()
    period = search_period(position, start=params.start, end=params.end, today=today)
    result = candidate_search(
        viewer=viewer,
        perm=perm,
        position=position,
        period=period,
        filters=filters,
        offset=params.offset,
        limit=params.limit,
        today=today,
    )
    items = [
        CandidateOut(
            matricule=c.officer.matricule,
            family_name=c.officer.family_name,
            given_names=c.officer.given_names,
            grade=GradeRef(code=c.officer.grade.code, name=c.officer.grade.name),
            unit=UnitRef(code=c.officer.unit.code, name=c.officer.unit.name),
            rank=c.rank,
            available=c.available,
            score=c.score,
            missing=c.missing,
            surplus=c.surplus,
            matches=c.matches,
            lacks=c.lacks,
            unavailable=c.unavailable,
            last_mission_end=c.last_return,
            service_start=c.service_start,
        )
        for c in result.rows
    ]
    return {"items": items, "count": result.total}


@router.post(
    "/positions/{position_id}/assignments",
    response={201: AssignmentOut, 409: ErrorOut, **ERRORS},
    summary="Affecter un agent à un poste",
    description="Par défaut, du jour (ou du début de l'opération) à la fin de l'opération. "
    "409 avec un message en français si l'agent est déjà affecté sur ces jours, si le poste "
    "est complet ou si l'agent n'est pas disponible (congé, formation, retraite…).",
)
def create_assignment(request: HttpRequest, payload: AssignmentIn, position_id: int = Id) -> Any:
    viewer = _viewer(request, Perm.DEPLOYMENT_PLAN)
    position = _position_for(viewer, position_id, for_edit=True)
    try:
        officer = candidate_officer(viewer=viewer, matricule=payload.matricule)
    except Http404:
        raise HttpError(
            404,
            _("Agent introuvable dans votre périmètre : « %(m)s ».")
            % {"m": payload.matricule[:20]},
        ) from None
    try:
        assignment = s.assignment_create(
            position=position,
            officer=officer,
            start_date=payload.start_date,
            end_date=payload.end_date,
            by=viewer,
        )
    except s.AssignmentConflict as conflict:
        return Status(409, {"detail": " ".join(conflict.messages)})
    except ValidationError as exc:
        return Status(400, {"detail": _("Données invalides"), "errors": validation_messages(exc)})
    return Status(
        201,
        AssignmentOut(
            id=assignment.pk,
            matricule=officer.matricule,
            position=position.pk,
            operation=position.operation_id,
            start_date=assignment.start_date,
            end_date=assignment.end_date,
            state=assignment.state,
            state_label=assignment.get_state_display(),
            deployed_recorded=assignment.deployed_event_id is not None,
        ),
    )


def _readiness_out(r: Readiness) -> ReadinessOut:
    return ReadinessOut(
        matricule=r.matricule,
        name=r.name,
        sex=r.sex,
        status=r.status,
        status_label=r.status_label,
        cleared=r.cleared,
        valid_until=r.valid_until,
        tests=[
            TestOut(
                test=t.test,
                label=t.label,
                state=t.state,
                taken_on=t.taken_on,
                score=t.score,
                valid_until=t.valid_until,
            )
            for t in r.tests
        ],
        criteria=[CriterionOut(code=c.code, label=c.label, met=c.met) for c in r.criteria],
        missing_tests=r.missing_tests,
    )


@router.get(
    "/readiness/un",
    response={200: ReadinessPage, **ERRORS},
    summary="Préparation aux missions de police de l'ONU",
    description="Recherche enregistrée sur les résultats AMS/SAAT, la carrière et les "
    "compétences : épreuves réussies il y a moins de 24 mois (langue à 60 %), 25 à 62 ans, "
    "5 ans de service hors formation initiale, permis depuis un an, aucune sanction ni "
    "procédure. `show` : cleared (habilités), expiring (sous 90 jours), one_short (à une "
    "épreuve près), all.",
)
def list_un_readiness(request: HttpRequest, params: Query[ReadinessParams]) -> Any:
    viewer = _viewer(request, Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW)
    if params.show not in SHOW_CHOICES:
        return Status(
            400,
            {
                "detail": _("Filtres invalides."),
                "errors": {
                    "show": [_("Valeurs possibles : %(v)s.") % {"v": ", ".join(SHOW_CHOICES)}]
                },
            },
        )
    roster = un_readiness(
        viewer=viewer,
        perm=_reading_perm(viewer),
        on=timezone.localdate(),
        armed=params.armed,
        show=params.show,
        offset=params.offset,
        limit=params.limit,
    )
    record_access_log(
        viewer=viewer,
        officers=[r.officer_id for r in roster.rows],
        channel=Channel.API,
        classes=["record", "discipline"],
    )
    return {"items": [_readiness_out(r) for r in roster.rows], "count": roster.count}
