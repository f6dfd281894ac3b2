from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from matricule.accounts.models import ApiToken, hash_token
from matricule.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _issue(username: str) -> str:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def test_issue_token_prints_it_last_and_stores_only_its_hash(make_user):
    make_user(Role.HR_CLERK, "DR-BKO", username="rh.test")
    raw = _issue("rh.test")
    token = ApiToken.objects.get(user__username="rh.test")
    assert token.key_hash == hash_token(raw)
    assert raw not in (token.key_hash, token.name)
    assert token.prefix == raw[:8]


def test_token_opens_the_api_until_revoked(client, make_user):
    make_user(Role.HR_CLERK, "DR-BKO", username="rh.api")
    raw = _issue("rh.api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.get("/api/v1/units?limit=5", **auth)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"items", "count"}
    assert len(data["items"]) == 5
    call_command("revoke_token", f"--prefix={raw[:8]}", stdout=io.StringIO())
    assert client.get("/api/v1/units", **auth).status_code == 401


def test_api_refuses_missing_or_wrong_token(client):
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_api_units_are_scoped(client, make_user):
    make_user(Role.HR_CLERK, "DR-GAO", username="rh.gao")
    raw = _issue("rh.gao")
    data = client.get("/api/v1/units?limit=500", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    codes = {u["code"] for u in data["items"]}
    assert "GAO-CC" in codes
    assert "BKO-CA01" not in codes
    assert data["count"] == len(codes)


def test_openapi_document_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/units" in response.json()["paths"]


def _token_writes(queries) -> list[str]:
    table = ApiToken._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and table in q["sql"]]


def test_last_used_at_is_written_at_most_once_a_minute(client, make_user):
    import datetime
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    make_user(Role.HR_CLERK, "DR-BKO", username="rh.touch")
    raw = _issue("rh.touch")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/units?limit=1", **auth)
        client.get("/api/v1/units?limit=1", **auth)
        client.get("/api/v1/units?limit=1", **auth)
    assert len(_token_writes(first.captured_queries)) == 1
    used = ApiToken.objects.get(user__username="rh.touch").last_used_at
    later = timezone.now() + datetime.timedelta(seconds=61)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        CaptureQueriesContext(connection) as second,
    ):
        client.get("/api/v1/units?limit=1", **auth)
        client.get("/api/v1/units?limit=1", **auth)
    assert len(_token_writes(second.captured_queries)) == 1
    assert ApiToken.objects.get(user__username="rh.touch").last_used_at > used
