"""Reads of ID cards, always through the viewer's scope, and the public card check."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, officer_scope_q
from matricule.cards.models import (
    PENDING_STATUSES,
    VALID_STATUSES,
    WITHDRAWN_STATUSES,
    Card,
    CardStatus,
    CardTemplate,
    VerificationResult,
)
from matricule.cards.tokens import CardClaims, TokenError, token_verify
from matricule.core.models import Agency, AgencyKind, Grade
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel.access import export_access_log_by_agency, record_access_log
from matricule.personnel.models import IN_SERVICE_STATUSES, Channel, Officer, OfficerPhoto

if TYPE_CHECKING:
    from matricule.accounts.models import User

CARD_RELATED = ("officer", "officer__grade", "officer__unit", "agency")


def officers_without_valid_card_q(*, today: datetime.date, prefix: str = "") -> Q:
    """Officers (through `prefix`) in service with no valid, unexpired card."""
    valid = Card.objects.filter(status__in=VALID_STATUSES, expires_on__gte=today).values(
        "officer_id"
    )
    return Q(**{f"{prefix}status__in": IN_SERVICE_STATUSES}) & ~Q(**{f"{prefix}id__in": valid})


def card_base(*, viewer: User) -> QuerySet[Card]:
    # A card is its home agency's document: a host agency (secondment) sees the officer
    # but does not manage their card.
    return Card.objects.filter(
        officer_scope_q(viewer, Perm.CARDS_MANAGE, prefix="officer__"),
        officer__agency_id__in=agency_ids_with(viewer, Perm.CARDS_MANAGE),
    )


def card_list(
    *, viewer: User, status: str = "", unit: UnitRow | None = None, q: str = ""
) -> QuerySet[Card]:
    qs = card_base(viewer=viewer)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(officer__unit__path__startswith=unit.path)
    text = q.strip().upper()
    if text:
        qs = qs.filter(Q(number__startswith=text) | Q(officer__matricule__startswith=text))
    return qs.select_related(*CARD_RELATED).order_by("-requested_at", "-id")


def with_photo_flag(qs: QuerySet[Card]) -> QuerySet[Card]:
    """Annotate `has_photo`: the holder has a photo on record (printing needs one)."""
    return qs.annotate(
        has_photo=Exists(OfficerPhoto.objects.filter(officer_id=OuterRef("officer_id")))
    )


def card_get(*, viewer: User, number: str) -> Card:
    """A card of an officer in the viewer's card scope; 404 for anything else."""
    card = card_base(viewer=viewer).select_related(*CARD_RELATED).filter(number=number).first()
    if card is None:
        raise Http404
    return card


def card_read(*, viewer: User, number: str, log: bool = True) -> Card:
    """`card_get` for the pages that show a card and its holder: the read is logged."""
    card = card_get(viewer=viewer, number=number)
    if log:
        record_access_log(
            viewer=viewer, officers=[card.officer], channel=Channel.SCREEN, classes=["card"]
        )
    return card


def cards_pdf_access_log(*, viewer: User, cards: list[Card]) -> None:
    """A card PDF shows each holder's photo: one row per card printed, or one for a sheet."""
    if len(cards) == 1:
        record_access_log(
            viewer=viewer,
            officers=[cards[0].officer],
            channel=Channel.PDF,
            classes=["card", "biometric"],
        )
    else:
        export_access_log_by_agency(
            viewer=viewer,
            officers=[(c.officer_id, c.officer.agency_id) for c in cards],
            classes=["card", "biometric"],
            channel=Channel.PDF,
        )


def officer_cards(*, officer: Officer) -> list[Card]:
    return list(officer.cards.select_related("agency").order_by("-requested_at", "-id"))


def card_status_counts(*, viewer: User) -> dict[str, int]:
    rows = card_base(viewer=viewer).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


@dataclass(frozen=True)
class MissingRow:
    unit_id: int
    unit_code: str
    unit_name: str
    in_service: int
    without_card: int
    pending: int


