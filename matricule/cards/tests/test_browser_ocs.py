"""The OCS on the police's screens: a customs officer's record, card and own record."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role
from matricule.cards.models import Card, CardStatus
from matricule.personnel.models import Officer

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mot-de-passe-2026"


def _sign_in(page: Page, url: str, username: str, device: TOTPDevice | None = None) -> None:
    page.goto(url)
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Valider").click()


def test_ocs_clerk_records_a_customs_officer_who_gets_a_card_and_sees_the_record(
    live_server, page: Page, make_user
):
    clerk = make_user(Role.HR_CLERK, agency="OCS", username="rh.ocs", password=PASSWORD)
    badges = make_user(Role.BADGE_OFFICER, agency="OCS", username="cartes.ocs", password=PASSWORD)
    devices = {
        user.username: TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
        for user in (clerk, badges)
    }

    # The OCS's clerk creates the record: the grade is the customs', with its number.
    _sign_in(page, live_server.url + "/agents/nouveau/", "rh.ocs", devices["rh.ocs"])
    expect(page.get_by_role("heading", name="Nouveau dossier")).to_contain_text("OCS")
    page.get_by_label("Nom de famille").fill("Dembélé")
    page.get_by_label("Prénom(s)").fill("Salimata")
    page.get_by_label("Sexe").select_option("F")
    page.get_by_label("Date de naissance").fill("1988-04-12")
    page.get_by_label("Unité d'affectation").select_option(
        label="\u00a0\u00a0\u00a0\u00a0Antenne de l'aéroport de Bamako-Sénou"
    )
    page.get_by_label("Grade dans le corps d'origine").select_option(
        label="Douanes — Inspecteur des douanes (Statut du personnel des douanes (2002))"
    )
    page.get_by_label("Matricule dans le corps d'origine").fill("D12345")
    page.get_by_label("Début du détachement").fill("2025-09-01")
    page.get_by_label("Fin du détachement").fill("2028-08-31")
    page.get_by_label("Type d'acte").select_option(label="Arrêté")
    page.get_by_label("Numéro de l'acte").fill("2025-0917/MEF-DGD")
    page.get_by_label("Date de l'acte").fill("2025-08-20")
    page.get_by_label("Signataire").select_option(label="Directeur général des Douanes")
    page.get_by_role("button", name="Créer le dossier").click()
    expect(page.get_by_text("Dossier créé")).to_be_visible()
    expect(page.get_by_test_id("grade")).to_have_text("Inspecteur des douanes (Douanes)")
    expect(page.get_by_test_id("origin")).to_have_text("Direction générale des Douanes")
    officer = Officer.objects.get(family_name="Dembélé")
    assert officer.agency.code == "OCS" and officer.origin_service_number == "D12345"
    page.get_by_role("button", name="Se déconnecter").click()

    # The OCS's badge officer requests and prints the antenna's cards.
    _sign_in(page, live_server.url + "/cartes/", "cartes.ocs", devices["cartes.ocs"])
    page.get_by_role("link", name="Demande par unité").click()
    page.get_by_label("Unité (et ses subdivisions)").select_option("OCS-AIB")
    page.get_by_role("button", name="Compter les agents concernés").click()
    page.get_by_role("button", name="Demander 1 carte").click()
    page.get_by_role("link", name="Impression").first.click()
    page.get_by_label(
        "Imprimer aussi les cartes cochées dont le titulaire n'a pas de photo"
    ).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Imprimer les cartes cochées (PDF)").click()
    assert download.value.suggested_filename.startswith("cartes-")
    card = Card.objects.get(officer=officer)
    assert card.status == CardStatus.PRINTED and card.agency.code == "OCS"
    page.get_by_role("button", name="Se déconnecter").click()

    # The officer signs in with the OCS matricule and sees the record in customs ranks.
    make_user(
        Role.OFFICER, username=officer.matricule, officer=officer, password=PASSWORD, agency="OCS"
    )
    _sign_in(page, live_server.url + "/", officer.matricule)
    page.get_by_label("Navigation principale").get_by_role("link", name="Mon dossier").click()
    expect(page.get_by_role("heading", name="Mon dossier")).to_be_visible()
    expect(page.get_by_text("Inspecteur des douanes (Douanes)").first).to_be_visible()
    expect(page.get_by_test_id("origin")).to_have_text("Direction générale des Douanes")
