"""A director opens the dashboard, drills from a region to a unit, changes the date, exports."""

from __future__ import annotations

import datetime

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role
from matricule.reports.tests.conftest import POSTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_drills_down_changes_the_date_and_exports_the_pdf(
    live_server, page: Page, make_user, force
):
    user = make_user(Role.HR_DIRECTOR, username="drh.test", password="Mot-de-passe-2026")
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    page.goto(live_server.url + "/rapports/")
    page.get_by_label("Identifiant ou matricule").fill("drh.test")
    page.get_by_label("Mot de passe").fill("Mot-de-passe-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Tableau de bord des effectifs")).to_be_visible()
    expect(page.get_by_test_id("dash-total")).to_have_text("3")
    expect(page.get_by_test_id("alerts")).to_be_visible()

    # From the region chart's table to the units of that region.
    region_table = page.locator("#dash-region table")
    region_table.get_by_role("link", name="District de Bamako").click()
    expect(page.get_by_role("heading", name="Effectifs en service")).to_be_visible()
    expect(page.get_by_test_id("headcount-total")).to_contain_text("2 agents en service")
    page.locator("#headcount table").get_by_role(
        "link", name="Direction régionale de la Police du District de Bamako"
    ).click()
    expect(page.get_by_test_id("drill-crumbs")).to_contain_text("District de Bamako")
    expect(page.locator("#headcount table")).to_contain_text("Commissariat du 1er arrondissement")

    # The same unit on the day before the posting: Bakary was still in Bamako.
    page.get_by_label("Situation au").fill((POSTED - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("headcount-total")).to_contain_text("3 agents en service")

    with page.expect_download() as info:
        page.get_by_test_id("export-pdf").click()
    download = info.value
    assert download.suggested_filename == "rapport-headcount.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
