"""A clerk finds an officer, records a posting with its act, and looks back in time."""

from __future__ import annotations

import datetime

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_clerk_searches_records_a_posting_and_sees_the_record_before(
    live_server, page: Page, make_user, hire
):
    hire(
        unit="BKO-CA01",
        family_name="Traoré",
        given_names="Oumou",
        sex="F",
        entry_date=datetime.date(2012, 10, 1),
    )
    hire(unit="BKO-CA02", family_name="Keïta", given_names="Modibo")
    user = make_user(Role.HR_CLERK, "DR-BKO", username="rh.test", password="Mot-de-passe-2026")
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)

    page.goto(live_server.url + "/agents/")
    page.get_by_label("Identifiant ou matricule").fill("rh.test")
    page.get_by_label("Mot de passe").fill("Mot-de-passe-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Agents")).to_be_visible()
    page.get_by_label("Nom, matricule ou NINA").fill("traore")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_test_id("officer-count")).to_have_text("1 agent")
    page.get_by_role("link", name="TRAORÉ Oumou").click()

    expect(page.get_by_role("heading", name="TRAORÉ Oumou")).to_be_visible()
    page.get_by_role("link", name="Carrière").click()
    page.get_by_text("Enregistrer un événement").click()
    page.get_by_role("link", name="Affectation / mutation").click()
    page.get_by_label("Date d'effet").fill("2024-03-01")
    page.get_by_label("Nouvelle unité").select_option(
        label="\u00a0\u00a0\u00a0\u00a0Commissariat du 7e arrondissement"
    )
    page.get_by_label("Type d'acte").select_option(label="Décision")
    page.get_by_label("Numéro de l'acte").fill("2024-0311/DGPN-DRH")
    page.get_by_label("Date de l'acte").fill("2024-02-20")
    page.get_by_label("Signataire").select_option(index=1)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Événement enregistré.")).to_be_visible()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Commissariat du 7e arrondissement")
    expect(timeline).to_contain_text("Décision n° 2024-0311/DGPN-DRH du 20/02/2024")

    page.get_by_label("Voir le dossier au").fill("2023-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Dossier tel qu'il était le 31/12/2023")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Commissariat du 1er arrondissement")
    expect(timeline).not_to_contain_text("2024-0311/DGPN-DRH")