def missing_cards_by_unit(
    *, viewer: User, units: list[UnitRow], today: datetime.date | None = None
) -> list[MissingRow]:
    """Per unit of the viewer's scope: officers in service, those without a valid card,
    and how many of those already have a card in preparation."""
    today = today or timezone.localdate()
    scope = officer_scope_q(viewer, Perm.CARDS_MANAGE)
    base = Officer.objects.filter(scope, status__in=IN_SERVICE_STATUSES)
    pending_ids = Card.objects.filter(status__in=PENDING_STATUSES).values("officer_id")
    missing = officers_without_valid_card_q(today=today)
    rows = (
        base.values("unit_id")
        .annotate(
            total=Count("id"),
            without=Count("id", filter=missing),
            pending=Count("id", filter=missing & Q(id__in=pending_ids)),
        )
        .order_by()
    )
    counts = {r["unit_id"]: r for r in rows}
    out = []
    for unit in units:
        row = counts.get(unit.id)
        if row is None:
            continue
        out.append(
            MissingRow(
                unit_id=unit.id,
                unit_code=unit.code,
                unit_name=unit.name,
                in_service=row["total"],
                without_card=row["without"],
                pending=row["pending"],
            )
        )
    return out


def officers_without_card(
    *, viewer: User, unit: UnitRow | None, today: datetime.date | None = None
) -> QuerySet[Officer]:
    today = today or timezone.localdate()
    qs = Officer.objects.filter(officer_scope_q(viewer, Perm.CARDS_MANAGE)).filter(
        officers_without_valid_card_q(today=today)
    )
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.select_related("grade", "unit").order_by("unit__path", "family_name", "id")


def officers_with_pending_card(*, viewer: User) -> set[int]:
    """Ids of the officers in scope whose card is being prepared (requested or printed)."""
    return set(
        Card.objects.filter(
            status__in=PENDING_STATUSES,
            officer__in=Officer.objects.filter(officer_scope_q(viewer, Perm.CARDS_MANAGE)),
        ).values_list("officer_id", flat=True)
    )


# ----------------------------------------------------------------------------------------
# Public check of a card (no viewer: anyone holding the card may check it)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckOutcome:
    result: str
    card: Card | None = None
    claims: CardClaims | None = None
    reason: str = ""
    photo_id: int | None = None

    @property
    def shows_holder(self) -> bool:
        return self.card is not None and self.result != VerificationResult.INVALID


