"""Writes on ID cards: request, print (sign), hand over, activate, withdraw, public checks.

Each write validates, changes the card inside one transaction and records the audit
entry in that same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.cards.keys import signing_key
from matricule.cards.models import (
    PENDING_STATUSES,
    VALID_STATUSES,
    Card,
    CardCounter,
    CardStatus,
    CardTemplate,
    CardVerification,
    RevokeReason,
)
from matricule.cards.selectors import (
    DEFAULT_TEMPLATES,
    officers_with_pending_card,
    officers_without_card,
    officers_without_valid_card_q,
)
from matricule.cards.tokens import CardClaims, token_sign
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.dates import add_years
from matricule.core.exports import Column
from matricule.core.models import Agency, Unit
from matricule.core.refcache import UnitRow
from matricule.personnel.access import export_access_log_by_agency
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User

AUDIT_FIELDS = [
    "number",
    "status",
    "issued_on",
    "expires_on",
    "handed_to",
    "handed_over_by",
    "ended_at",
    "end_reason",
    "kid",
]


def _snapshot(card: Card) -> dict[str, object]:
    return model_snapshot(card, AUDIT_FIELDS)


def card_numbers_allocate(*, agency_code: str, count: int) -> list[str]:
    """`count` new card numbers, e.g. PN-0000123; the counter only grows, so none is reused."""
    with transaction.atomic():
        CardCounter.objects.get_or_create(id=1)
        CardCounter.objects.filter(id=1).update(last=F("last") + count)
        last = CardCounter.objects.select_for_update().values_list("last", flat=True).get(id=1)
    return [f"{agency_code}-{n:07d}" for n in range(last - count + 1, last + 1)]


def _check_can_request(officer: Officer) -> None:
    if officer.status not in IN_SERVICE_STATUSES:
        raise ValidationError(
            _("Cet agent n'est plus en service : aucune carte ne peut être demandée.")
        )
    if officer.cards.filter(status__in=PENDING_STATUSES).exists():
        raise ValidationError(_("Une carte est déjà en préparation pour cet agent."))


def card_request(*, officer: Officer, by: User | None) -> Card:
    """Ask for a new card (first card, renewal or replacement)."""
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
        _check_can_request(officer)
        number = card_numbers_allocate(agency_code=officer.agency.code, count=1)[0]
        card = Card.objects.create(
            number=number,
            officer=officer,
            agency=officer.agency,
            status=CardStatus.REQUESTED,
            requested_at=timezone.now(),
            requested_by=by,
        )
        audit_record(
            by=by,
            action="card.request",
            obj=card,
            subject_officer_id=officer.pk,
            after=_snapshot(card),
        )
    return card


def cards_request_for_unit(
    *, unit: Unit, officer_scope: Q, by: User | None, today: datetime.date | None = None
) -> list[Card]:
    """Request a card for every officer of the unit (and its subdivisions) in `officer_scope`
    who has neither a valid card nor one in preparation."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # Locked, so a single request made meanwhile cannot collide with the batch.
        officers = list(
            Officer.objects.select_for_update(of=("self",))
            .filter(officer_scope, unit_id__in=unit.subtree_ids())
            .filter(officers_without_valid_card_q(today=today))
            .exclude(id__in=Card.objects.filter(status__in=PENDING_STATUSES).values("officer_id"))
            .select_related("agency")
            .order_by("family_name", "given_names", "id")
        )
        if not officers:
            return []
        now = timezone.now()
        cards: list[Card] = []
        by_agency: dict[str, list[Officer]] = {}
        for officer in officers:
            by_agency.setdefault(officer.agency.code, []).append(officer)
        for code, group in by_agency.items():
            numbers = card_numbers_allocate(agency_code=code, count=len(group))
            cards.extend(
                Card(
                    number=number,
                    officer=officer,
                    agency_id=officer.agency_id,
                    status=CardStatus.REQUESTED,
                    requested_at=now,
                    requested_by=by,
                )
                for number, officer in zip(numbers, group, strict=True)
            )
        Card.objects.bulk_create(cards)
        audit_record(
            by=by,
            action="card.request_batch",
            obj=unit,
            after={"unit": unit.code, "cards": [c.number for c in cards]},
        )
        # One entry per officer too, so each officer's history shows the request.
        for card in cards:
            audit_record(
                by=by,
                action="card.request",
                obj=card,
                subject_officer_id=card.officer_id,
                after={"number": card.number, "batch": unit.code},
            )
    return cards


