"""Idempotency-Key on API writes: a write sent again (or twenty times at once) is done once."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from matricule.accounts.roles import Role
from matricule.api.tests.concurrent import fire_together
from matricule.api.tests.test_officers import _career_officer, _issue, _posting
from matricule.core.models import IdempotencyKey, Signatory
from matricule.core.tests.pdf import tiny_pdf
from matricule.corrections.models import CorrectionRequest
from matricule.personnel.models import CareerEvent

PDF = tiny_pdf()


@pytest.fixture
def clerk(db, mali, make_user) -> dict[str, Any]:
    user = make_user(Role.HR_CLERK, "DR-BKO", username="rh.idem")
    return {
        "token": _issue(user.username),
        "officer": _career_officer(mali),
        "signatory": Signatory.objects.get(agency=mali, title="Directeur général"),
    }


def _post(client: Client, clerk: dict[str, Any], body: dict[str, Any], key: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {clerk['token']}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(
        f"/api/v1/officers/{clerk['officer'].matricule}/events",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


def _postings(clerk: dict[str, Any]) -> int:
    return CareerEvent.objects.filter(officer=clerk["officer"], kind="posting").count()


def test_the_same_key_and_body_answer_the_first_answer_without_a_second_write(client, clerk):
    body = _posting(clerk)
    first = _post(client, clerk, body, "cle-0001")
    second = _post(client, clerk, body, "cle-0001")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert _postings(clerk) == 1


def test_without_a_key_each_post_is_a_new_write(client, clerk):
    body = _posting(clerk)
    assert _post(client, clerk, body, None).status_code == 201
    assert _post(client, clerk, body, None).status_code == 201
    assert _postings(clerk) == 2


def test_the_same_key_with_another_body_is_refused_in_french(client, clerk):
    assert _post(client, clerk, _posting(clerk), "cle-0002").status_code == 201
    other = _posting(clerk, unit="BKO-CA03")
    response = _post(client, clerk, other, "cle-0002")
    assert response.status_code == 422
    assert "déjà servi pour une autre requête" in response.json()["detail"]
    assert _postings(clerk) == 1


def test_a_refused_write_is_answered_again_the_same_way(client, clerk):
    body = {**_posting(clerk), "effective_date": "1990-01-01"}  # before entry: refused
    first = _post(client, clerk, body, "cle-0003")
    assert first.status_code == 400
    again = _post(client, clerk, body, "cle-0003")
    assert (again.status_code, again.json()) == (400, first.json())
    assert _postings(clerk) == 0


def test_keys_belong_to_their_user(client, clerk, make_user):
    other = make_user(Role.HR_CLERK, "DR-BKO", username="rh.autre")
    assert _post(client, clerk, _posting(clerk), "partagee").status_code == 201
    stranger = {**clerk, "token": _issue(other.username)}
    assert _post(client, stranger, _posting(clerk), "partagee").status_code == 201
    assert _postings(clerk) == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "é-accent"])
def test_a_malformed_key_is_refused(client, clerk, key):
    response = _post(client, clerk, _posting(clerk), key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert _postings(clerk) == 0


def test_an_expired_key_may_serve_again_and_is_purged(client, clerk):
    assert _post(client, clerk, _posting(clerk), "cle-0004").status_code == 201
    IdempotencyKey.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    call_command("purge_replay_guards", verbosity=0)
    assert not IdempotencyKey.objects.exists()
    assert _post(client, clerk, _posting(clerk), "cle-0004").status_code == 201
    assert _postings(clerk) == 2


def test_a_correction_request_sent_twice_with_its_key_is_filed_once(client, hire, make_user):
    oumou = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    make_user(Role.OFFICER, username=oumou.matricule, officer=oumou)
    headers = {
        "HTTP_AUTHORIZATION": f"Bearer {_issue(oumou.matricule)}",
        "HTTP_IDEMPOTENCY_KEY": "demande-1",
    }

    def send() -> Any:
        return client.post(
            "/api/v1/me/corrections",
            {
                "field_name": "birth_place",
                "value": "Kati",
                "justification": "Erreur de saisie sur le lieu de naissance",
                "files": [SimpleUploadedFile("acte.pdf", PDF, "application/pdf")],
            },
            **headers,
        )

    first, second = send(), send()
    assert first.status_code == second.status_code == 201, first.content
    assert second.json()["id"] == first.json()["id"]
    assert CorrectionRequest.objects.filter(officer=oumou).count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_simultaneous_posts_with_one_key_write_once(clerk, tmp_path):
    spec = {
        "path": f"/api/v1/officers/{clerk['officer'].matricule}/events",
        "body": json.dumps(_posting(clerk)),
        "headers": {
            "HTTP_AUTHORIZATION": f"Bearer {clerk['token']}",
            "HTTP_IDEMPOTENCY_KEY": "rafale-20",
        },
    }
    answers = fire_together([spec] * 20, tmp_path)
    assert len(answers) == 20
    assert _postings(clerk) == 1
    assert {status for status, _body in answers} == {201}
    assert len({body for _status, body in answers}) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_correction_requests_at_once_file_one(hire, make_user, tmp_path):
    """No key at all: the partial unique index alone keeps one pending request."""
    oumou = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    make_user(Role.OFFICER, username=oumou.matricule, officer=oumou)
    spec = {
        "path": "/api/v1/me/corrections",
        "form": {
            "field_name": "birth_place",
            "value": "Kati",
            "justification": "Erreur de saisie sur le lieu de naissance",
        },
        "files": {"files": ["acte.pdf", PDF.decode("latin-1")]},  # bytes through JSON
        "headers": {"HTTP_AUTHORIZATION": f"Bearer {_issue(oumou.matricule)}"},
    }
    answers = fire_together([spec] * 20, tmp_path)
    assert sorted({status for status, _body in answers}) == [201, 400]
    assert [status for status, _body in answers].count(201) == 1
    refused = next(json.loads(body) for status, body in answers if status == 400)
    assert "déjà en attente" in json.dumps(refused, ensure_ascii=False)
    assert CorrectionRequest.objects.filter(officer=oumou, state="pending").count() == 1


def test_a_large_scan_sent_with_a_key_is_accepted(client, hire, make_user, settings):
    """Files are hashed from the parsed upload, not from a body capped in memory."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    oumou = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    make_user(Role.OFFICER, username=oumou.matricule, officer=oumou)
    scan = PDF + b"0" * 200_000
    response = client.post(
        "/api/v1/me/corrections",
        {
            "field_name": "birth_place",
            "value": "Kati",
            "justification": "Erreur de saisie sur le lieu de naissance",
            "files": [SimpleUploadedFile("acte.pdf", scan, "application/pdf")],
        },
        HTTP_AUTHORIZATION=f"Bearer {_issue(oumou.matricule)}",
        HTTP_IDEMPOTENCY_KEY="grand-scan",
    )
    assert response.status_code == 201, response.content
