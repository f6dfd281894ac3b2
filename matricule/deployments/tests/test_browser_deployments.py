"""A planner builds an operation, reads why candidates rank as they do, assigns two officers,
and each of them finds the mission in their own space."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/compte/connexion/")
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_planner_creates_searches_assigns_and_officers_see_it(
    live_server, page: Page, make_user, hire, give
):
    from matricule.deployments.seeding import seed_partner_agencies

    seed_partner_agencies()
    expert = hire(unit="FORSAT", family_name="Traoré", given_names="Awa", sex="F")
    give.skill(expert, "counter_terrorism", 3)
    give.language(expert, "en", 2)
    steady = hire(unit="FORSAT", family_name="Keïta", given_names="Modibo")
    give.skill(steady, "counter_terrorism", 2)
    give.language(steady, "en", 2)
    near = hire(unit="GMS", family_name="Coulibaly", given_names="Seydou")
    give.skill(near, "counter_terrorism", 2)
    make_user(Role.OPERATIONS_PLANNER, username="operations.test", password="Mot-de-passe-2026")
    make_user(Role.OFFICER, username=expert.matricule, password="Agent-2026-mdp", officer=expert)
    make_user(Role.OFFICER, username=steady.matricule, password="Agent-2026-mdp", officer=steady)
    start = timezone.localdate() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=29)

    _login(page, live_server.url, "operations.test", "Mot-de-passe-2026")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Opérations"
    ).click()
    page.get_by_role("link", name="Nouvelle opération").click()
    page.get_by_label("Nom de l'opération").fill("Opération Kanaga")
    page.get_by_label("Nature").select_option(label="Opération")
    page.get_by_label("Date de début").fill(start.isoformat())
    page.get_by_label("Date de fin (vide : sans date de fin)").fill(end.isoformat())
    page.get_by_label("Région (opération au Mali)").select_option(label="Mopti")
    page.get_by_label("Unité de commandement").select_option(
        label="\u00a0\u00a0Force spéciale antiterroriste"
    )
    page.get_by_label("Gendarmerie nationale").check()
    page.get_by_role("button", name="Créer l'opération").click()
    expect(page.get_by_text("Opération créée : ajoutez maintenant ses postes.")).to_be_visible()

    page.get_by_role("link", name="Ajouter un poste").click()
    page.get_by_label("Intitulé du poste").fill("Équipe d'intervention")
    page.get_by_label("Nombre de postes").fill("2")
    page.get_by_role("button", name="Créer le poste").click()
    expect(page.get_by_text("Poste créé : précisez ses exigences.")).to_be_visible()

    page.get_by_label("Nature de l'exigence").select_option(label="Compétence")
    page.get_by_label("Compétence ou catégorie de permis").select_option(
        label="Spécialités — Lutte antiterroriste"
    )
    page.get_by_label("Niveau minimal", exact=False).fill("2")
    page.get_by_role("button", name="Ajouter l'exigence").click()
    expect(page.get_by_text("Exigence ajoutée.")).to_be_visible()
    page.get_by_label("Nature de l'exigence").select_option(label="Langue")
    page.get_by_label(re.compile(r"^Langue\b")).select_option(label="Anglais")
    page.get_by_label("Niveau minimal", exact=False).fill("2")
    page.get_by_role("button", name="Ajouter l'exigence").click()
    expect(page.get_by_test_id("requirements")).to_contain_text("Anglais B1")

    page.get_by_role("link", name="Rechercher des candidats").first.click()
    expect(page.get_by_test_id("ranking-rule")).to_contain_text("le moins d'exigences manquantes")
    candidates = page.get_by_test_id("candidate")
    expect(candidates).to_have_count(3)
    first, third = candidates.nth(0), candidates.nth(2)
    expect(first).to_contain_text("TRAORÉ Awa")
    expect(first.get_by_test_id("why")).to_contain_text("remplit toutes les exigences")
    expect(first.get_by_test_id("why")).to_contain_text("1 niveau au-dessus du minimum")
    expect(candidates.nth(1)).to_contain_text("KEÏTA Modibo")
    expect(third).to_contain_text("COULIBALY Seydou")
    expect(third.get_by_test_id("why")).to_contain_text("1 exigence manquante")
    expect(third.get_by_test_id("lacks")).to_contain_text("Anglais non parlé, requis B1 : manque")

    first.get_by_role("button", name=f"Affecter {expert.matricule}").click()
    expect(
        page.get_by_text("Traoré Awa est affecté(e) au poste « Équipe d'intervention »")
    ).to_be_visible()
    page.get_by_role("button", name=f"Affecter {steady.matricule}").click()
    expect(page.get_by_text("Keïta Modibo est affecté(e)")).to_be_visible()
    # Both are now held over these dates: only the near miss remains, and the post is full.
    expect(page.get_by_test_id("candidate")).to_have_count(1)
    page.get_by_role("button", name=f"Affecter {near.matricule}").click()
    expect(page.get_by_text("est complet")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    for officer in (expert, steady):
        _login(page, live_server.url, officer.matricule, "Agent-2026-mdp")
        page.goto(live_server.url + "/moi/")
        page.get_by_role("link", name="Mes missions").first.click()
        missions = page.get_by_test_id("missions")
        expect(missions).to_contain_text("Opération Kanaga")
        expect(missions).to_contain_text("Équipe d'intervention")
        expect(missions).to_contain_text("Prévue")
        page.get_by_role("button", name="Se déconnecter").click()
