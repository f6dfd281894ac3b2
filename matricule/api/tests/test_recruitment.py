"""Recruitment endpoints: reads by role and scope, result entry, refusals in French."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from matricule.recruitment.models import IntakeStatus, StageKind, StageResult
from matricule.recruitment.tests.factories import (
    candidate_for_test,
    intake_for_test,
    recruitment_cast_for_test,
    stages_by_kind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user):
    return recruitment_cast_for_test(make_user)


def _auth(username: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip().splitlines()[-1]}"}


@pytest.fixture
def setting(cast, mali):
    intake = intake_for_test(status=IntakeStatus.OPEN)
    candidate = candidate_for_test(intake)
    return intake, candidate


def _urls(intake, candidate):
    stage = stages_by_kind(intake)[StageKind.DOCUMENTS]
    return [
        "/api/v1/intakes",
        f"/api/v1/intakes/{intake.pk}",
        f"/api/v1/intakes/{intake.pk}/candidates",
        f"/api/v1/intakes/{intake.pk}/candidates/{candidate.application_number}",
        f"/api/v1/intakes/{intake.pk}/stages/{stage.pk}/results",
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("officer", 403),
        ("clerk", 403),
        ("recruiter", 200),
        ("inspector", 200),
        ("outsider", 404),
    ],
)
def test_reads_answer_by_role(client, cast, setting, who, status):
    intake, candidate = setting
    headers = {} if who == "anonymous" else _auth(cast[who].username)
    for url in _urls(intake, candidate):
        code = client.get(url, **headers).status_code
        expected = 200 if (url == "/api/v1/intakes" and who == "outsider") else status
        assert code == expected, url


def test_list_shape_and_scope(client, cast, setting):
    intake, candidate = setting
    body = client.get(
        f"/api/v1/intakes/{intake.pk}/candidates?limit=1", **_auth("recrutement.pn")
    ).json()
    assert body["count"] == 1
    assert body["items"][0]["application_number"] == candidate.application_number
    assert client.get("/api/v1/intakes", **_auth("recrutement.ocs")).json() == {
        "items": [],
        "count": 0,
    }
    assert client.get("/api/v1/intakes?limit=501", **_auth("recrutement.pn")).status_code == 422


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("officer", 403),
        ("inspector", 403),
        ("outsider", 404),
        ("recruiter", 201),
    ],
)
def test_result_entry_by_role(client, cast, setting, who, status):
    intake, candidate = setting
    stage = stages_by_kind(intake)[StageKind.DOCUMENTS]
    headers = {} if who == "anonymous" else _auth(cast[who].username)
    response = client.post(
        f"/api/v1/intakes/{intake.pk}/stages/{stage.pk}/results",
        {"application_number": candidate.application_number, "values": {"avis": "inapte"}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == status
    assert StageResult.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()["passed"] is False
        candidate.refresh_from_db()
        assert candidate.eliminated_stage == stage


def test_bad_mark_is_a_400_in_french_and_writes_nothing(client, cast, setting):
    intake, candidate = setting
    stage = stages_by_kind(intake)[StageKind.DOCUMENTS]
    response = client.post(
        f"/api/v1/intakes/{intake.pk}/stages/{stage.pk}/results",
        {"application_number": candidate.application_number, "values": {"avis": "peut-être"}},
        content_type="application/json",
        **_auth("recrutement.pn"),
    )
    assert response.status_code == 400
    assert "apte" in response.json()["errors"]["avis"][0]
    assert not StageResult.objects.exists()
