"""A clerk signs in, in French, with the second factor, switches to English and signs out."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_in_french_switches_to_english_and_logs_out(
    live_server, page: Page, make_user, make_officer
):
    make_officer(unit="BKO-CA01")
    user = make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko", password="Mot-de-passe-2026")
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.get_by_label("Identifiant ou matricule").fill("rh.bko")
    page.get_by_label("Mot de passe").fill("Mot-de-passe-2026")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Bonjour, rh.bko")).to_be_visible()
    expect(page.get_by_text("Gestionnaire RH", exact=True)).to_be_visible()
    expect(page.get_by_test_id("count-officers")).to_have_text("1")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Hello, rh.bko")).to_be_visible()
    expect(page.get_by_text("HR clerk", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
