"""The API document: public in development, for signed-in callers only in production."""

from __future__ import annotations

import importlib
import io
import sys

import pytest
from django.core.management import call_command

from matricule.accounts.roles import Role

pytestmark = pytest.mark.django_db
PAGES = ["/api/v1/openapi.json", "/api/v1/docs"]


def _settings_module(name, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("ALLOWED_HOSTS", "rh.example.ml")
    monkeypatch.delenv("MATRICULE_API_DOCS_PUBLIC", raising=False)
    sys.modules.pop(name, None)
    try:
        return importlib.import_module(name)
    finally:
        sys.modules.pop(name, None)


def test_production_closes_the_document_and_development_keeps_it_open(monkeypatch):
    assert (
        _settings_module("matricule.settings.production", monkeypatch).MATRICULE_API_DOCS_PUBLIC
        is False
    )
    assert _settings_module("matricule.settings.dev", monkeypatch).MATRICULE_API_DOCS_PUBLIC is True


@pytest.mark.parametrize("path", PAGES)
def test_closed_document_refuses_a_stranger_with_a_401(client, settings, path):
    settings.MATRICULE_API_DOCS_PUBLIC = False
    response = client.get(path)
    assert response.status_code == 401
    assert "réservée" in response.json()["detail"]
    bad = client.get(path, HTTP_AUTHORIZATION="Bearer pas-un-jeton")
    assert bad.status_code == 401


@pytest.mark.parametrize("path", PAGES)
def test_closed_document_answers_a_token_or_a_session(client, settings, make_user, path):
    settings.MATRICULE_API_DOCS_PUBLIC = False
    user = make_user(Role.OFFICER, username="agent.doc")
    out = io.StringIO()
    call_command("issue_token", user.username, stdout=out, stderr=io.StringIO())
    token = out.getvalue().split()[-1]
    assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(user)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_open_document_answers_anyone(client, settings, path):
    settings.MATRICULE_API_DOCS_PUBLIC = True
    assert client.get(path).status_code == 200
