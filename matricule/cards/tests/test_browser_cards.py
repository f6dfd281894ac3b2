"""Journeys of the badge office and of an officer, in French, in a real browser."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role
from matricule.cards.models import Card, CardStatus

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mot-de-passe-2026"


def _login(page: Page, url: str, username: str, device: TOTPDevice | None = None) -> None:
    page.goto(url)
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Valider").click()


def test_badge_officer_requests_prints_and_hands_over_a_card(
    live_server, page: Page, make_user, hire
):
    officer = hire(unit="BKO-CA01", family_name="Diakité", given_names="Mariam", sex="F")
    user = make_user(Role.BADGE_OFFICER, "DR-BKO", username="cartes.bko", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    _login(page, live_server.url + "/cartes/", "cartes.bko", device)

    expect(page.get_by_role("heading", name="Cartes professionnelles")).to_be_visible()
    page.get_by_role("link", name="Demande par unité").click()
    page.get_by_label("Unité (et ses subdivisions)").select_option("BKO-CA01")
    page.get_by_role("button", name="Compter les agents concernés").click()
    expect(page.get_by_text("1 agent de Commissariat du 1er arrondissement")).to_be_visible()
    page.get_by_role("button", name="Demander 1 carte").click()
    expect(page.get_by_text("1 carte(s) demandée(s)")).to_be_visible()

    page.get_by_role("link", name="Impression").first.click()
    expect(page.get_by_test_id("no-photo")).to_have_count(1)
    page.get_by_label(
        "Imprimer aussi les cartes cochées dont le titulaire n'a pas de photo"
    ).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Imprimer les cartes cochées (PDF)").click()
    assert download.value.suggested_filename.startswith("cartes-")
    card = Card.objects.get(officer=officer)
    assert card.status == CardStatus.PRINTED

    page.goto(f"{live_server.url}/cartes/{card.number}/")
    page.get_by_role("link", name="Enregistrer la remise").click()
    expect(page.get_by_label("Remise à")).to_have_value("DIAKITÉ Mariam")
    page.get_by_label("Je confirme que la carte a été remise en main propre.").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text(f"Remise de la carte {card.number} enregistrée.")).to_be_visible()
    expect(page.locator("h1 .status-pill")).to_have_text("Remise")


def test_officer_sees_the_card_and_declares_it_lost(
    live_server, page: Page, make_user, hire, issue_card
):
    officer = hire(family_name="Togola", given_names="Bakary")
    card = issue_card(officer)
    make_user(Role.OFFICER, username=officer.matricule, officer=officer, password=PASSWORD)
    _login(page, live_server.url + "/cartes/ma-carte/", officer.matricule)

    expect(page.get_by_role("heading", name="Ma carte professionnelle")).to_be_visible()
    page.get_by_role("link", name="Confirmer la réception").click()
    page.get_by_label("Je confirme.").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Réception de la carte confirmée.")).to_be_visible()

    page.get_by_role("link", name="Déclarer perdue").click()
    expect(page.get_by_text("cessera immédiatement d'être valide")).to_be_visible()
    page.get_by_label("Je confirme.").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Perte enregistrée")).to_be_visible()
    expect(page.get_by_text("Vous n'avez pas de carte valide.")).to_be_visible()

    page.goto(f"{live_server.url}/v/{card.token}")
    expect(page.locator(".verdict")).to_have_text("RÉVOQUÉE")
    expect(page.get_by_text("TOGOLA")).to_be_visible()
