"""The OCS's cycle: its members of other corps rated by OCS heads, the sheet sent home."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.models import Agency
from matricule.core.tests.pdf import pdf_text
from matricule.evaluations.models import Evaluation
from matricule.evaluations.services import cycle_open
from matricule.personnel.tests.factories import ocs_member_for_test

pytestmark = pytest.mark.django_db


def test_ocs_member_is_rated_by_the_antenna_head_and_the_sheet_goes_to_customs(
    client, login, make_user, appoint, today
):
    head = ocs_member_for_test(origin="GEND", grade="CNE", family_name="Touré")
    appoint(head, "OCS-AIB", on=datetime.date(2022, 4, 1))
    member = ocs_member_for_test(origin="DOUANES", grade="INS", family_name="Diarra")
    report = cycle_open(
        agency=Agency.objects.get(code="OCS"),
        year=today.year,
        period_start=datetime.date(today.year, 1, 1),
        period_end=datetime.date(today.year, 12, 31),
        reference_date=today,
        self_deadline=today + datetime.timedelta(days=10),
        rating_deadline=today + datetime.timedelta(days=20),
        review_deadline=today + datetime.timedelta(days=30),
        by=None,
        notify_officers=False,
    )
    evaluation = Evaluation.objects.get(cycle=report.cycle, officer=member)
    assert evaluation.evaluator_id == head.pk
    assert evaluation.form.corps.agency.code == "DOUANES"  # the customs' own sheet

    url = reverse("evaluations:sheet_pdf", args=[evaluation.pk])
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    assert client.get(url).status_code == 404  # a police clerk: not their staff
    login(make_user(Role.HR_DIRECTOR, agency="OCS"))
    response = client.get(url)
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert "Inspecteur des douanes (Douanes)" in text
    assert "À transmettre au corps d'origine : Direction générale des Douanes" in text
    assert "D04871" in text
    assert "Capitaine (Gendarmerie) Touré" in text
