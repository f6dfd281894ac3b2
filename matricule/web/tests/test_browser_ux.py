"""Issue 15 journeys in Chromium: the sysadmin's screens, the inspector's audit, and a clerk
whose save takes an officer out of their scope."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import Role
from matricule.core.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mot-de-passe-2026"


def sign_in(page: Page, url: str, username: str, password: str = PASSWORD, device=None) -> None:
    page.goto(url)
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Valider").click()


def test_sysadmin_opens_an_account_grants_a_subtree_then_revokes_it(
    live_server, browser: Browser, make_user, hire
):
    hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    hire(unit="GAO-CC", family_name="Maïga", given_names="Fatoumata", sex="F")
    admin = make_user(Role.SYSADMIN, username="admin.dsi", password=PASSWORD)
    device = TOTPDevice.objects.create(user=admin, name="téléphone", confirmed=True)

    admin_page = browser.new_context(locale="fr-FR").new_page()
    sign_in(admin_page, live_server.url + "/", "admin.dsi", device=device)
    admin_page.get_by_label("Navigation principale").get_by_role(
        "link", name="Administration"
    ).click()
    admin_page.get_by_role("link", name=re.compile(r"^Comptes")).first.click()
    admin_page.get_by_role("link", name="Créer un compte").click()
    admin_page.get_by_label("Identifiant de connexion").fill("a.keita")
    admin_page.get_by_label(re.compile(r"^Nom")).fill("Keïta")
    admin_page.get_by_label("Prénom(s)").fill("Aminata")
    admin_page.get_by_label("Motif").fill("Nouvelle gestionnaire RH du 1er arrondissement")
    admin_page.get_by_role("button", name="Créer le compte").click()
    one_time = admin_page.get_by_test_id("one-time-password").inner_text()
    admin_page.get_by_role("link", name="Continuer vers le compte").click()

    form = admin_page.get_by_test_id("grant-form")
    form.get_by_label("Rôle").select_option(label="Gestionnaire RH")
    form.get_by_label("Agence").select_option(label="Police nationale")
    unit = Unit.objects.get(code="BKO-CA01")
    form.get_by_label("Limité à l'unité").select_option(value=str(unit.pk))
    form.get_by_label("Motif").fill("Prise de poste au 1er arrondissement")
    admin_page.get_by_role("button", name="Attribuer le rôle").click()
    expect(admin_page.get_by_text("Rôle « Gestionnaire RH » attribué à a.keita.")).to_be_visible()
    expect(admin_page.get_by_test_id("grants")).to_contain_text(
        "Commissariat du 1er arrondissement et ses subdivisions"
    )

    # The new clerk signs in: new password, then her own second factor.
    clerk_page = browser.new_context(locale="fr-FR").new_page()
    sign_in(clerk_page, live_server.url + "/agents/", "a.keita", one_time)
    clerk_page.get_by_label("Ancien mot de passe").fill(one_time)
    clerk_page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill("Kalaban-Coura-2026!")
    clerk_page.get_by_label("Confirmation du nouveau mot de passe").fill("Kalaban-Coura-2026!")
    clerk_page.get_by_role("button", name="Enregistrer").click()
    clerk_page.goto(live_server.url + "/agents/")
    secret = clerk_page.locator(".qr + p code").inner_text()
    key = base64.b32decode(secret)
    clerk_page.get_by_label("Code à 6 chiffres").fill(f"{totp(key):06d}")
    clerk_page.get_by_role("button", name="Activer").click()
    clerk_page.goto(live_server.url + "/agents/")
    expect(clerk_page.get_by_test_id("officer-count")).to_have_text("1 agent")
    expect(clerk_page.get_by_test_id("officer-table")).to_contain_text("TRAORÉ")
    expect(clerk_page.get_by_test_id("officer-table")).not_to_contain_text("MAÏGA")

    # The sysadmin revokes the grant, with a reason, after a confirmation.
    admin_page.get_by_role("link", name="Retirer").click()
    expect(admin_page.get_by_test_id("confirm")).to_contain_text("Retirer à a.keita le rôle")
    admin_page.get_by_label("Motif").fill("Mutée à Kayes")
    admin_page.get_by_role("button", name="Retirer le rôle").click()
    expect(admin_page.get_by_text("Rôle « Gestionnaire RH » retiré à a.keita.")).to_be_visible()
    assert not RoleGrant.objects.filter(user__username="a.keita").exists()

    response = clerk_page.goto(live_server.url + "/agents/")
    assert response is not None and response.status == 403


def test_inspector_filters_the_audit_by_officer_and_reads_a_before_after_in_french(
    live_server, page: Page, make_user, hire
):
    from matricule.personnel.services import officer_update

    clerk = make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko")
    traore = hire(unit="BKO-CA01", family_name="Traoré", given_names="Moussa")
    keita = hire(unit="BKO-CA02", family_name="Keïta", given_names="Modibo")
    officer_update(
        officer=traore, data={"birth_place": "Kati"}, expected_version=traore.version, by=clerk
    )
    officer_update(
        officer=keita, data={"birth_place": "Kita"}, expected_version=keita.version, by=clerk
    )
    make_user(Role.INSPECTOR, username="inspection", password=PASSWORD)

    sign_in(page, live_server.url + "/", "inspection")
    page.get_by_label("Navigation principale").get_by_role("link", name="Piste d'audit").click()
    page.get_by_label("Agent concerné").fill("traore")
    page.get_by_label("Action").select_option(label="Identité ou coordonnées modifiées")
    page.get_by_role("button", name="Filtrer").click()

    rows = page.get_by_test_id("audit-rows")
    expect(rows.locator(".audit-entry")).to_have_count(1)
    entry = rows.locator(".audit-entry").first
    expect(entry).to_contain_text("Identité ou coordonnées modifiées")
    expect(entry).to_contain_text("TRAORÉ Moussa")
    expect(entry).to_contain_text("rh.bko")
    expect(entry).not_to_contain_text("birth_place")
    entry.get_by_text("Avant / après").click()
    line = entry.locator("tr.changed")
    expect(line).to_contain_text("lieu de naissance")
    expect(line).to_contain_text("Ségou")
    expect(line).to_contain_text("Kati")

    with page.expect_download() as download:
        page.get_by_test_id("audit-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_host_clerk_ends_a_secondment_and_lands_on_what_was_recorded(
    live_server, page: Page, make_user, hire
):
    from matricule.personnel.services import Act, event_record

    officer = hire(unit="BKO-CA01", family_name="Sidibé", given_names="Adama")
    host = Unit.objects.filter(agency__code="OCS", is_active=True).order_by("path").first()
    event_record(
        officer=officer,
        kind="secondment",
        effective_date=datetime.date(2020, 1, 6),
        unit=host,
        act=Act(kind="arrete", number="2019-77/MSPC", date=datetime.date(2019, 12, 20)),
        by=None,
    )
    clerk = make_user(username="rh.ocs", password=PASSWORD)
    RoleGrant.objects.create(user=clerk, role=Role.HR_CLERK, agency=host.agency)
    device = TOTPDevice.objects.create(user=clerk, name="téléphone", confirmed=True)

    sign_in(
        page, live_server.url + f"/agents/{officer.matricule}/carriere/", "rh.ocs", device=device
    )
    page.get_by_text("Enregistrer un événement").click()
    page.get_by_role("link", name="Changement de position").click()
    page.get_by_label("Date d'effet").fill("2024-03-01")
    page.get_by_label("Nouvelle position").select_option(label="En activité")
    # The end of a secondment is an event with its act.
    page.get_by_label("Type d'acte").select_option(label="Arrêté")
    page.get_by_label("Numéro de l'acte").fill("2024-0212/MSPC")
    page.get_by_label("Date de l'acte").fill("2024-02-12")
    page.get_by_role("button", name="Enregistrer").click()

    box = page.get_by_test_id("recorded-out-of-scope")
    expect(box).to_contain_text("Événement enregistré")
    expect(box).to_contain_text("SIDIBÉ Adama")
    expect(box).to_contain_text("01/03/2024")
    expect(box).to_contain_text("ne fait plus partie de votre périmètre")
    page.get_by_role("link", name="Retour à la liste des agents").click()
    expect(page.get_by_test_id("officer-count")).to_have_text("0 agents")


def test_phone_layout_header_lists_and_tabs_fit_390_pixels(
    live_server, browser: Browser, make_user, make_officer
):
    from matricule.cards.services import card_issue_now

    officers = [
        make_officer(unit="BKO-CA01", family_name=f"Diarra{i}", given_names="Mariam Awa")
        for i in range(12)
    ]
    for officer in officers[:6]:
        card_issue_now(officer=officer, handed_to="le titulaire", by=None)
    user = make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko", password=PASSWORD)
    RoleGrant.objects.create(
        user=user, role=Role.BADGE_OFFICER, agency=user.role_grants.get().agency
    )
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server.url + "/agents/", "rh.bko", device=device)

    def fits() -> None:
        header = page.locator(".topbar").bounding_box()
        assert header is not None and header["height"] <= 100, header
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"la page déborde : {width} px"

    expect(page.get_by_test_id("officer-table")).to_be_visible()
    fits()
    page.goto(f"{live_server.url}/agents/{officers[0].matricule}/")
    fits()
    tabs = page.locator(".tabs").bounding_box()
    assert tabs is not None and tabs["height"] < 60, "les onglets tiennent sur une ligne"
    page.goto(f"{live_server.url}/cartes/")
    expect(page.get_by_test_id("status-tiles")).to_be_visible()
    fits()
    tiles = page.get_by_test_id("status-tiles").bounding_box()
    assert tiles is not None and tiles["height"] < 260, tiles
    context.close()
