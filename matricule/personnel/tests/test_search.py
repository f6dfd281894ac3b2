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


# --- Finding 4: a NINA search is for identity holders only, and is logged ---------------

NINA = "19850314000777A"


@pytest.fixture
def nina_cast(hire, make_user):
    officer = hire(unit="BKO-CA01", family_name="Diarra", given_names="Awa", nina=NINA)
    users = {
        role: make_user(role, unit, username=f"{role}.nina")
        for role, unit in [
            (Role.OPERATIONS_PLANNER, None),
            (Role.TRAINING_OFFICER, None),
            (Role.PROMOTION_BOARD, None),
            (Role.BADGE_OFFICER, None),
            (Role.SUPERVISOR, "BKO-CA01"),
            (Role.HR_CLERK, "DR-BKO"),
            (Role.INSPECTOR, None),
        ]
    }
    return officer, users


def _token(user):
    out = io.StringIO()
    call_command("issue_token", user.username, stdout=out, stderr=io.StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"}


@pytest.mark.parametrize(
    "role",
    [
        Role.OPERATIONS_PLANNER,
        Role.TRAINING_OFFICER,
        Role.PROMOTION_BOARD,
        Role.BADGE_OFFICER,
        Role.SUPERVISOR,
    ],
)
def test_roles_without_the_identity_class_cannot_confirm_a_nina(client_for, nina_cast, role):
    from matricule.personnel.models import RecordAccess

    officer, users = nina_cast
    user = users[role]
    client = client_for(user)
    api = client.get("/api/v1/officers", {"q": NINA}, **_token(user))
    assert api.status_code == 400
    assert "réservée" in api.json()["errors"]["q"][0]
    page = client.get(reverse("personnel:officer_list"), {"q": NINA})
    assert page.status_code == 200
    assert officer.matricule not in page.content.decode()
    assert "réservée" in page.content.decode()
    export = client.get(reverse("personnel:officer_export", args=["csv"]), {"q": NINA})
    assert officer.matricule.encode() not in b"".join(export.streaming_content)
    # By name the same officer is found: only the NINA is closed to them.
    by_name = client.get("/api/v1/officers", {"q": "diarra"}, **_token(user)).json()
    assert [o["matricule"] for o in by_name["items"]] == [officer.matricule]
    assert not RecordAccess.objects.filter(classes__contains="identity").exists()


@pytest.mark.parametrize(("role", "surface"), [(Role.HR_CLERK, "api"), (Role.INSPECTOR, "screen")])
def test_a_nina_search_by_an_identity_holder_finds_and_is_logged(
    client_for, nina_cast, role, surface
):
    from matricule.personnel.models import Channel, RecordAccess

    officer, users = nina_cast
    user = users[role]
    client = client_for(user)
    if surface == "api":
        data = client.get("/api/v1/officers", {"q": NINA}, **_token(user)).json()
        assert [o["matricule"] for o in data["items"]] == [officer.matricule]
    else:
        page = client.get(reverse("personnel:officer_list"), {"q": NINA})
        assert officer.matricule in page.content.decode()
    log = RecordAccess.objects.get(officer=officer)
    assert log.viewer == user and log.classes == "identity"
    assert log.channel == (Channel.API if surface == "api" else Channel.SCREEN)
