"""Closing applications early, publishing and withdrawing results are confirmed first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matricule.core.models import AuditEntry
from matricule.recruitment import services
from matricule.recruitment.models import IntakeStatus
from matricule.recruitment.tests.factories import intake_for_test

pytestmark = pytest.mark.django_db


def test_closing_before_the_published_date_warns_and_waits(client, login, cast, settings):
    import datetime

    intake = intake_for_test(applications_close=datetime.date(2099, 12, 31))
    login(cast["recruiter"])
    url = reverse("recruitment:intake_advance", args=[intake.pk])
    body = client.post(url).content.decode()
    assert "31/12/2099" in body and "clôturer avant prive de candidature" in body
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN
    client.post(url, {"confirme": "oui"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CLOSED


def test_publish_confirms_then_can_be_withdrawn_with_a_reason(client, login, cast):
    intake = intake_for_test(status=IntakeStatus.OPEN)
    intake.status = IntakeStatus.RANKED
    intake.save(update_fields=["status"])
    login(cast["recruiter"])
    publish = reverse("recruitment:intake_publish", args=[intake.pk])
    assert "0 admis" in client.post(publish).content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.RANKED
    client.post(publish, {"confirme": "oui"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.PUBLISHED

    withdraw = reverse("recruitment:intake_unpublish", args=[intake.pk])
    client.post(withdraw, {"confirme": "oui", "reason": ""})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.PUBLISHED
    client.post(withdraw, {"confirme": "oui", "reason": "Erreur de saisie au centre de Kayes"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.RANKED and intake.published_at is None
    entry = AuditEntry.objects.get(action="intake.unpublish")
    assert entry.after["reason"] == "Erreur de saisie au centre de Kayes"


def test_unpublish_refuses_results_not_published(cast):
    intake = intake_for_test()
    with pytest.raises(Exception, match="Seuls des résultats publiés"):
        services.intake_unpublish(intake=intake, by=None, reason="un motif valable")
