"""A recruitment officer sets up an intake, imports written marks (a bad file first),
ranks and publishes the admission list as PDF."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role
from matricule.core.tests.pdf import pdf_text
from matricule.recruitment.models import Candidate, Intake, StageResult
from matricule.recruitment.tests.factories import candidate_for_test

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_recruitment_officer_imports_marks_ranks_and_publishes(
    live_server, page: Page, make_user, tmp_path: Path
):
    make_user(Role.RECRUITMENT_OFFICER, username="recrutement.test", password="Mot-de-passe-2026")
    page.goto(live_server.url + "/concours/")
    page.get_by_label("Identifiant ou matricule").fill("recrutement.test")
    page.get_by_label("Mot de passe").fill("Mot-de-passe-2026")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Concours")).to_be_visible()
    page.get_by_role("link", name="Nouveau concours").click()
    page.get_by_label("Corps").select_option(label="Sous-officiers")
    page.get_by_label("Intitulé").fill(
        "Concours direct de recrutement de 2 élèves sous-officiers — 2026"
    )
    page.get_by_label("Nombre de postes").fill("2")
    page.get_by_label("Ouverture des candidatures").fill("2026-01-05")
    page.get_by_label("Clôture des candidatures").fill("2026-02-28")
    page.get_by_label("Date de référence pour l'âge").fill("2026-12-31")
    page.get_by_label("Diplôme minimum").select_option(label="Baccalauréat")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Concours créé.")).to_be_visible()

    page.locator("#id_epreuve-kind").select_option(label="Épreuves écrites")
    page.locator("#id_epreuve-pass_mark").fill("10")
    page.locator("#id_epreuve-counts_in_ranking").check()
    page.get_by_role("button", name="Ajouter l'épreuve").click()
    page.locator("#id_centre-code").fill("BKO")
    page.locator("#id_centre-name").fill("Bamako")
    page.get_by_role("button", name="Ajouter le centre").click()
    page.get_by_role("link", name="Matières").click()
    for code, name, coefficient in (("FR", "Français", "2"), ("CG", "Culture générale", "1")):
        page.get_by_label("Code").fill(code)
        page.get_by_label("Matière").fill(name)
        page.get_by_label("Coefficient").fill(coefficient)
        page.get_by_role("button", name="Ajouter").last.click()
        expect(page.get_by_role("cell", name=name)).to_be_visible()
    page.get_by_role("link", name="Concours", exact=True).last.click()
    page.get_by_role("button", name="Ouvrir les candidatures").click()
    expect(page.get_by_test_id("intake-status")).to_have_text("Candidatures ouvertes")

    intake = Intake.objects.get()
    people = [
        candidate_for_test(intake, family_name=name, birth_date=datetime.date(2003, 3, day))
        for name, day in (("Diarra", 1), ("Keïta", 2), ("Sangaré", 3))
    ]
    page.get_by_role("button", name="Clôturer les candidatures").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Plus aucun candidat")
    page.get_by_role("button", name="Clôturer les candidatures").click()
    expect(page.get_by_test_id("intake-status")).to_have_text("Épreuves en cours")

    page.get_by_role("link", name="Épreuves écrites").click()
    bad = tmp_path / "notes-ecrit.xlsx"
    bad.write_bytes(
        _xlsx(
            [
                ["Numéro", "Nom", "FR", "CG"],
                [people[0].application_number, "Diarra", 14, 12],
                [people[1].application_number, "Keïta", 25, 11],
                [people[2].application_number, "Sangaré", 9, 8],
            ]
        )
    )
    page.get_by_label("Fichier Excel (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Importer").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("rien n'a été enregistré")
    expect(errors).to_contain_text("Ligne 3, colonne C (« FR ») : note « 25 » hors de 0 à 20.")
    assert StageResult.objects.count() == 0

    page.get_by_role("link", name="Retour à l'épreuve").click()
    good = tmp_path / "notes-ecrit-corrige.xlsx"
    good.write_bytes(
        _xlsx(
            [
                ["Numéro", "Nom", "FR", "CG"],
                [people[0].application_number, "Diarra", 14, 12],
                [people[1].application_number, "Keïta", 15, 11],
                [people[2].application_number, "Sangaré", 9, 8],
            ]
        )
    )
    page.get_by_label("Fichier Excel (.xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("3 résultats importés")).to_be_visible()
    assert Candidate.objects.filter(eliminated_stage__isnull=False).count() == 1

    page.get_by_role("link", name="Concours", exact=True).last.click()
    page.get_by_role("button", name="Établir le classement").click()
    expect(page.get_by_text("Classement établi : 2 classés, 2 admis")).to_be_visible()
    expect(page.get_by_test_id("tie-break")).to_contain_text("le plus jeune d'abord")
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("2 admis")
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Résultats publiés")).to_be_visible()

    link = page.get_by_role("link", name="Liste d'admission (ordre alphabétique) — ensemble")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "DIARRA" in text and "KEÏTA" in text
    assert "SANGARÉ" not in text
