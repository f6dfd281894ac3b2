"""Each role's home page offers its work; notifications are counted in the header."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matricule.accounts.models import User
from matricule.accounts.roles import Role
from matricule.accounts.services import notifications_mark_read, notify
from matricule.cards.services import card_request
from matricule.core.tests.pdf import tiny_pdf

pytestmark = pytest.mark.django_db


def labels(response):
    return [str(t.label) for t in response.context["tasks"]]


def test_badge_officer_sees_cards_to_print(client, login, make_user, hire):
    for i in range(2):
        card_request(officer=hire(unit="BKO-CA01", family_name=f"Konaté {chr(65 + i)}"), by=None)
    login(make_user(Role.BADGE_OFFICER, "DR-BKO"))
    assert "2 cartes à imprimer" in labels(client.get(reverse("web:home")))


def test_clerk_of_another_region_sees_nothing_of_bamakos_cards(client, login, make_user, hire):
    card_request(officer=hire(unit="BKO-CA01"), by=None)
    login(make_user(Role.BADGE_OFFICER, "DR-GAO"))
    assert labels(client.get(reverse("web:home"))) == []


def test_clerk_sees_corrections_to_process(client, login, make_user, hire):
    from matricule.corrections.services import Upload, correction_file

    officer = hire(unit="BKO-CA01")
    account = make_user(Role.OFFICER, officer=officer, username=officer.matricule)
    correction_file(
        officer=officer,
        field_name="birth_place",
        proposed={"value": "Kati"},
        justification="Erreur sur l'acte de naissance",
        uploads=[Upload(name="acte.pdf", data=tiny_pdf())],
        by=account,
    )
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    assert "1 demande de correction à traiter" in labels(client.get(reverse("web:home")))


def test_officer_home_does_not_claim_the_whole_agency(client, login, make_user, hire):
    officer = hire()
    login(make_user(Role.OFFICER, officer=officer, username=officer.matricule))
    body = client.get(reverse("web:home")).content.decode()
    assert "Toute l&#x27;agence" not in body and "Toute l'agence" not in body
    assert "Ouvrir mon dossier" in body


def test_header_counts_unread_notifications_without_a_query(
    client, login, make_user, django_assert_max_num_queries
):
    user = make_user(Role.INSPECTOR)
    notify(users=[user], message="Votre demande de correction n° 3 a été acceptée.")
    notify(users=[user], message="Une évaluation est à faire.")
    login(user)
    page = client.get(reverse("web:home"))
    assert page.context["unread_notifications"] == 2
    assert "Votre demande de correction n° 3 a été acceptée." in page.content.decode()
    client.get(reverse("accounts:notifications"))
    assert User.objects.get(pk=user.pk).unread_notifications == 0
    assert client.get(reverse("web:home")).context["unread_notifications"] == 0
    notifications_mark_read(user=user)
