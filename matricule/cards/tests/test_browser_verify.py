"""The offline verifier, once loaded with a network, checks cards with none."""

from __future__ import annotations

import cbor2
import pytest
from playwright.sync_api import Page, expect

from matricule.cards.services import card_withdraw

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _check(page: Page, link: str) -> None:
    page.get_by_label("Ou collez le lien du code QR").fill(link)
    page.get_by_role("button", name="Vérifier", exact=True).click()


def test_verifier_works_offline_for_a_valid_and_a_revoked_card(
    live_server, page: Page, hire, issue_card
):
    valid = issue_card(hire(family_name="Koné", given_names="Salif"))
    stolen = issue_card(hire(family_name="Sow", given_names="Binta", sex="F"))
    card_withdraw(card=stolen, reason="stolen", by=None)

    page.goto(live_server.url + "/verify/")
    expect(page.locator("#verifier")).to_have_attribute("data-offline-ready", "1", timeout=20_000)
    expect(page.locator("#sw-state")).to_have_text("Prête à fonctionner sans réseau.")

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#verifier")).to_have_attribute("data-ready", "1", timeout=20_000)
    expect(page.locator("#list-state")).to_contain_text("1 carte(s)")
    expect(page.locator("#list-state")).to_contain_text("il y a 0 min")
    # The page came from the service worker: anything it does not keep is out of reach.
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("fetch('/healthz').then(() => 'en ligne', () => 'hors ligne')") == (
        "hors ligne"
    )

    _check(page, f"https://cartes.example.ml/v/{valid.token}")
    expect(page.locator("#verdict")).to_have_text("VALIDE")
    claims = page.locator("#claims")
    expect(claims).to_contain_text("KONÉ Salif")
    expect(claims).to_contain_text(valid.officer.matricule)
    expect(claims).to_contain_text(valid.expires_on.strftime("%d/%m/%Y"))
    expect(page.get_by_text("La photo n'est pas dans le code QR")).to_be_visible()

    _check(page, f"https://cartes.example.ml/v/{stolen.token}")
    expect(page.locator("#verdict")).to_have_text("RÉVOQUÉE")
    expect(page.locator("#claims")).to_contain_text("SOW Binta")

    token = valid.token
    middle = len(token) // 2
    forged = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    _check(page, forged)
    expect(page.locator("#verdict")).to_have_text("INVALIDE")
    expect(page.locator("#holder")).to_be_hidden()


def test_cbor_decoder_reads_what_the_server_writes(live_server, page: Page, mali):
    page.goto(live_server.url + "/verify/")
    samples = {
        "ints": [0, 23, 24, 255, 256, 65535, 65536, 2**32, -1, -24, -25, -(2**20)],
        "text": "Maïga — 1er arrondissement",
        "bytes": b"\x00\xff\x10",
        "nested": {1: "PN-0000001", 2: [True, False, None], -8: {4: b"\x01\x02"}},
        "float": 1.5,
    }
    encoded = list(cbor2.dumps(samples))
    tagged = list(cbor2.dumps(cbor2.CBORTag(18, [b"a", {}, b"b", b"c"])))
    result = page.evaluate(
        """async ([encoded, tagged]) => {
            const cbor = await import('/static/js/cards/cbor.js');
            const value = cbor.decode(new Uint8Array(encoded));
            const nested = value.get('nested');
            const t = cbor.decode(new Uint8Array(tagged));
            const roundTrip = cbor.encode(
                ['Signature1', new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array(300)]);
            let truncated = false;
            try { cbor.decode(new Uint8Array(encoded.slice(0, 10))); }
            catch (e) { truncated = e instanceof cbor.CborError; }
            return {
                ints: value.get('ints'),
                text: value.get('text'),
                bytes: Array.from(value.get('bytes')),
                one: nested.get(1),
                list: nested.get(2),
                kid: Array.from(nested.get(-8).get(4)),
                float: value.get('float'),
                tag: t.tag,
                tagLen: t.value.length,
                roundTrip: Array.from(roundTrip),
                truncated,
            };
        }""",
        [encoded, tagged],
    )
    assert result["ints"] == samples["ints"]
    assert result["text"] == samples["text"]
    assert result["bytes"] == [0, 255, 16]
    assert result["one"] == "PN-0000001" and result["list"] == [True, False, None]
    assert result["kid"] == [1, 2] and result["float"] == 1.5
    assert (result["tag"], result["tagLen"]) == (18, 4)
    assert bytes(result["roundTrip"]) == cbor2.dumps(["Signature1", b"\x01\x02", b"", bytes(300)])
    assert result["truncated"] is True


def test_a_card_qr_opened_offline_gets_the_verdict_in_words(
    live_server, page: Page, hire, issue_card
):
    from matricule.cards.services import card_request, cards_print

    valid = issue_card(hire(unit="BKO-CA01", family_name="Dembélé", given_names="Ousmane"))
    pending = cards_print(
        cards=[card_request(officer=hire(family_name="Coulibaly", given_names="Awa"), by=None)],
        by=None,
    )[0]

    # The phone loaded /verify/ once, with a network.
    page.goto(live_server.url + "/verify/")
    expect(page.locator("#verifier")).to_have_attribute("data-offline-ready", "1", timeout=20_000)

    # Later, with no network, the camera app opens the QR's address.
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/v/{valid.token}")
    expect(page.locator("#verdict")).to_have_text("VALIDE", timeout=20_000)
    claims = page.locator("#claims")
    expect(claims).to_contain_text("DEMBÉLÉ Ousmane")
    expect(claims).to_contain_text("Commissariat du 1er arrondissement (BKO-CA01)")
    expect(claims).to_contain_text(valid.officer.grade.name)
    expect(claims).to_contain_text("Police nationale")

    page.goto(f"{live_server.url}/v/{pending.token}")
    expect(page.locator("#verdict")).to_have_text("NON REMISE", timeout=20_000)
    expect(page.locator("#reason")).to_contain_text("Carte non encore remise à son titulaire")

    # Back online, the same address is the server's page, which says the same.
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/v/{pending.token}")
    expect(page.locator(".verdict")).to_have_text("NON REMISE")
    expect(page.get_by_text("pas, en soi, le signe d'une fausse carte")).to_be_visible()
