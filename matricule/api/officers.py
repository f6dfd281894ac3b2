"""Officer endpoints: search, record and career events, with the screens' scopes and rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.params.functions import Path as path_param

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.api.schemas import (
    ERRORS,
    EXAMPLE_MATRICULE,
    MAX_OFFSET,
    READ_ERRORS,
    ActIn,
    ActOut,
    CorpsRef,
    EventIn,
    EventOut,
    EventPage,
    GradeRef,
    HostUnitRef,
    IsoDate,
    OfficerDetail,
    OfficerPage,
    OfficerRow,
    SignatoryRef,
    SituationOut,
    Text,
    UnitRef,
    scope_refusal,
    validation_messages,
)
from matricule.core.lookups import grade_by_code, normalise_code, unit_by_code
from matricule.core.models import Agency, Corps, Grade, Signatory, Unit
from matricule.core.refcache import refdata
from matricule.personnel.access import record_access_log, shown_classes
from matricule.personnel.filters import PARAMS, SKILL_PARAMS, filters_from_params
from matricule.personnel.models import CareerEvent, Channel, EventKind, Officer
from matricule.personnel.models import Status as OfficerStatus
from matricule.personnel.selectors import (
    discipline_since,
    officer_events,
    officer_get,
    officer_list,
    situation_on,
    viewer_perms_for,
)
from matricule.personnel.services import Act, event_record

router = Router(tags=["agents"])


# The officer named in the path, with a realistic example.
MATRICULE: Any = path_param(..., description="Matricule de l'agent.", example=EXAMPLE_MATRICULE)


class Page(Schema):
    limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments par page (1 à 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément (0 = début).")


class OfficerListParams(Page):
    q: Text = Field(
        "",
        description="Nom (partiel, sans tenir compte des accents), matricule ou NINA.",
        json_schema_extra={"example": "traore"},
    )
    unit: Text = Field(
        "",
        description="Code d'unité : l'unité et toutes ses subdivisions.",
        json_schema_extra={"example": "DR-BKO"},
    )
    grade: Text = Field(
        "",
        description="Code du grade (statut en vigueur) ; pour un grade d'un corps d'origine, "
        "CORPS:CODE (ex. DOUANES:INS).",
        json_schema_extra={"example": "SGT"},
    )
    corps: Text = Field("", description="Code du corps.")
    origin: Text = Field(
        "", description="Corps d'origine des agents détachés d'un autre corps (ex. GEND)."
    )
    secondment_ends: Text = Field(
        "", description="Détachements qui prennent fin dans ce nombre de jours (ou échus)."
    )
    status: Text = Field("", description="Position : " + ", ".join(OfficerStatus.values) + ".")
    sex: Text = Field("", description="Sexe : M ou F.")
    region: Text = Field("", description="Code de la région de l'unité.")
    age: Text = Field("", description="Tranche d'âge : 18-29, 30-39, 40-49, 50-54, 55-59, 60+.")
    sort: Text = Field(
        "name",
        description="Tri : name, matricule, grade, entry, birth ; "
        "précédé de « - » pour l'ordre inverse.",
    )
    skill: list[Text] = Field(
        default_factory=list,
        description="Compétence exigée, CODE:NIVEAU minimal (ex. pistol:2), répétable "
        "(toutes exigées) ; LANGUE-<code ISO>:NIVEAU pour une langue parlée (ex. LANGUE-EN:3). "
        "Seules comptent les compétences vérifiées et valides à la date `valid_on`. "
        "Cinq au plus.",
    )
    valid_on: Text = Field(
        "", description="Date de validité des compétences (AAAA-MM-JJ) ; aujourd'hui par défaut."
    )


class AsOfParams(Schema):
    as_of: IsoDate | None = Field(
        None,
        description="Date (AAAA-MM-JJ) à laquelle donner la situation ; aujourd'hui par défaut.",
    )


class EventListParams(Page):
    include_superseded: bool = Field(
        False, description="Inclure les versions corrigées (inspecteurs seulement ; ignoré sinon)."
    )
    as_of: IsoDate | None = Field(
        None, description="Seulement les événements datés de ce jour ou avant (AAAA-MM-JJ)."
    )


@router.get(
    "/officers",
    response={200: OfficerPage, **READ_ERRORS},
    summary="Rechercher des agents",
    description="Liste paginée des agents de votre périmètre, avec les mêmes filtres que "
    "l'écran de recherche. Un code inconnu répond 400 avec le message par paramètre.",
)
def list_officers(request: HttpRequest, params: Query[OfficerListParams]) -> Any:
    viewer = _viewer(request)
    filters, problems = filters_from_params(
        {name: getattr(params, name) for name in (*PARAMS, *SKILL_PARAMS)}, viewer=viewer
    )
    if problems:
        return Status(
            400,
            {
                "detail": _("Filtres invalides."),
                "errors": {key: [message] for key, message in problems.items()},
            },
        )
    officers = officer_list(viewer=viewer, filters=filters, channel=Channel.API).select_related(
        "corps"
    )
    count = officers.count()
    rows = officers[params.offset : params.offset + params.limit] if params.offset < count else []
    return {"items": [_officer_row(o) for o in rows], "count": count}


@router.get(
    "/officers/{matricule}",
    response={200: OfficerDetail, **READ_ERRORS},
    summary="Dossier d'un agent",
    description="Identité, contacts et situation d'un agent, éventuellement à une date "
    "passée (`as_of`). Le NINA et le groupe sanguin ne sont donnés qu'aux rôles qui y ont "
    "droit ; 404 si l'agent n'existe pas ou est hors de votre périmètre.",
)
def get_officer(
    request: HttpRequest, params: Query[AsOfParams], matricule: Text = MATRICULE
) -> Any:
    viewer = _viewer(request)
    officer = _officer_for(viewer, matricule)
    perms = viewer_perms_for(viewer, officer)
    record_access_log(
        viewer=viewer,
        officers=[officer],
        channel=Channel.API,
        classes=shown_classes("record", perms - {Perm.SEE_DISCIPLINE, Perm.SEE_BIOMETRIC}),
    )
    return officer_detail_out(officer, perms, params.as_of)


def officer_detail_out(
    officer: Officer, perms: set[str], as_of: datetime.date | None
) -> OfficerDetail:
    """The detail schema of an officer, with sensitive fields only for those allowed."""
    return OfficerDetail(
        matricule=officer.matricule,
        agency=officer.agency.code,
        family_name=officer.family_name,
        given_names=officer.given_names,
        sex=officer.sex,
        birth_date=officer.birth_date,
        birth_place=officer.birth_place,
        nationality=officer.nationality,
        nina=officer.nina if Perm.SEE_IDENTITY in perms else None,
        blood_group=officer.blood_group if Perm.SEE_HEALTH in perms else None,
        phone=officer.phone,
        phone_alt=officer.phone_alt,
        email=officer.email,
        address=officer.address,
        emergency_name=officer.emergency_name,
        emergency_relation=officer.emergency_relation,
        emergency_phone=officer.emergency_phone,
        marital_status=officer.marital_status,
        spouse_name=officer.spouse_name,
        origin=_origin_code(officer),
        origin_service_number=officer.origin_service_number,
        secondment_end=officer.secondment_end,
        situation=_situation(officer, as_of),
    )


@router.get(
    "/officers/{matricule}/events",
    response={200: EventPage, **READ_ERRORS},
    summary="Carrière d'un agent",
    description="Événements de carrière par date d'effet, paginés. Les sanctions ne sont "
    "données qu'aux rôles ayant accès à la discipline ; les versions corrigées, aux seuls "
    "inspecteurs qui les demandent.",
)
def list_events(
    request: HttpRequest, params: Query[EventListParams], matricule: Text = MATRICULE
) -> Any:
    viewer = _viewer(request)
    officer = _officer_for(viewer, matricule)
    perms = viewer_perms_for(viewer, officer)
    record_access_log(
        viewer=viewer,
        officers=[officer],
        channel=Channel.API,
        classes=shown_classes("career", perms & {Perm.SEE_DISCIPLINE}),
    )
    events = officer_events(
        officer=officer,
        include_superseded=params.include_superseded and Perm.AUDIT_VIEW in perms,
        as_of=params.as_of,
        with_discipline=Perm.SEE_DISCIPLINE in perms,
        discipline_from=discipline_since(viewer=viewer, officer=officer),
    )
    page = events[params.offset : params.offset + params.limit]
    return {"items": [_event_out(e) for e in page], "count": len(events)}


@router.post(
    "/officers/{matricule}/events",
    response={201: EventOut, **ERRORS},
    summary="Enregistrer un événement de carrière",
    description="Affectation, grade, position, détachement, sanction, sortie… ou, avec "
    "`supersedes`, la correction d'un événement. Mêmes contrôles et même journal d'audit "
    "que les écrans ; 400 avec les messages par champ si l'événement est refusé.",
)
def create_event(request: HttpRequest, payload: EventIn, matricule: Text = MATRICULE) -> Any:
    viewer = _viewer(request)
    officer = _officer_for(viewer, matricule, for_edit=True)
    perms = viewer_perms_for(viewer, officer)
    with_discipline = Perm.SEE_DISCIPLINE in perms
    if payload.kind == EventKind.SANCTION and not with_discipline:
        raise HttpError(403, _("Vous n'avez pas accès aux sanctions de cet agent."))
    act_in = payload.act or ActIn()
    errors: dict[str, list[str]] = {}
    unit = _event_unit(officer, payload, errors)
    grade = _event_grade(officer, payload, errors)
    signatory = _event_signatory(officer, unit, act_in, errors)
    supersedes = None
    if payload.supersedes is not None:
        visible = officer_events(
            officer=officer,
            include_superseded=True,
            with_discipline=with_discipline,
            discipline_from=discipline_since(viewer=viewer, officer=officer),
        )
        supersedes = next((e for e in visible if e.pk == payload.supersedes), None)
        if supersedes is None:
            errors["supersedes"] = [
                _("Aucun événement n° %(id)s dans la carrière de cet agent.")
                % {"id": payload.supersedes}
            ]
    if errors:
        return Status(400, {"detail": _("Données invalides"), "errors": errors})
    try:
        event = event_record(
            officer=officer,
            kind=payload.kind.value,
            effective_date=payload.effective_date,
            act=Act(
                kind=act_in.kind.value if act_in.kind else "",
                number=act_in.number,
                date=act_in.date,
                signatory=signatory,
            ),
            by=viewer,
            unit=unit,
            grade=grade,
            status=payload.status.value if payload.status else "",
            function=payload.function,
            detail=payload.detail,
            end_date=payload.end_date,
            exceptional=payload.exceptional,
            justification=payload.justification,
            supersedes=supersedes,
        )
    except ValidationError as exc:
        if refusal := scope_refusal(exc):
            return Status(403, {"detail": refusal})
        return Status(400, {"detail": _("Données invalides"), "errors": validation_messages(exc)})
    return Status(201, _event_out(event))


def _viewer(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user


def _officer_for(viewer: User, matricule: str, *, for_edit: bool = False) -> Officer:
    try:
        return officer_get(viewer=viewer, matricule=matricule, for_edit=for_edit)
    except Http404:
        raise HttpError(404, _("Agent introuvable : « %(m)s ».") % {"m": matricule[:40]}) from None
    except PermissionDenied:
        raise HttpError(403, _("Vous ne pouvez pas modifier le dossier de cet agent.")) from None


def _event_unit(officer: Officer, payload: EventIn, errors: dict[str, list[str]]) -> Unit | None:
    """The unit named by code: in the officer's agency, or another one for a secondment."""
    if not payload.unit or not payload.unit.strip():
        return None
    try:
        if payload.unit_agency and payload.unit_agency.strip():
            agency = Agency.objects.filter(code=normalise_code(payload.unit_agency)).first()
            return unit_by_code(code=payload.unit, agency_ids=[agency.pk] if agency else [])
        if payload.kind == EventKind.SECONDMENT:
            return unit_by_code(code=payload.unit, exclude_agency_id=officer.agency_id)
        return unit_by_code(code=payload.unit, agency_ids=[officer.agency_id])
    except ValidationError as error:
        errors.update(error.message_dict)
    return None