def card_claims(card: Card, officer: Officer, *, issued_on: datetime.date) -> CardClaims:
    return CardClaims(
        number=card.number,
        matricule=officer.matricule,
        family_name=officer.family_name,
        given_names=officer.given_names,
        grade_code=card_grade_code(officer),
        unit_code=officer.unit.code,
        agency_code=officer.agency.code,
        issued_on=issued_on,
        expires_on=card_expiry(officer, issued_on=issued_on),
    )


def card_grade_code(officer: Officer) -> str:
    """The grade in the card's claims; a grade of another corps is named with that corps'
    code ("DOUANES:INS"), so the offline verifier shows it in the corps' own ranks."""
    origin = officer.origin
    return f"{origin.code}:{officer.grade.code}" if origin else officer.grade.code


def card_expiry(officer: Officer, *, issued_on: datetime.date) -> datetime.date:
    """Validity years after issue, but never beyond the officer's retirement — nor, for an
    officer seconded from another corps, beyond the end of the secondment."""
    expires = expiry_date(issued_on=issued_on, retirement=officer.retirement_date)
    if officer.origin is not None and officer.secondment_end is not None:
        expires = max(issued_on, min(expires, officer.secondment_end))
    return expires


def expiry_date(*, issued_on: datetime.date, retirement: datetime.date) -> datetime.date:
    years = settings.MATRICULE_CARD_VALIDITY_YEARS
    end = add_years(issued_on, years)
    if issued_on < retirement < end:
        end = retirement
    return end


def cards_print(
    *, cards: Sequence[Card], by: User | None, today: datetime.date | None = None
) -> list[Card]:
    """Sign the token of each requested card and mark it printed; printed cards are kept
    as they are (a reprint shows the same token). Returns the cards, refreshed."""
    today = today or timezone.localdate()
    ids = [c.pk for c in cards]
    with transaction.atomic():
        locked = list(
            Card.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related(
                "agency",
                "officer",
                "officer__agency",
                "officer__grade",
                "officer__unit",
                "officer__corps",
            )
            .order_by("id")
        )
        if len(locked) != len(set(ids)):
            raise ValidationError(_("Une des cartes n'existe plus."))
        kid, key = signing_key(by=by)
        now = timezone.now()
        for card in locked:
            if card.status == CardStatus.PRINTED:
                continue
            if card.status != CardStatus.REQUESTED:
                raise ValidationError(
                    _("La carte %(n)s n'est pas à imprimer (état : %(s)s).")
                    % {"n": card.number, "s": card.get_status_display()}
                )
            if card.officer.status not in IN_SERVICE_STATUSES:
                raise ValidationError(
                    _("L'agent de la carte %(n)s n'est plus en service.") % {"n": card.number}
                )
            before = _snapshot(card)
            claims = card_claims(card, card.officer, issued_on=today)
            card.token = token_sign(claims, kid=kid, key=key)
            card.kid = kid
            card.issued_on = claims.issued_on
            card.expires_on = claims.expires_on
            card.status = CardStatus.PRINTED
            card.printed_at = now
            card.save(
                update_fields=[
                    "token",
                    "kid",
                    "issued_on",
                    "expires_on",
                    "status",
                    "printed_at",
                ]
            )
            audit_record(
                by=by,
                action="card.print",
                obj=card,
                subject_officer_id=card.officer_id,
                before=before,
                after=_snapshot(card),
            )
    order = {pk: i for i, pk in enumerate(ids)}
    locked.sort(key=lambda c: order[c.pk])
    return locked


def _locked(card: Card) -> Card:
    return Card.objects.select_for_update().select_related("officer").get(pk=card.pk)


