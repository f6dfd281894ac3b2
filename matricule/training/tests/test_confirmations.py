"""Cancelling or closing a session is confirmed first, with what it does and what is wrong."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.training.models import SessionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.TRAINING_OFFICER)


def test_cancel_asks_first_and_changes_nothing_until_confirmed(
    client, login, manager, make_session
):
    session = make_session()
    login(manager)
    url = reverse("training:session_status", args=[session.pk])
    page = client.post(url, {"status": "cancelled"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Annuler la session" in body and "ne peut plus être rouverte" in body
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED
    client.post(url, {"status": "cancelled", "confirme": "oui"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


def test_other_status_changes_need_no_confirmation_and_buttons_say_the_action(
    client, login, manager, make_session
):
    session = make_session()
    login(manager)
    detail = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "Ouvrir les inscriptions" in detail and "Passer à" not in detail
    client.post(reverse("training:session_status", args=[session.pk]), {"status": "open"})
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_closing_without_attendance_or_trainer_needs_an_explicit_acknowledgement(
    client, login, manager, make_session
):
    session = make_session(start=datetime.date(2025, 3, 3))
    login(manager)
    url = reverse("training:session_close", args=[session.pk])
    page = client.post(url)
    body = page.content.decode()
    assert "Aucune feuille de présence" in body and "Aucun formateur" in body
    refused = client.post(url, {"confirme": "oui"})
    assert "Cochez la case pour clôturer malgré les avertissements." in refused.content.decode()
    session.refresh_from_db()
    assert session.status != SessionStatus.CLOSED
    done = client.post(url, {"confirme": "oui", "acknowledge": "on"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
