"""A cycle in the browser: the officer self-assesses, the head of unit rates, the reviewer
adjusts with a justification, the officer appeals, and the HR director decides."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from matricule.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mot-de-passe-2026"


def _login(page: Page, base: str, username: str, device: TOTPDevice | None = None) -> None:
    page.context.clear_cookies()
    page.goto(base + "/compte/connexion/")
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Valider").click()


def test_rate_adjust_appeal_decide(live_server, page: Page, mali, hire, make_user, appoint):
    from matricule.evaluations.services import cycle_open

    director = hire(unit="DR-BKO", family_name="Diallo", given_names="Ousmane", grade="CNE")
    chief = hire(unit="BKO-CA01", family_name="Keita", given_names="Seydou", grade="CNE")
    agent = hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa", sex="F")
    appoint(director, "DR-BKO")
    appoint(chief, "BKO-CA01")
    make_user(Role.OFFICER, username=agent.matricule, password=PASSWORD, officer=agent)
    make_user(Role.SUPERVISOR, "BKO-CA01", username="chef.test", password=PASSWORD, officer=chief)
    make_user(
        Role.SUPERVISOR, "DR-BKO", username="directeur.test", password=PASSWORD, officer=director
    )
    hr = make_user(Role.HR_DIRECTOR, username="drh.test", password=PASSWORD)
    device = TOTPDevice.objects.create(user=hr, name="téléphone", confirmed=True)
    today = timezone.localdate()
    cycle_open(
        agency=mali,
        year=today.year,
        period_start=datetime.date(today.year, 1, 1),
        period_end=datetime.date(today.year, 12, 31),
        reference_date=today,
        self_deadline=today + datetime.timedelta(days=10),
        rating_deadline=today + datetime.timedelta(days=20),
        review_deadline=today + datetime.timedelta(days=30),
        by=None,
    )
    base = live_server.url

    # The officer hands in the self-assessment from their own space.
    _login(page, base, agent.matricule)
    page.goto(base + "/moi/evaluations/")
    page.get_by_role("link", name="Remplir mon auto-évaluation").click()
    page.get_by_label("Votre auto-évaluation").fill("Objectifs atteints, formation souhaitée.")
    page.get_by_role("button", name="Remettre mon auto-évaluation").click()
    expect(page.get_by_text("Auto-évaluation remise à votre supérieur.")).to_be_visible()

    # The head of unit rates from the inbox, criterion by criterion.
    _login(page, base, "chef.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Notation"
    ).click()

    page.get_by_test_id("start-rating").click()
    form = page.get_by_test_id("rating-form")
    for field in form.locator("input[type=number]").all():
        field.fill("15")
    form.get_by_label("Appréciation générale").fill("Agent sérieux et disponible.")
    page.get_by_test_id("rate-submit").click()
    expect(page.get_by_text("note 15/20 enregistrée")).to_be_visible()

    # The reviewer sees the rater's calibration and adjusts, with a justification.
    _login(page, base, "directeur.test")
    page.goto(base + "/evaluations/")
    page.get_by_role("link", name="TRAORÉ Awa").click()
    expect(page.get_by_test_id("rater-calibration")).to_be_visible()
    review = page.get_by_test_id("review-form")
    review.get_by_label("Note ajustée", exact=True).check()
    review.get_by_label("Note ajustée (sur 20)").fill("14")
    review.get_by_label("Justification (obligatoire pour un ajustement)").fill(
        "Ramenée à la moyenne de la direction régionale."
    )
    review.get_by_role("button", name="Enregistrer la revue").click()
    expect(page.get_by_text("Revue enregistrée ; l'agent en est informé.")).to_be_visible()

    # The officer appeals within the period.
    _login(page, base, agent.matricule)
    page.goto(base + "/moi/evaluations/")
    page.get_by_role("link", name="Prendre connaissance ou former un recours").click()
    expect(page.get_by_test_id("final-mark")).to_have_text("14 / 20")
    appeal = page.get_by_test_id("appeal-form")
    appeal.get_by_label("Motif du recours").fill("Mes résultats justifient la note du chef.")
    appeal.get_by_role("button", name="Former un recours").click()
    expect(page.get_by_text("Votre recours est transmis aux ressources humaines.")).to_be_visible()
    url = page.url

    # The HR director decides: revised.
    _login(page, base, "drh.test", device)
    page.goto(url)
    decide = page.get_by_test_id("decide-form")
    decide.get_by_label("Note révisée", exact=True).check()
    decide.get_by_label("Note révisée (sur 20)").fill("15")
    decide.get_by_label("Motifs").fill("La commission retient la note du supérieur.")
    decide.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision enregistrée ; l'agent en est informé.")).to_be_visible()
    expect(page.get_by_test_id("final-mark")).to_have_text("15 / 20")
    expect(page.get_by_test_id("step")).to_have_text("Clôturée")
