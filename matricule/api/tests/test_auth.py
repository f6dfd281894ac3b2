"""Token authentication of the API: what a request costs the database."""

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


def test_a_token_read_by_two_processes_at_once_is_written_once(make_user, monkeypatch):
    """The UPDATE itself is conditional: a process that read the token before another one
    touched it finds nothing left to write."""
    from django.http import HttpRequest

    from matricule.api.auth import TokenAuth

    make_user(Role.HR_CLERK, "DR-BKO", username="rh.race")
    raw = _issue("rh.race")
    TokenAuth().authenticate(HttpRequest(), raw)
    touched = ApiToken.objects.get(user__username="rh.race").last_used_at
    assert touched is not None

    class StaleRead:
        """What a second process read just before the first one's write."""

        def __init__(self, *args):
            token = ApiToken.objects.get(key_hash=hash_token(raw))
            token.last_used_at = None
            self.token = token

        def filter(self, **kwargs):
            return self

        def first(self):
            return self.token

    monkeypatch.setattr(ApiToken.objects, "select_related", StaleRead)
    TokenAuth().authenticate(HttpRequest(), raw)
    assert ApiToken.objects.get(user__username="rh.race").last_used_at == touched
