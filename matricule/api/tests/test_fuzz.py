"""Random inputs never make the API answer 5xx: every refusal is JSON with a message."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matricule.accounts.roles import Role
from matricule.core.models import Grade, Unit
from matricule.personnel.services import Act, officer_create

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FUZZ = settings(
    max_examples=75,
    deadline=None,
    derandomize=True,
    # The database and client fixtures are set up once per test, not per example; GETs
    # change nothing and refused POSTs leave nothing, so sharing them is safe.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Printable text, control characters (NUL included) and accents.
texts = st.text(max_size=30)
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), texts)
dates = st.one_of(st.dates().map(str), texts, st.integers(), st.none())


@pytest.fixture
def clerk_api(client, mali, make_user, make_officer) -> dict[str, Any]:
    make_officer(family_name="Traoré")
    make_officer(family_name="Ag Mohamed", unit="BKO-CA02", grade="ADJ")
    make_user(Role.HR_CLERK, "DR-BKO", username="rh.fuzz")
    out = io.StringIO()
    call_command("issue_token", "rh.fuzz", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    return {
        "client": client,
        "headers": {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        "officer": _with_career(mali),
    }


def _with_career(agency: Any) -> Any:
    return officer_create(
        agency=agency,
        identity={
            "family_name": "Coulibaly",
            "given_names": "Fanta",
            "sex": "F",
            "birth_date": datetime.date(1990, 1, 2),
        },
        unit=Unit.objects.get(agency=agency, code="BKO-CA01"),
        grade=Grade.objects.get(statute__agency=agency, statute__code="S2018", code="SGT"),
        entry_date=datetime.date(2019, 3, 1),
        act=Act(kind="decision", number="2019-31/DGPN", date=datetime.date(2019, 2, 1)),
        by=None,
    )


def _assert_answered(response: Any) -> None:
    assert response.status_code < 500, response.content
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body["detail"], str) and body["detail"]


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": texts,
            "unit": texts,
            "grade": texts,
            "corps": texts,
            "status": texts,
            "sex": texts,
            "region": texts,
            "sort": texts,
            "age": texts,
            "limit": numbers,
            "offset": numbers,
        },
    )
)
def test_officer_search_never_fails_on_random_parameters(clerk_api, params):
    response = clerk_api["client"].get("/api/v1/officers", params, **clerk_api["headers"])
    _assert_answered(response)
    if response.status_code == 200:
        data = response.json()
        assert set(data) == {"items", "count"}


@FUZZ
@given(matricule=st.text(min_size=1, max_size=30).filter(lambda s: "/" not in s), as_of=dates)
def test_officer_record_never_fails_on_random_path_or_date(clerk_api, matricule, as_of):
    client, headers = clerk_api["client"], clerk_api["headers"]
    params = {} if as_of is None else {"as_of": str(as_of)}
    # Percent-encoded as an HTTP client would: '#' or '?' must stay inside the path.
    quoted = quote(matricule, safe="")
    for path in (f"/api/v1/officers/{quoted}", f"/api/v1/officers/{quoted}/events"):
        _assert_answered(client.get(path, params, **headers))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**20), max_value=10**20) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from(
                    [
                        "entry",
                        "posting",
                        "function",
                        "grade",
                        "status",
                        "secondment",
                        "sanction",
                        "decoration",
                        "exit",
                    ]
                ),
                "effective_date": st.dates().map(str),
            },
            optional={
                "unit": texts,
                "unit_agency": texts,
                "grade": texts,
                "status": st.sampled_from(["active", "leave", "retired", "x", ""]),
                "function": texts,
                "detail": texts,
                "justification": texts,
                "end_date": dates,
                "exceptional": st.booleans(),
                "supersedes": st.integers(min_value=-(10**20), max_value=10**20),
                "act": st.fixed_dictionaries(
                    {},
                    optional={
                        "kind": st.sampled_from(["decision", "arrete", "autre"]),
                        "number": texts,
                        "date": dates,
                        "signatory_id": st.integers(min_value=-(10**20), max_value=10**20),
                    },
                ),
            },
        ),
    )
)
def test_event_create_never_fails_on_random_bodies(clerk_api, body):
    response = clerk_api["client"].post(
        f"/api/v1/officers/{clerk_api['officer'].matricule}/events",
        data=json.dumps(body),
        content_type="application/json",
        **clerk_api["headers"],
    )
    _assert_answered(response)