def _event_grade(officer: Officer, payload: EventIn, errors: dict[str, list[str]]) -> Grade | None:
    """The grade named by code in the statute in force on the effective date."""
    if not payload.grade or not payload.grade.strip():
        return None
    try:
        # An officer seconded from another corps keeps that corps' grade table.
        return grade_by_code(
            code=payload.grade, agency_id=officer.corps.agency_id, on=payload.effective_date
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    return None


def _event_signatory(
    officer: Officer, unit: Unit | None, act: ActIn, errors: dict[str, list[str]]
) -> Signatory | None:
    if act.signatory_id is None:
        return None
    # A secondment may be signed by the host agency's authority; an act about an officer
    # seconded from another corps (a grade change), by that corps' authority.
    agencies = {officer.agency_id, officer.corps.agency_id} | (
        {unit.agency_id} if unit is not None else set()
    )
    signatory = Signatory.objects.filter(pk=act.signatory_id, agency_id__in=agencies).first()
    if signatory is None:
        errors["act.signatory_id"] = [_("Signataire inconnu pour cette agence.")]
    return signatory


def _status_label(value: str) -> str:
    return str(OfficerStatus(value).label) if value in OfficerStatus.values else ""


def _unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(code=unit.code, name=unit.name)


def _grade_ref(grade: Grade) -> GradeRef:
    return GradeRef(code=grade.code, name=grade.name)


def _host_ref(unit: Unit | None) -> HostUnitRef | None:
    if unit is None:
        return None
    return HostUnitRef(code=unit.code, name=unit.name, agency=unit.agency.code)


def _officer_row(officer: Officer) -> OfficerRow:
    return OfficerRow(
        matricule=officer.matricule,
        family_name=officer.family_name,
        given_names=officer.given_names,
        sex=officer.sex,
        birth_date=officer.birth_date,
        grade=_grade_ref(officer.grade),
        unit=_unit_ref(officer.unit),
        corps=officer.corps.code,
        origin=_origin_code(officer),
        status=officer.status,
        status_label=_status_label(officer.status),
    )


def _origin_code(officer: Officer) -> str | None:
    """The code of the corps of origin of an officer seconded from another corps."""
    agency_id = officer.corps.agency_id
    if agency_id == officer.agency_id:
        return None
    return refdata().agencies[agency_id].code


def _retirement_date(officer: Officer, corps: Corps) -> datetime.date:
    # Officer.retirement_date's rule, applied with the corps held on the date asked.
    return Officer(birth_date=officer.birth_date, corps=corps).retirement_date


def _situation(officer: Officer, as_of: datetime.date | None) -> SituationOut | None:
    if as_of is None:
        return SituationOut(
            on=timezone.localdate(),
            unit=_unit_ref(officer.unit),
            grade=_grade_ref(officer.grade),
            corps=CorpsRef(code=officer.corps.code, name=officer.corps.name),
            status=officer.status,
            status_label=_status_label(officer.status),
            function=officer.function,
            host_unit=_host_ref(officer.host_unit),
            entry_date=officer.entry_date,
            exit_date=officer.exit_date,
            retirement_date=officer.retirement_date,
        )
    view = situation_on(officer=officer, on=as_of)
    if view is None:
        return None
    corps = view.grade.corps
    return SituationOut(
        on=as_of,
        unit=_unit_ref(view.unit),
        grade=_grade_ref(view.grade),
        corps=CorpsRef(code=corps.code, name=corps.name),
        status=view.status,
        status_label=_status_label(view.status),
        function=view.function,
        host_unit=_host_ref(view.host_unit),
        entry_date=view.entry_date,
        exit_date=view.exit_date,
        retirement_date=_retirement_date(officer, corps),
    )


def _event_out(event: CareerEvent) -> EventOut:
    signatory = event.act_signatory
    return EventOut(
        id=event.pk,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        effective_date=event.effective_date,
        end_date=event.end_date,
        unit=_unit_ref(event.unit) if event.unit is not None else None,
        host_agency=event.host_agency.code if event.host_agency is not None else None,
        grade=_grade_ref(event.grade) if event.grade is not None else None,
        status=event.status,
        status_label=_status_label(event.status),
        function=event.function,
        detail=event.detail,
        act=ActOut(
            kind=event.act_kind,
            kind_label=event.get_act_kind_display() if event.act_kind else "",
            number=event.act_number,
            date=event.act_date,
            signatory=(
                SignatoryRef(id=signatory.pk, name=signatory.name, title=signatory.title)
                if signatory is not None
                else None
            ),
        ),
        exceptional=event.exceptional,
        justification=event.justification,
        supersedes=event.supersedes_id,
        is_superseded=event.is_superseded,
        created_at=event.created_at,
    )
