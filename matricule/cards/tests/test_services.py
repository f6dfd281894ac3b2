"""Card lifecycle, numbers, signing keys and tokens."""

from __future__ import annotations

import datetime
import os
import stat

import cbor2
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matricule.cards.keys import clear_key_caches, key_rotate, private_key_path
from matricule.cards.models import Card, CardKey, CardStatus
from matricule.cards.selectors import card_check, revocation_entries
from matricule.cards.services import (
    card_activate,
    card_hand_over,
    card_request,
    card_withdraw,
    cards_expire,
    cards_print,
    cards_request_for_unit,
)
from matricule.cards.tokens import (
    CardClaims,
    TokenError,
    b64url_decode,
    token_verify,
)
from matricule.core.models import AuditEntry, Unit
from matricule.personnel.models import EventKind, Status
from matricule.personnel.services import Act, event_record

pytestmark = pytest.mark.django_db
D = datetime.date


def test_lifecycle_requested_printed_issued_active_then_lost(hire, make_user):
    badge = make_user("badge_officer")
    officer = hire()
    card = card_request(officer=officer, by=badge)
    assert card.status == CardStatus.REQUESTED and card.number.startswith("PN-")
    assert card.token == ""

    (card,) = cards_print(cards=[card], by=badge)
    assert card.status == CardStatus.PRINTED and card.token and card.kid
    assert card.issued_on is not None and card.expires_on == card.issued_on.replace(
        year=card.issued_on.year + 5
    )

    card = card_hand_over(card=card, handed_to="  Traoré   Moussa ", by=badge)
    assert card.status == CardStatus.ISSUED
    assert card.handed_to == "Traoré Moussa" and card.handed_over_by == badge
    assert card.handed_over_at is not None

    card = card_activate(card=card, by=badge)
    assert card.status == CardStatus.ACTIVE

    card = card_withdraw(card=card, reason="lost", detail="déclaration n° 12", by=badge)
    assert card.status == CardStatus.LOST and card.end_reason == "Perdue — déclaration n° 12"
    actions = list(
        AuditEntry.objects.filter(object_type="cards.card", object_id=str(card.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "card.request",
        "card.print",
        "card.hand_over",
        "card.activate",
        "card.lost",
    ]


def test_issuing_a_new_card_revokes_the_previous_one(hire, issue_card):
    officer = hire()
    first = issue_card(officer)
    second = issue_card(officer)
    first.refresh_from_db()
    assert first.status == CardStatus.REVOKED
    assert first.end_reason == f"Remplacée par la carte {second.number}"
    assert second.status == CardStatus.ISSUED
    assert card_check(token=first.token).result == "revoked"
    assert card_check(token=second.token).result == "valid"


def test_card_numbers_are_unique_and_never_reused(hire, issue_card):
    officer = hire()
    numbers = [issue_card(officer).number for _ in range(3)]
    Card.objects.filter(number=numbers[-1]).delete()
    numbers.append(card_request(officer=officer, by=None).number)
    assert len(set(numbers)) == 4
    assert numbers == sorted(numbers)
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.create(
            number=numbers[0],
            officer=officer,
            agency=officer.agency,
            requested_at=datetime.datetime.now(tz=datetime.UTC),
        )


def test_second_pending_request_is_refused_and_nothing_is_written(hire):
    officer = hire()
    card_request(officer=officer, by=None)
    before = Card.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="déjà en préparation"):
        card_request(officer=officer, by=None)
    assert (Card.objects.count(), AuditEntry.objects.count()) == before


def test_illegal_transitions_are_refused(hire, issue_card):
    officer = hire()
    card = card_request(officer=officer, by=None)
    with pytest.raises(ValidationError, match="imprimée peut être remise"):
        card_hand_over(card=card, handed_to="X", by=None)
    with pytest.raises(ValidationError, match="remise peut être activée"):
        card_activate(card=card, by=None)
    with pytest.raises(ValidationError, match="Impossible"):
        card_withdraw(card=card, reason="returned", by=None)
    with pytest.raises(ValidationError, match="Motif inconnu"):
        card_withdraw(card=card, reason="burnt", by=None)
    (card,) = cards_print(cards=[card], by=None)
    with pytest.raises(ValidationError, match="Indiquez à qui"):
        card_hand_over(card=card, handed_to="   ", by=None)
    card = card_withdraw(card=card, reason="revoked", by=None)
    with pytest.raises(ValidationError):
        card_withdraw(card=card, reason="lost", by=None)
    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED


def test_exit_from_service_revokes_the_card_in_the_same_transaction(hire, issue_card, make_user):
    clerk = make_user("hr_clerk", "DR-BKO")
    officer = hire()
    card = issue_card(officer)
    pending = card_request(officer=officer, by=None)
    event_record(
        officer=officer,
        kind=EventKind.EXIT,
        effective_date=D(2026, 1, 31),
        status=Status.RESIGNED,
        detail="démission acceptée",
        act=Act(kind="arrete", number="2026-017/MSPC", date=D(2026, 1, 20)),
        by=clerk,
    )
    card.refresh_from_db()
    pending.refresh_from_db()
    assert (
        card.status == CardStatus.REVOKED and card.end_reason == "Sortie du service le 31/01/2026"
    )
    assert pending.status == CardStatus.REVOKED
    assert card_check(token=card.token).result == "revoked"
    with pytest.raises(ValidationError, match="plus en service"):
        card_request(officer=officer, by=None)


def test_a_corrected_exit_leaves_the_card_revoked_once(hire, issue_card):
    officer = hire()
    card = issue_card(officer)
    first = event_record(
        officer=officer,
        kind=EventKind.EXIT,
        effective_date=D(2026, 1, 31),
        status=Status.RESIGNED,
        act=Act(kind="arrete", number="2026-017/MSPC", date=D(2026, 1, 20)),
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.EXIT,
        effective_date=D(2026, 2, 28),
        status=Status.RETIRED,
        act=Act(kind="arrete", number="2026-019/MSPC", date=D(2026, 2, 20)),
        supersedes=first,
        by=None,
    )
    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED
    assert card.end_reason == "Sortie du service le 31/01/2026"  # ended once, not re-ended
    assert AuditEntry.objects.filter(object_id=str(card.pk), action="card.revoked").count() == 1


def test_a_failed_exit_leaves_the_card_valid(hire, issue_card, monkeypatch):
    officer = hire()
    card = issue_card(officer)

    def boom(**kwargs):
        raise RuntimeError("audit indisponible")

    monkeypatch.setattr("matricule.personnel.services.career.audit_record", boom)
    with pytest.raises(RuntimeError):
        event_record(
            officer=officer,
            kind=EventKind.EXIT,
            effective_date=D(2026, 1, 31),
            status=Status.RETIRED,
            act=Act(kind="arrete", number="2026-018/MSPC", date=D(2026, 1, 20)),
            by=None,
        )
    card.refresh_from_db()
    assert card.status == CardStatus.ISSUED


def test_batch_request_covers_officers_of_the_unit_without_valid_card(hire, issue_card):
    with_card = hire(unit="BKO-CA01", family_name="Avec")
    issue_card(with_card)
    without = hire(unit="BKO-CA01", family_name="Sans")
    already_requested = hire(unit="BKO-CA01", family_name="Demandée")
    card_request(officer=already_requested, by=None)
    elsewhere = hire(unit="GAO-CC", family_name="Ailleurs")
    from matricule.accounts.scopes import Q

    unit = Unit.objects.get(code="DR-BKO")
    cards = cards_request_for_unit(unit=unit, officer_scope=Q(), by=None)
    assert [c.officer_id for c in cards] == [without.pk]
    assert not Card.objects.filter(officer=elsewhere).exists()
    assert cards_request_for_unit(unit=unit, officer_scope=Q(), by=None) == []


def test_expiry_is_capped_at_retirement(make_officer):
    officer = make_officer(birth_date=D(1968, 6, 15))  # retires at 60 in 2028 for most corps
    card = card_request(officer=officer, by=None)
    (card,) = cards_print(cards=[card], by=None, today=D(2026, 11, 21))
    assert card.expires_on == officer.retirement_date < D(2031, 11, 21)


def test_cards_expire_marks_valid_cards_past_their_date(hire, issue_card):
    card = issue_card(hire())
    assert cards_expire(today=card.expires_on) == 0
    assert cards_expire(today=card.expires_on + datetime.timedelta(days=1)) == 1
    card.refresh_from_db()
    assert card.status == CardStatus.EXPIRED


def test_token_holds_only_the_listed_claims_and_no_sensitive_data(hire, issue_card):
    officer = hire(nina="12345678901234A")
    officer.blood_group = "O+"
    officer.save(update_fields=["blood_group"])
    card = issue_card(officer)
    raw = b64url_decode(card.token)
    assert b"12345678901234A" not in raw and b"O+" not in raw
    message = cbor2.loads(raw)
    assert message.tag == 18
    claims = cbor2.loads(message.value[2])
    assert sorted(claims) == list(range(1, 10))
    kid, verified = token_verify(card.token)
    assert kid == card.kid
    assert verified == CardClaims(
        number=card.number,
        matricule=officer.matricule,
        family_name=officer.family_name,
        given_names=officer.given_names,
        grade_code=officer.grade.code,
        unit_code=officer.unit.code,
        agency_code="PN",
        issued_on=card.issued_on,
        expires_on=card.expires_on,
    )
    # Short enough for a QR code that prints well on a CR80 card.
    assert len(card.token) < 260


def test_token_is_a_standard_cose_sign1_message(hire, issue_card):
    """An independent COSE library (pycose) verifies our signature."""
    from pycose.keys import OKPKey
    from pycose.keys.curves import Ed25519
    from pycose.messages import Sign1Message

    card = issue_card(hire())
    key = CardKey.objects.get(kid=card.kid)
    tagged = cbor2.loads(b64url_decode(card.token))
    assert tagged.tag == 18
    # pycose 1.1 expects a list and a dict where cbor2 6 gives immutable types in a tag.
    protected, unprotected, payload, signature = tagged.value
    message = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
    message.key = OKPKey(crv=Ed25519, x=bytes(key.public_key))
    assert message.verify_signature()


def test_rotation_keeps_old_cards_verifying_and_signs_new_ones_with_the_new_key(
    hire, issue_card, card_keys_dir
):
    old_card = issue_card(hire(family_name="Ancienne"))
    old_kid = old_card.kid
    new_key = key_rotate(by=None)
    clear_key_caches()
    new_card = issue_card(hire(family_name="Nouvelle"))

    assert new_card.kid == new_key.kid != old_kid
    assert CardKey.objects.get(kid=old_kid).retired_at is not None
    assert CardKey.objects.filter(retired_at__isnull=True).get() == new_key
    assert card_check(token=old_card.token).result == "valid"
    assert card_check(token=new_card.token).result == "valid"
    # Private keys: files of mode 0600 in the keys folder, never in the database.
    for kid in (old_kid, new_key.kid):
        path = private_key_path(kid)
        assert path.parent == card_keys_dir
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert b"PRIVATE KEY" in path.read_bytes()
    assert all(len(bytes(k.public_key)) == 32 for k in CardKey.objects.all())


def test_token_of_an_unknown_key_or_altered_is_invalid(hire, issue_card):
    card = issue_card(hire())
    CardKey.objects.filter(kid=card.kid).update(kid="00000000")
    clear_key_caches()
    with pytest.raises(TokenError):
        token_verify(card.token)
    for junk in ["", "!!!", "A" * 500, card.token[:-4]]:
        assert card_check(token=junk).result == "invalid"


def test_revocation_list_holds_withdrawn_and_unissued_cards_only(hire, issue_card):
    valid = issue_card(hire(family_name="Valide"))
    stolen = issue_card(hire(family_name="Volée"))
    card_withdraw(card=stolen, reason="stolen", by=None)
    printed = cards_print(cards=[card_request(officer=hire(), by=None)], by=None)[0]
    card_request(officer=hire(family_name="Demande"), by=None)
    revoked, pending = revocation_entries()
    assert revoked == [stolen.number]
    assert pending == [printed.number]
    assert valid.number not in revoked + pending


def test_designs_are_seeded_for_pn_ocs_and_the_ministry_and_default_elsewhere(mali):
    from matricule.cards.models import CardTemplate
    from matricule.cards.selectors import card_template_for
    from matricule.cards.services import card_templates_seed
    from matricule.core.models import Agency

    assert card_templates_seed() == 3
    assert card_templates_seed() == 0
    assert set(CardTemplate.objects.values_list("agency__code", flat=True)) == {
        "PN",
        "OCS",
        "MSPC",
    }
    ocs = card_template_for(Agency.objects.get(code="OCS"))
    assert ocs.pk and ocs.primary_colour == "#1d5c3a"
    ministry = card_template_for(Agency.objects.get(code="MSPC"))
    assert ministry.pk and ministry.signatory_title == "Le Secrétaire général du Ministère"
    # An agency without a design of its own gets one made of its name.
    customs = Agency.objects.get(code="DOUANES")
    fallback = card_template_for(customs)
    assert fallback.pk is None and fallback.issuing_authority == customs.name
    assert customs.name in fallback.back_text
