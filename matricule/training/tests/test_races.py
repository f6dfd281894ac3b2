"""Two training officers submitting at the same moment: one wins, the other is told why.

Real threads, each with its own database connection, post to the real views; the write
being checked is slowed down so that the second request arrives while the first is still
writing (the moment a check-then-act race would let both through).
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.models import Agency
from matricule.core.tests.concurrency import run_together
from matricule.training import services as s
from matricule.training.models import RequiredTraining, SessionTrainer, TrainerRole

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date
PAUSE = 0.3  # seconds the first writer holds its write open


@pytest.fixture
def slow_save(monkeypatch):
    """Hold each insert of `model` open a moment, as a busy server would."""

    def slow(model):
        original = model.save

        def save(self, *args, **kwargs):
            time.sleep(PAUSE)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(model, "save", save)

    return slow


@pytest.fixture
def two_training_officers(make_user, client_for):
    return [
        client_for(make_user(Role.TRAINING_OFFICER, username=f"formation.{n}"))
        for n in ("kayes", "mopti")
    ]


def _answers(results):
    """Each request's final page (after the redirect), failing on any exception or 5xx."""
    pages = []
    for result in results:
        assert not isinstance(result, BaseException), repr(result)
        assert result.status_code == 200, result.status_code
        pages.append(result.content.decode())
    return pages


def test_two_leads_added_at_once_leave_one_lead_and_a_french_refusal(
    two_training_officers, make_session, hire, catalogue, slow_save
):
    session = make_session("TIR", start=D(2026, 5, 4))
    candidates = [hire(family_name="Sangaré"), hire(family_name="Dembélé")]
    for officer in candidates:
        s.trainer_qualification_set(
            officer=officer, course=catalogue["TIR"], level="certified", by=None
        )
    slow_save(SessionTrainer)
    url = reverse("training:trainer_add", args=[session.pk])

    def add_lead(client, officer):
        return lambda: client.post(
            url, {"t-matricule": officer.matricule, "t-role": TrainerRole.LEAD}, follow=True
        )

    pages = _answers(
        run_together(
            *(add_lead(c, o) for c, o in zip(two_training_officers, candidates, strict=True))
        )
    )

    assert sorted("Formateur ajouté." in page for page in pages) == [False, True]
    refused = next(page for page in pages if "Formateur ajouté." not in page)
    assert "La session a déjà un formateur principal." in refused
    assert SessionTrainer.objects.filter(session=session, role=TrainerRole.LEAD).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_lead_even_past_the_service(make_session, hire):
    session = make_session("TIR", start=D(2026, 5, 4))
    SessionTrainer.objects.create(session=session, external_name="EUCAP", role=TrainerRole.LEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionTrainer.objects.create(session=session, external_name="UNODC", role="lead")
    SessionTrainer.objects.create(session=session, external_name="UNODC", role=TrainerRole.CO)


def test_the_same_rule_added_twice_at_once_is_kept_once_with_a_french_refusal(
    two_training_officers, catalogue, slow_save
):
    slow_save(RequiredTraining)
    url = reverse("training:required")
    form = {"course": catalogue["PSC1"].pk, "function": "Chef de brigade"}

    def add_rule(client):
        return lambda: client.post(url, form, follow=True)

    pages = _answers(run_together(*(add_rule(c) for c in two_training_officers)))

    assert sorted("Obligation ajoutée." in page for page in pages) == [False, True]
    refused = next(page for page in pages if "Obligation ajoutée." not in page)
    assert "Cette obligation existe déjà." in refused
    assert RequiredTraining.objects.filter(function="Chef de brigade").count() == 1


@pytest.mark.django_db
def test_a_rule_is_unique_whatever_the_case_of_its_function(catalogue):
    agency = Agency.objects.get(code="PN")
    s.required_training_add(
        agency=agency, course=catalogue["PSC1"], grade=None, function="Chef de brigade", by=None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RequiredTraining.objects.create(
            agency=agency, course=catalogue["PSC1"], function="CHEF DE BRIGADE"
        )
    with pytest.raises(ValidationError, match=r"déjà obligatoire pour cette fonction\."):
        s.required_training_add(
            agency=agency, course=catalogue["PSC1"], grade=None, function="chef de brigade", by=None
        )
