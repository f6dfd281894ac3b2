"""The deployments API: contracts (SPEC §5), callers, 201 and 409, and random inputs."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matricule.accounts.roles import Role
from matricule.deployments.models import Assignment, Operation, UnAssessment

pytestmark = pytest.mark.django_db
D = datetime.timedelta

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.text(max_size=30)
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), texts)
dates = st.one_of(st.dates().map(str), texts)


def _token(username: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip().splitlines()[-1]}"}


@pytest.fixture
def api(make_user, make_operation, make_position, hire, give, today):
    operation = make_operation(start=today + D(days=10))
    position = make_position(
        operation, grade_range=("SGT", "ADC"), skill=[("first_aid", 1)], language=("en", 3)
    )
    officer = hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa", grade="ADJ")
    give.skill(officer, "first_aid", 2)
    give.language(officer, "en", 2)
    UnAssessment.objects.create(officer=officer, test="interview", taken_on=today, passed=True)
    users = {
        "planner": make_user(Role.OPERATIONS_PLANNER, username="operations.api"),
        "planner_gao": make_user(Role.OPERATIONS_PLANNER, "DR-GAO", username="operations.gao"),
        "inspector": make_user(Role.INSPECTOR, username="inspection.api"),
        "head": make_user(Role.SUPERVISOR, "BKO-CA01", username="chef.api"),
    }
    return {
        "operation": operation,
        "position": position,
        "officer": officer,
        "headers": {name: _token(user.username) for name, user in users.items()},
    }


def _get(client, api, who, url, params=None):
    headers = api["headers"].get(who, {})
    return client.get(url, params or {}, **headers)


def _post(client, api, who, url, body):
    headers = api["headers"].get(who, {})
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("head", 403), ("planner", 200), ("planner_gao", 200), ("inspector", 200)],
)
def test_operations_list_callers(client, api, who, expected):
    response = _get(client, api, who, "/api/v1/operations")
    assert response.status_code == expected
    assert isinstance(response.json()["detail" if expected != 200 else "items"], str | list)
    if who == "planner":
        body = response.json()
        assert set(body) == {"items", "count"} and body["count"] == 1
        assert body["items"][0]["name"] == "Opération Kanaga"
    if who == "planner_gao":
        assert response.json()["count"] == 0  # led by FORSAT, outside the Gao subtree


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("head", 403), ("planner", 200), ("planner_gao", 404), ("inspector", 200)],
)
def test_positions_and_candidates_callers(client, api, who, expected):
    op, position = api["operation"].pk, api["position"].pk
    assert _get(client, api, who, f"/api/v1/operations/{op}/positions").status_code == expected
    response = _get(client, api, who, f"/api/v1/positions/{position}/candidates")
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["detail"]


def test_candidates_carry_matricule_availability_score_matches_and_lacks(client, api):
    position = api["position"].pk
    body = _get(client, api, "planner", f"/api/v1/positions/{position}/candidates").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert {"matricule", "available", "score", "matches", "lacks"} <= set(item)
    assert item["matricule"] == api["officer"].matricule
    assert item["available"] is True
    assert item["score"] == 67
    assert item["lacks"] == ["Anglais B1, requis B2 : manque"]
    assert item["matches"][0] == "Grade Adjudant (requis Sergent à Adjudant-chef)"
    page = _get(
        client, api, "planner", f"/api/v1/positions/{position}/candidates", {"offset": 1}
    ).json()
    assert page == {"items": [], "count": 1}


def test_positions_list_the_requirements(client, api):
    body = _get(
        client, api, "planner", f"/api/v1/operations/{api['operation'].pk}/positions"
    ).json()
    assert body["count"] == 1
    assert [r["label"] for r in body["items"][0]["requirements"]] == [
        "Premiers secours niveau 1",
        "Anglais B2",
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("head", 403), ("inspector", 403), ("planner_gao", 404), ("planner", 201)],
)
def test_assignment_callers(client, api, who, expected):
    url = f"/api/v1/positions/{api['position'].pk}/assignments"
    response = _post(client, api, who, url, {"matricule": api["officer"].matricule})
    assert response.status_code == expected, response.content
    assert Assignment.objects.exists() is (expected == 201)
    if expected == 201:
        body = response.json()
        assert body["matricule"] == api["officer"].matricule
        assert body["state"] == "planned" and body["deployed_recorded"] is False


def test_double_booking_and_a_full_position_answer_409_in_french(client, api, make_position, hire):
    url = f"/api/v1/positions/{api['position'].pk}/assignments"
    matricule = api["officer"].matricule
    assert _post(client, api, "planner", url, {"matricule": matricule}).status_code == 201
    again = _post(client, api, "planner", url, {"matricule": matricule})
    assert again.status_code == 409
    assert "ne peut pas être affectée deux fois" in again.json()["detail"]

    single = make_position(api["operation"], title="Négociateur", count=1)
    url = f"/api/v1/positions/{single.pk}/assignments"
    first, second = hire(family_name="Un"), hire(family_name="Deux")
    assert _post(client, api, "planner", url, {"matricule": first.matricule}).status_code == 201
    full = _post(client, api, "planner", url, {"matricule": second.matricule})
    assert full.status_code == 409
    assert (
        full.json()["detail"] == "Le poste « Négociateur » est complet : 1 agent(s) sur 1 place(s)."
    )
    unknown = _post(client, api, "planner", url, {"matricule": "PN999999Z"})
    assert unknown.status_code == 404 and "introuvable" in unknown.json()["detail"]


def test_a_planner_creates_an_operation_through_the_api(client, api):
    body = {
        "name": "Escorte des épreuves du DEF",
        "kind": "escort",
        "start_date": "2027-06-01",
        "end_date": "2027-06-06",
        "region": "KKR",
        "lead_unit": "DSP",
        "partners": ["GN", "PC"],
        "act": {"kind": "decision", "number": "2027-44/DGPN-OPS", "date": "2026-11-01"},
    }
    response = _post(client, api, "planner", "/api/v1/operations", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["partners"] == ["GN", "PC"] and created["act"]["number"] == "2027-44/DGPN-OPS"
    assert Operation.objects.filter(name="Escorte des épreuves du DEF").exists()
    bad = _post(client, api, "planner", "/api/v1/operations", {**body, "lead_unit": "XXX"})
    assert bad.status_code == 400
    assert bad.json()["errors"]["lead_unit"] == ["Unité inconnue dans votre périmètre : « XXX »."]
    mixed = _post(client, api, "planner", "/api/v1/operations", {**body, "country": "Niger"})
    assert mixed.status_code == 400 and "country" in mixed.json()["errors"]
    assert _post(client, api, "inspector", "/api/v1/operations", body).status_code == 403


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("head", 403), ("planner", 200), ("inspector", 200)],
)
def test_un_readiness_callers_and_shape(client, api, who, expected):
    response = _get(client, api, who, "/api/v1/readiness/un", {"show": "all"})
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert set(body) == {"items", "count"} and body["count"] == 1
        item = body["items"][0]
        assert item["status"] == "not_ready" and item["cleared"] is False
        assert [t["state"] for t in item["tests"]] == ["missing", "passed", "missing", "missing"]


def test_bad_filters_are_400_in_french(client, api):
    position = api["position"].pk
    response = _get(
        client,
        api,
        "planner",
        f"/api/v1/positions/{position}/candidates",
        {"unit": "NOPE", "start": "2027-02-01", "end": "2027-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "unit": ["Unité inconnue : « NOPE »."],
        "end": ["La fin de la période précède son début."],
    }
    shown = _get(client, api, "planner", "/api/v1/readiness/un", {"show": "tous"})
    assert shown.status_code == 400
    far = _get(
        client,
        api,
        "planner",
        f"/api/v1/positions/{position}/candidates",
        {"start": "0001-01-01", "end": "9999-12-31"},
    )
    assert far.status_code == 400
    assert far.json()["errors"]["start"] == ["Date hors des limites admises (1960 à 2100)."]


def _answered(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response.json()["detail"]


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "limit": numbers,
            "offset": numbers,
            "start": dates,
            "end": dates,
            "unit": texts,
            "region": texts,
            "grade": texts,
            "max_missing": numbers,
            "include_unavailable": texts,
        },
    )
)
def test_candidates_never_fail_on_random_parameters(client, api, params):
    position = api["position"].pk
    _answered(_get(client, api, "planner", f"/api/v1/positions/{position}/candidates", params))


@FUZZ
@given(
    body=st.one_of(
        st.none(),
        texts,
        st.fixed_dictionaries(
            {}, optional={"matricule": texts, "start_date": dates, "end_date": dates}
        ),
    )
)
def test_assignments_never_fail_on_random_bodies(client, api, body):
    url = f"/api/v1/positions/{api['position'].pk}/assignments"
    _answered(_post(client, api, "planner", url, body))


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {"name": texts, "kind": st.sampled_from(["escort", "joint", "x"]), "start_date": dates},
        optional={
            "end_date": dates,
            "region": texts,
            "country": texts,
            "lead_unit": texts,
            "partners": st.lists(texts, max_size=3),
            "act": st.fixed_dictionaries(
                {}, optional={"kind": texts, "number": texts, "date": dates}
            ),
        },
    )
)
def test_operation_creation_never_fails_on_random_bodies(client, api, body):
    _answered(_post(client, api, "planner", "/api/v1/operations", body))
