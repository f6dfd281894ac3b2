"""An officer reads their breakdown, the board decides with one justified deviation, the chair
acknowledges the fairness audit, the HR director publishes and the grades reach the records."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role
from matricule.promotions.models import Eligibility
from matricule.promotions.services import vacancies
from matricule.promotions.services.runs import eligibility_run

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mot-de-passe-2026"


def _login(page: Page, url: str, username: str, device: TOTPDevice | None = None) -> None:
    page.context.clear_cookies()
    page.goto(url + "/compte/connexion/")
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Valider").click()


def test_a_campaign_from_breakdown_to_grade_events(
    live_server, page: Page, make_user, make_rule, make_campaign, sergeants, board_for
):
    make_rule()
    campaign = make_campaign()
    run = eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=2, reason="Deux postes budgétés", by=None)
    chair = make_user(Role.PROMOTION_BOARD, username="presidente", password=PASSWORD)
    board_for(campaign, chair=chair)
    ranked = [
        e.officer
        for e in Eligibility.objects.filter(run=run, eligible=True)
        .order_by("rank")
        .select_related("officer")
    ]
    reader = ranked[1]
    make_user(Role.OFFICER, username=reader.matricule, password=PASSWORD, officer=reader)
    director = make_user(Role.HR_DIRECTOR, username="drh.test", password=PASSWORD)
    device = TOTPDevice.objects.create(user=director, name="téléphone", confirmed=True)
    base = live_server.url

    # The officer reads every criterion, their points and their rank.
    _login(page, base, reader.matricule)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon avancement"
    ).click()
    breakdown = page.get_by_test_id("breakdown")
    expect(breakdown).to_contain_text("Éligible")
    expect(breakdown).to_contain_text("rang 2 sur 4")
    expect(breakdown).to_contain_text("Années dans le grade")

    # The board promotes the first, then the third over the second, with a justification.
    _login(page, base, "presidente")
    page.goto(base + reverse("promotions:board", args=[campaign.pk]))
    first = page.locator(f"tr[data-matricule='{ranked[0].matricule}']")
    first.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Décision enregistrée")).to_be_visible()
    third = page.locator(f"tr[data-matricule='{ranked[2].matricule}']")
    third.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("justifiez-la par écrit")).to_be_visible()
    third = page.locator(f"tr[data-matricule='{ranked[2].matricule}']")
    third.get_by_placeholder("Justification (contre le classement)").fill(
        "Engagement exemplaire lors des inondations de Mopti"
    )
    third.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(f"tr[data-matricule='{ranked[2].matricule}']")).to_contain_text(
        "contraire au classement"
    )

    # The chair acknowledges the fairness audit.
    page.get_by_role("link", name="Audit d'équité").click()
    expect(page.locator("svg").first).to_be_visible()
    page.get_by_label("Observations du président sur l'audit").fill("Écarts examinés en séance.")
    page.get_by_role("button", name="Prendre acte de l'audit").click()
    expect(page.get_by_text("Vous avez pris acte de l'audit d'équité.")).to_be_visible()

    # The HR director publishes the tableau and puts the promotions into effect.
    _login(page, base, "drh.test", device)
    page.goto(base + reverse("promotions:campaign_detail", args=[campaign.pk]))
    page.get_by_role("button", name="Publier le tableau").click()
    page.get_by_role("button", name="Publier le tableau").click()
    expect(page.get_by_text("Tableau d'avancement publié.")).to_be_visible()
    page.get_by_role("button", name="Prononcer les avancements").click()
    page.get_by_role("button", name="Prononcer les avancements").click()
    expect(page.get_by_text("2 avancements inscrits aux carrières.")).to_be_visible()
    page.goto(base + reverse("personnel:officer_career", args=[ranked[2].matricule]))
    grade_event = page.get_by_role("listitem").filter(has_text="Changement de grade")
    expect(grade_event).to_contain_text("Sergent-chef")
    expect(grade_event).to_contain_text("/PN/AV")