def card_hand_over(
    *,
    card: Card,
    handed_to: str,
    by: User | None,
    at: datetime.datetime | None = None,
) -> Card:
    """Record the handover of a printed card; the holder's previous valid card is revoked."""
    handed_to = " ".join(handed_to.split())
    if not handed_to:
        raise ValidationError({"handed_to": _("Indiquez à qui la carte a été remise.")})
    with transaction.atomic():
        card = _locked(card)
        if card.status != CardStatus.PRINTED:
            raise ValidationError(
                _("Seule une carte imprimée peut être remise (état : %(s)s).")
                % {"s": card.get_status_display()}
            )
        if card.officer.status not in IN_SERVICE_STATUSES:
            raise ValidationError(
                _("L'agent n'est plus en service : la carte ne peut être remise.")
            )
        for previous in Card.objects.select_for_update().filter(
            officer_id=card.officer_id, status__in=VALID_STATUSES
        ):
            _end(
                previous,
                status=CardStatus.REVOKED,
                reason=_("Remplacée par la carte %(n)s") % {"n": card.number},
                by=by,
            )
        before = _snapshot(card)
        card.status = CardStatus.ISSUED
        card.handed_over_at = at or timezone.now()
        card.handed_over_by = by
        card.handed_to = handed_to[:150]
        card.save(update_fields=["status", "handed_over_at", "handed_over_by", "handed_to"])
        audit_record(
            by=by,
            action="card.hand_over",
            obj=card,
            subject_officer_id=card.officer_id,
            before=before,
            after=_snapshot(card),
        )
    return card


def card_activate(*, card: Card, by: User | None) -> Card:
    """The holder has the card in hand: the receipt is confirmed."""
    with transaction.atomic():
        card = _locked(card)
        if card.status != CardStatus.ISSUED:
            raise ValidationError(
                _("Seule une carte remise peut être activée (état : %(s)s).")
                % {"s": card.get_status_display()}
            )
        before = _snapshot(card)
        card.status = CardStatus.ACTIVE
        card.activated_at = timezone.now()
        card.save(update_fields=["status", "activated_at"])
        audit_record(
            by=by,
            action="card.activate",
            obj=card,
            subject_officer_id=card.officer_id,
            before=before,
            after=_snapshot(card),
        )
    return card


def _end(card: Card, *, status: str, reason: str, by: User | None) -> None:
    before = _snapshot(card)
    card.status = status
    card.ended_at = timezone.now()
    card.end_reason = reason[:255]
    card.save(update_fields=["status", "ended_at", "end_reason"])
    audit_record(
        by=by,
        action=f"card.{status}",
        obj=card,
        subject_officer_id=card.officer_id,
        before=before,
        after=_snapshot(card),
    )


# Where each withdrawal may start: a card lost or stolen at the badge office before
# handover is as dangerous as one lost in the street; a request is cancelled by revoking it.
WITHDRAW_FROM: dict[str, tuple[str, ...]] = {
    RevokeReason.LOST: (*VALID_STATUSES, CardStatus.PRINTED),
    RevokeReason.STOLEN: (*VALID_STATUSES, CardStatus.PRINTED),
    RevokeReason.REVOKED: (*VALID_STATUSES, *PENDING_STATUSES),
    RevokeReason.RETURNED: VALID_STATUSES,
}


def card_withdraw(*, card: Card, reason: str, by: User | None, detail: str = "") -> Card:
    """Lost, stolen, revoked or returned: the card stops being valid at once, for good."""
    if reason not in RevokeReason.values:
        raise ValidationError(
            {
                "reason": _("Motif inconnu : perdue, volée, révoquée ou restituée."),
            }
        )
    with transaction.atomic():
        card = _locked(card)
        allowed = WITHDRAW_FROM[reason]
        if card.status not in allowed:
            raise ValidationError(
                _("Impossible : la carte %(n)s est dans l'état « %(s)s ».")
                % {"n": card.number, "s": card.get_status_display()}
            )
        label = str(RevokeReason(reason).label)
        text = " ".join(detail.split())
        _end(card, status=reason, reason=f"{label} — {text}" if text else label, by=by)
    return card


