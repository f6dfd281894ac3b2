"""Random inputs never make the recruitment API answer 5xx."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matricule.recruitment.models import StageResult
from matricule.recruitment.tests.factories import (
    candidate_for_test,
    intake_for_test,
    recruitment_cast_for_test,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user):
    return recruitment_cast_for_test(make_user)


FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.text(max_size=30)
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), texts)
# A path segment: anything but a slash, never empty (those are routing, not API, cases).
segments = st.text(alphabet=st.characters(blacklist_characters="/%"), min_size=1, max_size=30)
scalars = st.one_of(texts, st.integers(), st.floats(), st.booleans(), st.none())


@pytest.fixture
def api(client, cast) -> dict[str, Any]:
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    out = io.StringIO()
    call_command("issue_token", "recrutement.pn", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    return {
        "client": client,
        "headers": {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        "intake": intake,
        "candidate": candidate,
        "stage": intake.stages.order_by("order").first(),
    }


def _answered(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response.json()["detail"]


@pytest.mark.slow
@FUZZ
@given(
    params=st.fixed_dictionaries(
        {}, optional={"q": texts, "state": texts, "sex": texts, "limit": numbers, "offset": numbers}
    ),
    intake_id=st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), segments),
    number=segments,
)
def test_reads_never_fail(api, params, intake_id, number):
    c, h = api["client"], api["headers"]
    _answered(c.get(f"/api/v1/intakes/{api['intake'].pk}/candidates", params, **h))
    _answered(c.get(f"/api/v1/intakes/{quote(intake_id, safe='')}", **h))
    _answered(c.get(f"/api/v1/intakes/{api['intake'].pk}/candidates/{quote(number, safe='')}", **h))


@pytest.mark.slow
@FUZZ
@given(
    body=st.one_of(
        st.dictionaries(texts, scalars, max_size=4),
        st.fixed_dictionaries(
            {"application_number": texts},
            optional={
                "absent": scalars,
                "note": scalars,
                "values": st.one_of(st.dictionaries(texts, scalars, max_size=3), scalars),
            },
        ),
    )
)
def test_result_entry_never_fails_and_bad_bodies_write_nothing(api, body):
    url = f"/api/v1/intakes/{api['intake'].pk}/stages/{api['stage'].pk}/results"
    before = StageResult.objects.count()
    response = api["client"].post(
        url, json.dumps(body, default=str), content_type="application/json", **api["headers"]
    )
    _answered(response)
    if response.status_code != 201:
        assert StageResult.objects.count() == before


def test_openapi_lists_the_recruitment_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/intakes/{intake_id}/stages/{stage_id}/results" in paths