def card_check(*, token: str, today: datetime.date | None = None) -> CheckOutcome:
    """What a card's token says: the signature is checked, then the card's state in the
    database decides between valid, revoked and expired."""
    today = today or timezone.localdate()
    try:
        _kid, claims = token_verify(token)
    except TokenError:
        return CheckOutcome(VerificationResult.INVALID, reason="signature")
    card = (
        Card.objects.select_related(*CARD_RELATED).filter(number=claims.number, token=token).first()
    )
    if card is None or card.officer.matricule != claims.matricule:
        return CheckOutcome(VerificationResult.INVALID, claims=claims, reason="unknown")
    photo_id = (
        OfficerPhoto.objects.filter(officer_id=card.officer_id)
        .order_by("-uploaded_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if card.status in PENDING_STATUSES:
        # Printed but never handed over: not a card anyone should be carrying.
        return CheckOutcome(VerificationResult.INVALID, claims=claims, reason="not_issued")
    if card.status in WITHDRAWN_STATUSES:
        result = VerificationResult.REVOKED
    elif card.status == CardStatus.EXPIRED or claims.expires_on < today:
        result = VerificationResult.EXPIRED
    else:
        result = VerificationResult.VALID
    return CheckOutcome(result, card=card, claims=claims, photo_id=photo_id)


def revocation_entries(*, today: datetime.date | None = None) -> tuple[list[str], list[str]]:
    """Numbers of signed cards that must not be accepted offline: withdrawn ones, and
    printed ones not yet handed over. Cards past their expiry date are left out: the
    verifier sees the date in the token."""
    today = today or timezone.localdate()
    rows = (
        Card.objects.exclude(status__in=(*VALID_STATUSES, CardStatus.REQUESTED))
        .exclude(token="")
        .filter(expires_on__gte=today)
        .order_by("number")
        .values_list("number", "status")
    )
    revoked: list[str] = []
    pending: list[str] = []
    for number, status in rows:
        (pending if status == CardStatus.PRINTED else revoked).append(number)
    return revoked, pending


# ----------------------------------------------------------------------------------------
# Designs
# ----------------------------------------------------------------------------------------

DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {
    "PN": {
        "issuing_authority": "Direction générale de la Police nationale",
        "signatory_title": "Le Directeur général de la Police nationale",
        "back_text": (
            "Cette carte est la propriété de l'État. Elle est strictement personnelle. "
            "Toute personne qui la trouve est priée de la déposer au commissariat de police "
            "le plus proche ou de la remettre à la Direction générale de la Police nationale, "
            "Bamako. Toute falsification ou usage frauduleux est puni par la loi."
        ),
        "primary_colour": "#123a6b",
        "accent_colour": "#c8102e",
    },
    "OCS": {
        "issuing_authority": "Direction générale de l'Office central des stupéfiants",
        "signatory_title": "Le Directeur général de l'OCS",
        "back_text": (
            "Cette carte est la propriété de l'État. Elle est strictement personnelle. "
            "Toute personne qui la trouve est priée de la déposer au commissariat de police "
            "le plus proche ou à la Direction générale de l'Office central des stupéfiants, "
            "Bamako. Toute falsification ou usage frauduleux est puni par la loi."
        ),
        "primary_colour": "#1d5c3a",
        "accent_colour": "#d4a017",
    },
    "MSPC": {
        "issuing_authority": "Ministère de la Sécurité et de la Protection civile",
        "signatory_title": "Le Secrétaire général du Ministère",
        "back_text": (
            "Cette carte est la propriété de l'État. Elle est strictement personnelle. "
            "Toute personne qui la trouve est priée de la remettre au Secrétariat général du "
            "Ministère de la Sécurité et de la Protection civile, Bamako. Toute falsification "
            "ou usage frauduleux est puni par la loi."
        ),
        "primary_colour": "#4a2c6b",
        "accent_colour": "#1f8a70",
    },
}


def card_template_for(agency: Agency) -> CardTemplate:
    """The agency's card design; a built-in default when none was saved yet."""
    template = CardTemplate.objects.filter(agency=agency).first()
    if template is not None:
        return template
    defaults = DEFAULT_TEMPLATES.get(agency.code) or {
        "issuing_authority": agency.name,
        "back_text": DEFAULT_TEMPLATES["PN"]["back_text"].replace(
            "la Direction générale de la Police nationale", agency.name
        ),
    }
    return CardTemplate(agency=agency, **defaults)


def verifier_names() -> dict[str, dict[str, dict[str, str]]]:
    """{agency code: {"name", "units": {code: name}, "grades": {code: name}}} for the
    offline verifier (reference data from the cached copy; newest statute's grade names)."""
    ref = refdata()
    agencies: dict[int, str] = {}
    out: dict[str, dict[str, Any]] = {}
    for agency in Agency.objects.all():
        agencies[agency.pk] = agency.code
        out[agency.code] = {"name": agency.short_name, "units": {}, "grades": {}}
    for unit in ref.units:
        code = agencies.get(unit.agency_id)
        if code:
            out[code]["units"][unit.code] = unit.name
    for grade in Grade.objects.select_related("statute__agency").order_by(
        "statute__effective_from"
    ):
        out[grade.statute.agency.code]["grades"][grade.code] = grade.name
    # Officers seconded from another corps carry that corps' grade ("DOUANES:INS").
    origins = [a for a in Agency.objects.all() if a.kind == AgencyKind.ORIGIN]
    hosts = [a.code for a in Agency.objects.all() if a.kind == AgencyKind.HOST]
    for origin in origins:
        for code, name in out[origin.code]["grades"].items():
            for host in hosts:
                out[host]["grades"][f"{origin.code}:{code}"] = f"{name} ({origin.short_name})"
    return out
