"""The name search: an indexed range per word, whatever character ends the word."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.personnel.selectors import prefix_upper_bound

pytestmark = pytest.mark.django_db
MAX = chr(sys.maxunicode)


@pytest.mark.parametrize(
    ("prefix", "bound"),
    [
        ("maiga", "maigb"),
        ("a" + MAX, "b"),
        ("ab" + MAX + MAX, "ac"),
        (MAX, None),
        ("\ud7ff", "\ue000"),  # the next code point would be a surrogate
    ],
)
def test_the_upper_bound_of_a_prefix_is_the_next_text_after_it(prefix, bound):
    assert prefix_upper_bound(prefix) == bound


@pytest.fixture
def clerk(hire, make_user):
    hire(unit="BKO-CA01", family_name="Traoré", given_names="Moussa")
    user = make_user(Role.HR_CLERK, "DR-BKO", username="rh.recherche")
    out = io.StringIO()
    call_command("issue_token", user.username, stdout=out, stderr=io.StringIO())
    return user, {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"}


@pytest.mark.parametrize("q", ["tra" + MAX, MAX, "mo " + MAX + MAX, "\ud7ff"[:0] + "é" + MAX])
def test_a_search_ending_in_the_last_code_point_answers_on_every_surface(client, login, clerk, q):
    user, auth = clerk
    api = client.get("/api/v1/officers", {"q": q}, **auth)
    assert api.status_code == 200, api.content
    assert api.json()["count"] == 0
    login(user)
    assert client.get(reverse("personnel:officer_list"), {"q": q}).status_code == 200
    export = client.get(reverse("personnel:officer_export", args=["csv"]), {"q": q})
    assert export.status_code == 200
    assert b"".join(export.streaming_content).count(b"\n") == 1  # the header only


def test_a_search_still_finds_by_prefix(client, clerk):
    _user, auth = clerk
    assert client.get("/api/v1/officers", {"q": "trao"}, **auth).json()["count"] == 1


@pytest.mark.parametrize("where", ["screen", "api"])
def test_a_nul_character_in_the_query_is_a_clear_400(client, login, clerk, where):
    user, auth = clerk
    if where == "api":
        response = client.get("/api/v1/officers", {"q": "tra\x00ore"}, **auth)
        assert response.status_code == 400
        assert "nul" in response.json()["detail"]
    else:
        login(user)
        response = client.get(reverse("personnel:officer_list"), {"q": "tra\x00"})
        assert response.status_code == 400
        assert "nul" in response.content.decode()
