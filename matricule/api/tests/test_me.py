from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from matricule.accounts.roles import Role
from matricule.core.tests.pdf import tiny_pdf
from matricule.corrections.models import CorrectionRequest

pytestmark = pytest.mark.django_db
PDF = tiny_pdf()


def _auth(username: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"}


@pytest.fixture
def cast(hire, make_user):
    oumou = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    moussa = hire(unit="BKO-CA02", family_name="Keïta", given_names="Moussa")
    make_user(Role.OFFICER, username=oumou.matricule, officer=oumou)
    make_user(Role.OFFICER, username=moussa.matricule, officer=moussa)
    make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko")
    make_user(Role.HR_CLERK, "DR-GAO", username="rh.gao")
    return {"oumou": oumou, "moussa": moussa}


def test_me_returns_the_callers_own_record_in_full(client, cast):
    data = client.get("/api/v1/me", **_auth(cast["oumou"].matricule)).json()
    assert data["matricule"] == cast["oumou"].matricule
    assert data["nina"] == cast["oumou"].nina  # one's own identity number
    assert client.get("/api/v1/me", **_auth("rh.bko")).status_code == 404
    assert client.get("/api/v1/me").status_code == 401


def test_officer_files_and_lists_corrections_and_clerk_decides(client, cast):
    auth = _auth(cast["oumou"].matricule)
    response = client.post(
        "/api/v1/me/corrections",
        {
            "field_name": "birth_place",
            "value": "Kati",
            "justification": "Erreur de saisie sur le lieu de naissance",
            "files": [SimpleUploadedFile("acte.pdf", PDF, "application/pdf")],
        },
        **auth,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["changes"][0]["after"] == "Kati"
    listing = client.get("/api/v1/me/corrections", **auth).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == created["id"]
    # The other officer sees none of it.
    other = _auth(cast["moussa"].matricule)
    assert client.get("/api/v1/me/corrections", **other).json()["count"] == 0
    assert (
        client.post(
            f"/api/v1/corrections/{created['id']}/approve",
            {},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/corrections/{created['id']}/approve",
            {},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    # The Gao clerk has nothing in the queue and cannot decide.
    gao = _auth("rh.gao")
    assert client.get("/api/v1/corrections", **gao).json()["count"] == 0
    assert (
        client.post(
            f"/api/v1/corrections/{created['id']}/approve",
            {},
            content_type="application/json",
            **gao,
        ).status_code
        == 404
    )
    clerk = _auth("rh.bko")
    queue = client.get("/api/v1/corrections", **clerk).json()
    assert [item["id"] for item in queue["items"]] == [created["id"]]
    done = client.post(
        f"/api/v1/corrections/{created['id']}/approve", {}, content_type="application/json", **clerk
    )
    assert done.status_code == 200 and done.json()["state"] == "approved"
    cast["oumou"].refresh_from_db()
    assert cast["oumou"].birth_place == "Kati"


def test_bad_correction_is_a_400_in_french_and_writes_nothing(client, cast):
    auth = _auth(cast["oumou"].matricule)
    response = client.post(
        "/api/v1/me/corrections",
        {
            "field_name": "birth_place",
            "value": "Kati",
            "justification": "court",
            "files": [SimpleUploadedFile("x.exe", b"MZ\x90", "application/octet-stream")],
        },
        **auth,
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "10 caractères" in errors["justification"][0]
    assert CorrectionRequest.objects.count() == 0


def test_reject_needs_a_reason(client, cast):
    auth = _auth(cast["oumou"].matricule)
    created = client.post(
        "/api/v1/me/corrections",
        {
            "field_name": "phone",
            "value": "+223 76 12 34 56",
            "justification": "J'ai changé de numéro de téléphone",
            "files": [SimpleUploadedFile("a.pdf", PDF, "application/pdf")],
        },
        **auth,
    ).json()
    clerk = _auth("rh.bko")
    url = f"/api/v1/corrections/{created['id']}/reject"
    assert (
        client.post(url, {"reason": ""}, content_type="application/json", **clerk).status_code
        == 400
    )
    response = client.post(
        url, {"reason": "Numéro non joignable"}, content_type="application/json", **clerk
    )
    assert response.json()["state"] == "rejected"


def test_api_views_of_a_record_are_logged(client, cast):
    from matricule.personnel.models import RecordAccess

    clerk = _auth("rh.bko")
    client.get(f"/api/v1/officers/{cast['oumou'].matricule}", **clerk)
    client.get(f"/api/v1/officers/{cast['oumou'].matricule}/events", **clerk)
    assert list(
        RecordAccess.objects.filter(officer=cast["oumou"]).values_list("channel", flat=True)
    ) == ["api", "api"]


@pytest.mark.parametrize(
    ("field_name", "message"),
    [("", "Indiquez l'information à corriger"), ("salaire", "n'est pas une information")],
)
def test_a_correction_of_an_empty_or_unknown_field_is_a_400(client, cast, field_name, message):
    response = client.post(
        "/api/v1/me/corrections",
        {
            "field_name": field_name,
            "value": "x",
            "justification": "Une justification assez longue",
            "files": [SimpleUploadedFile("acte.pdf", PDF, "application/pdf")],
        },
        **_auth(cast["oumou"].matricule),
    )
    assert response.status_code == 400, response.content
    assert message in response.json()["errors"]["field_name"][0]
    assert not CorrectionRequest.objects.exists()


def test_a_nul_character_in_a_json_body_is_a_clear_400(client, cast):
    response = client.post(
        "/api/v1/corrections/1/reject",
        {"reason": "motif\x00"},
        content_type="application/json",
        **_auth("rh.bko"),
    )
    assert response.status_code == 400
    assert "nul" in response.json()["detail"]
