"""A training officer runs a session with a partner; the officer sees the skill and the PDF."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/compte/connexion/")
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_training_officer_runs_a_session_and_the_officer_gets_skill_and_certificate(
    live_server, page: Page, make_user, hire, catalogue, tmp_path
):
    awa = hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa", sex="F")
    modibo = hire(unit="BKO-CA02", family_name="Keïta", given_names="Modibo")
    make_user(Role.TRAINING_OFFICER, username="formation.test", password="Mot-de-passe-2026")
    make_user(Role.OFFICER, username=awa.matricule, password="Agent-2026-mdp", officer=awa)
    start = timezone.localdate() - datetime.timedelta(days=10)
    end = start + datetime.timedelta(days=1)

    _login(page, live_server.url, "formation.test", "Mot-de-passe-2026")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Formation"
    ).click()
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Formation").select_option(label="PSC1 — Premiers secours")
    page.get_by_label("Date de début").fill(start.isoformat())
    page.get_by_label("Date de fin").fill(end.isoformat())
    page.get_by_label("Lieu").fill("École nationale de police, Bamako")
    page.get_by_label("Nombre de places").fill("12")
    page.get_by_label("Partenaire financeur").select_option(label="EUCAP Sahel Mali")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_text("Session créée.")).to_be_visible()
    expect(page.get_by_role("heading", name="Premiers secours")).to_be_visible()

    for officer in (awa, modibo):
        page.get_by_label("Matricule de l'agent à proposer").fill(officer.matricule)
        page.get_by_role("button", name="Proposer").click()
        expect(page.get_by_text(f"{officer.full_name} est proposé.")).to_be_visible()
    expect(page.get_by_test_id("seats")).to_have_text("2 / 12")
    page.get_by_role("button", name="Ouvrir les inscriptions").click()
    page.get_by_role("button", name="Commencer la session").click()
    expect(page.get_by_test_id("session-status")).to_have_text("En cours")

    page.get_by_role("link", name=start.strftime("%d/%m/%Y")).click()
    page.get_by_label("KEÏTA Modibo").uncheck()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text(f"Présences du {start:%d/%m/%Y} enregistrées.")).to_be_visible()

    page.get_by_role("link", name="Saisir les résultats").click()
    page.get_by_label("Résultat de Traoré Awa").select_option(label="Admis")
    page.get_by_label("Note de Traoré Awa").fill("16,5".replace(",", "."))
    page.get_by_label("Résultat de Keïta Modibo").select_option(label="Absent")
    page.get_by_role("button", name="Enregistrer les résultats").click()
    expect(page.get_by_text("Résultats enregistrés.")).to_be_visible()

    page.get_by_role("button", name="Clôturer la session").click()
    # Asked first: what closing does, and that no trainer was recorded.
    confirm = page.get_by_test_id("confirm")
    expect(confirm).to_contain_text("1 certificat numéroté sera délivré")
    expect(page.get_by_test_id("confirm-warnings")).to_contain_text("Aucun formateur")
    # The box must be ticked (the browser refuses the form without it; the server too).
    expect(
        page.get_by_label("J'ai lu les avertissements ci-dessus et je clôture quand même.")
    ).to_have_attribute("required", "")
    page.get_by_label("J'ai lu les avertissements ci-dessus et je clôture quand même.").check()
    page.get_by_role("button", name="Clôturer la session").click()
    expect(
        page.get_by_text(
            "Session clôturée : 1 certificat(s) délivré(s), 1 compétence(s) accordée(s)."
        )
    ).to_be_visible()
    expect(page.get_by_test_id("session-status")).to_have_text("Clôturée")
    page.get_by_role("button", name="Se déconnecter").click()

    _login(page, live_server.url, awa.matricule, "Agent-2026-mdp")
    page.get_by_role("link", name="Mes formations").click()
    expect(page.get_by_test_id("skills")).to_contain_text("Premiers secours")
    certificates = page.get_by_test_id("certificates")
    expect(certificates).to_contain_text(f"FORM-{end.year}-000001")
    with page.expect_download() as info:
        certificates.get_by_role("link", name="Télécharger").click()
    download = info.value
    assert download.suggested_filename == f"FORM-{end.year}-000001.pdf"
    path = tmp_path / "certificat.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
