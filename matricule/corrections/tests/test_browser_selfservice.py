"""An officer corrects their birth place with a scan; the clerk approves; the officer sees it."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role
from matricule.core.tests.pdf import tiny_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/")
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_officer_correction_journey(live_server, page: Page, make_user, hire, tmp_path):
    officer = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    account = make_user(
        Role.OFFICER, username=officer.matricule, officer=officer, password="Provisoire-1234"
    )
    account.must_change_password = True
    account.save()
    clerk = make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko", password="Mot-de-passe-2026")
    device = TOTPDevice.objects.create(user=clerk, name="téléphone", confirmed=True)
    scan = tmp_path / "acte-de-naissance.pdf"
    scan.write_bytes(tiny_pdf())

    # The officer signs in with the matricule and must choose a password first.
    _sign_in(page, live_server.url, officer.matricule, "Provisoire-1234")
    expect(page.get_by_role("heading", name="Changer le mot de passe")).to_be_visible()
    page.locator("#id_old_password").fill("Provisoire-1234")
    page.locator("#id_new_password1").fill("Kalaban-Coura-2026")
    page.locator("#id_new_password2").fill("Kalaban-Coura-2026")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_label("Navigation principale").get_by_role("link", name="Mon dossier").click()
    expect(page.get_by_role("heading", name="Mon dossier")).to_be_visible()
    page.locator("dd", has_text="Ségou").get_by_role("link", name="Corriger").click()
    page.get_by_label("Valeur exacte").fill("Kati")
    page.get_by_label("Pourquoi cette information est-elle inexacte ?").fill(
        "Je suis née à Kati, comme l'indique mon acte de naissance."
    )
    page.get_by_label("Pièces justificatives").set_input_files(str(scan))
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Demande envoyée au service des ressources humaines.")).to_be_visible()
    expect(page.get_by_text("En attente")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # The clerk approves it.
    _sign_in(page, live_server.url, "rh.bko", "Mot-de-passe-2026")
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("link", name="Corrections").click()
    expect(page.get_by_text("Kati")).to_be_visible()
    page.get_by_role("link", name="Examiner").click()
    expect(page.get_by_role("link", name="acte-de-naissance.pdf")).to_be_visible()
    page.get_by_role("button", name="Accepter et corriger le dossier").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Kati")
    page.get_by_role("button", name="Accepter et corriger le dossier").click()
    expect(page.get_by_text("Correction appliquée au dossier.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # The officer sees the corrected value and the trace.
    _sign_in(page, live_server.url, officer.matricule, "Kalaban-Coura-2026")
    page.get_by_label("Navigation principale").get_by_role("link", name="Mon dossier").click()
    expect(page.locator("dd", has_text="Kati")).to_be_visible()
    page.get_by_role("link", name="Mes demandes").click()
    expect(page.get_by_text("Acceptée")).to_be_visible()
    page.get_by_role("link", name="Qui a consulté mon dossier").click()
    expect(page.get_by_role("cell", name="rh.bko").first).to_be_visible()