def cards_revoke_for_exit(*, officer: Officer, on: datetime.date, by: User | None) -> list[Card]:
    """Leaving the service revokes the officer's valid and pending cards.

    Called by the career service inside its own transaction, so the exit and the
    revocation are committed together or not at all.
    """
    ended: list[Card] = []
    with transaction.atomic():
        for card in (
            Card.objects.select_for_update()
            .filter(officer_id=officer.pk, status__in=(*VALID_STATUSES, *PENDING_STATUSES))
            .order_by("id")
        ):
            _end(
                card,
                status=CardStatus.REVOKED,
                reason=_("Sortie du service le %(d)s") % {"d": on.strftime("%d/%m/%Y")},
                by=by,
            )
            ended.append(card)
    return ended


def cards_expire(*, today: datetime.date | None = None) -> int:
    """Mark as expired the valid cards whose expiry date has passed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        numbers = list(
            Card.objects.filter(status__in=VALID_STATUSES, expires_on__lt=today).values_list(
                "number", flat=True
            )
        )
        if not numbers:
            return 0
        count = Card.objects.filter(number__in=numbers, status__in=VALID_STATUSES).update(
            status=CardStatus.EXPIRED,
            ended_at=timezone.now(),
            end_reason=_("Date d'expiration passée"),
        )
        audit_record(
            by=None,
            action="card.expire_batch",
            object_type="cards.card",
            object_repr=_("%(n)d cartes expirées") % {"n": count},
            after={"cards": numbers},
        )
    return count


def card_issue_now(*, officer: Officer, handed_to: str, by: User | None) -> Card:
    """Request (or take the pending request), print and hand over in one go (badge office
    counter, scripts)."""
    with transaction.atomic():
        card = (
            Card.objects.filter(officer=officer, status__in=PENDING_STATUSES).order_by("id").first()
        )
        if card is None:
            card = card_request(officer=officer, by=by)
        card = cards_print(cards=[card], by=by)[0]
        return card_hand_over(card=card, handed_to=handed_to, by=by)


def verification_log(*, card: Card | None, result: str) -> None:
    """One public check: when, which card, what it said — nothing about who checked."""
    CardVerification.objects.create(card=card, result=result)


def card_templates_seed() -> int:
    """Save the built-in designs of the agencies that have none yet (PN, OCS, MSPC)."""
    created = 0
    with transaction.atomic():
        for agency in Agency.objects.filter(code__in=DEFAULT_TEMPLATES.keys()):
            _template, made = CardTemplate.objects.get_or_create(
                agency=agency, defaults=DEFAULT_TEMPLATES[agency.code]
            )
            created += int(made)
    return created


def card_reprint(*, card: Card, by: User | None) -> Card:
    """Record that an already printed card's PDF was produced again."""
    with transaction.atomic():
        audit_record(by=by, action="card.reprint", obj=card, subject_officer_id=card.officer_id)
    return card


MISSING_EXPORT_COLUMNS = [
    Column(gettext_lazy("Code unité"), 12),
    Column(gettext_lazy("Unité"), 34),
    Column(gettext_lazy("Matricule"), 12),
    Column(gettext_lazy("Nom"), 20),
    Column(gettext_lazy("Prénom(s)"), 24),
    Column(gettext_lazy("Grade"), 22),
    Column(gettext_lazy("Carte en préparation"), 10),
]
MISSING_EXPORT_MAX = 100_000


def cards_missing_export(
    *, viewer: User, unit: UnitRow | None
) -> tuple[list[Column], Iterator[list[object]]]:
    """The officers in service without a valid card, one line each; audited."""
    rows = officers_without_card(viewer=viewer, unit=unit).values_list(
        "unit__code", "unit__name", "matricule", "family_name", "given_names", "grade__name", "id"
    )[:MISSING_EXPORT_MAX]
    pending = officers_with_pending_card(viewer=viewer)
    export_access_log_by_agency(
        viewer=viewer,
        officers=officers_without_card(viewer=viewer, unit=unit).values_list("id", "agency_id")[
            :MISSING_EXPORT_MAX
        ],
        classes=["record"],
    )
    audit_record(
        by=viewer,
        action="card.missing_export",
        object_type="cards.card",
        object_repr=_("agents sans carte valide"),
        after={"unit": unit.code if unit else None},
    )

    def lines() -> Iterator[list[object]]:
        for *cells, officer_id in rows.iterator(chunk_size=2000):
            yield [*cells, _("oui") if officer_id in pending else _("non")]

    return MISSING_EXPORT_COLUMNS, lines()
