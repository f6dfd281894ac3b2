"""Public card checks: the page, its rate limit and log, the offline verifier's files."""

from __future__ import annotations

import time

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from matricule.cards.keys import key_rotate
from matricule.cards.models import CardVerification
from matricule.cards.services import card_request, card_withdraw, cards_print
from matricule.cards.tests.factories import photo_for_test
from matricule.cards.tokens import b64url_decode, verify_message

pytestmark = pytest.mark.django_db


def test_check_page_needs_no_login_and_keeps_nothing_about_the_checker(client, hire, issue_card):
    card = issue_card(hire())
    response = client.get(f"/v/{card.token}", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Téléphone")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    check = CardVerification.objects.get()
    assert (check.card, check.result) == (card, "valid")
    fields = {f.name for f in CardVerification._meta.get_fields()}
    assert fields == {"id", "checked_at", "card", "result"}


def test_check_page_is_rate_limited_per_address(
    client, hire, issue_card, settings, one_rate_window
):
    settings.MATRICULE_VERIFY_RATE_PER_MINUTE = 3
    card = issue_card(hire())
    codes = [client.get(f"/v/{card.token}", REMOTE_ADDR="10.0.0.9").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert CardVerification.objects.count() == 3
    limited = client.get(f"/v/{card.token}", REMOTE_ADDR="10.0.0.9")
    assert "Trop de vérifications" in limited.content.decode()
    assert client.get(f"/v/{card.token}", REMOTE_ADDR="10.0.0.10").status_code == 200


def test_unissued_card_reads_as_not_yet_issued_and_shows_nobody(client, hire):
    officer = hire(family_name="Imprimée")
    photo_for_test(officer)
    (card,) = cards_print(cards=[card_request(officer=officer, by=None)], by=None)
    text = client.get(f"/v/{card.token}").content.decode()
    assert "NON REMISE" in text and "Carte non encore remise à son titulaire" in text
    assert "fausse ou falsifiée" not in text and "IMPRIMÉE" not in text
    assert client.get(f"/v/{card.token}/photo").status_code == 404


def test_revoked_card_still_shows_its_holder_and_photo(client, hire, issue_card):
    officer = hire(family_name="Sidibé")
    photo_for_test(officer)
    card = issue_card(officer)
    card_withdraw(card=card, reason="stolen", by=None)
    text = client.get(f"/v/{card.token}").content.decode()
    assert "RÉVOQUÉE" in text and "SIDIBÉ" in text and "Volée" in text
    assert client.get(f"/v/{card.token}/photo").status_code == 200


def test_check_page_answers_within_a_constant_number_of_queries(
    client, hire, issue_card, django_assert_max_num_queries
):
    card = issue_card(hire())
    client.get(f"/v/{card.token}")
    with django_assert_max_num_queries(4):
        assert client.get(f"/v/{card.token}").status_code == 200


def test_keys_json_lists_current_and_retired_keys(client, hire, issue_card):
    old = issue_card(hire()).kid
    new = key_rotate(by=None).kid
    data = client.get("/verify/keys.json").json()
    kids = {k["kid"]: k for k in data["keys"]}
    assert set(kids) == {old, new}
    assert kids[old]["retired"] is not None and kids[new]["retired"] is None
    assert all(k["alg"] == "EdDSA" and len(b64url_decode(k["x"])) == 32 for k in data["keys"])


def test_revocation_list_is_signed_by_the_current_key_and_dated(client, hire, issue_card):
    card = issue_card(hire())
    card_withdraw(card=card, reason="lost", by=None)
    response = client.get("/verify/revoked")
    assert response["Content-Type"] == "application/cbor"
    kid, payload = verify_message(response.content)
    data = cbor2.loads(payload)
    assert data[2] == [card.number] and data[3] == []
    assert abs(data[1] - time.time()) < 60
    assert kid == card.kid
    # Verifiable with nothing but the published key.
    published = client.get("/verify/keys.json").json()["keys"][0]
    Ed25519PublicKey.from_public_bytes(b64url_decode(published["x"]))


def test_verifier_page_and_service_worker(client):
    page = client.get("/verify/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "La photo n&#x27;est pas dans le code QR" in text or "La photo n'est pas" in text
    assert 'type="module"' in text and "<script>" not in text  # CSP: no inline script
    worker = client.get("/verify/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    body = worker.content.decode()
    for path in ("/verify/keys.json", "/verify/revoked", "js/cards/verify.js", "vendor/jsQR"):
        assert path in body
