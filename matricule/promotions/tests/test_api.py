"""The promotions API contracts, its scopes, and the four kinds of caller."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import Role
from matricule.core.models import Agency
from matricule.promotions.services import boards, vacancies
from matricule.promotions.services.runs import eligibility_run

pytestmark = pytest.mark.django_db


def _token(username: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip().splitlines()[-1]}"}


@pytest.fixture
def api(make_rule, make_campaign, sergeants, make_user, board_for):
    make_rule()
    campaign = make_campaign()
    eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=1, reason="Un poste", by=None)
    chair = make_user(Role.PROMOTION_BOARD, username="president")
    board_for(campaign, chair=chair)
    outsider = User.objects.create_user(username="drh-ocs", password="x")
    RoleGrant.objects.create(
        user=outsider, role=Role.HR_DIRECTOR, agency=Agency.objects.get(code="OCS")
    )
    users = {
        "director": make_user(Role.HR_DIRECTOR, username="drh"),
        "chair": chair,
        "officer": make_user(Role.OFFICER, officer=sergeants[0], username="agent"),
        "outsider": outsider,
    }
    return {
        "campaign": campaign,
        "headers": {k: _token(u.username) for k, u in users.items()},
        "sergeants": sergeants,
    }


def test_campaign_list_contract(client, api):
    body = client.get("/api/v1/promotions/campaigns", **api["headers"]["director"]).json()
    assert set(body) == {"items", "count"} and body["count"] == 1
    assert body["items"][0]["id"] == api["campaign"].pk


def test_eligibility_contract_and_filter(client, api, django_assert_max_num_queries):
    pk = api["campaign"].pk
    url = f"/api/v1/promotions/campaigns/{pk}/eligibility?limit=2&offset=0&eligible=true"
    with django_assert_max_num_queries(15):
        body = client.get(url, **api["headers"]["chair"]).json()
    assert body["count"] == 4 and len(body["items"]) == 2
    item = body["items"][0]
    assert {"matricule", "eligible", "points", "rank", "criteria"} <= set(item)
    assert item["rank"] == 1 and item["eligible"] is True
    assert {"code", "label", "value", "threshold", "met"} <= set(item["criteria"][0])


def test_fairness_contract(client, api):
    boards.decision_record(
        campaign=api["campaign"], officer=api["sergeants"][0], outcome="promoted", by=None
    )
    body = client.get(
        f"/api/v1/promotions/campaigns/{api['campaign'].pk}/fairness", **api["headers"]["director"]
    ).json()
    dims = {i["dimension"] for i in body["items"]}
    assert dims == {"sex", "region", "corps", "cohort"}
    item = body["items"][0]
    assert {
        "dimension",
        "group",
        "eligible",
        "selected",
        "rate",
        "impact_ratio",
        "fisher_p",
    } <= set(item)


def test_me_promotion(client, api):
    body = client.get("/api/v1/me/promotion", **api["headers"]["officer"]).json()
    assert body["campaign"]["id"] == api["campaign"].pk
    row = body["rows"][0]
    assert row["eligible"] and row["components"] and row["of"] == 4
    assert client.get("/api/v1/me/promotion", **api["headers"]["director"]).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("officer", 403), ("outsider", 404), ("chair", 200), ("director", 200)],
)
@pytest.mark.parametrize("tail", ["eligibility", "fairness"])
def test_campaign_endpoints_role_matrix(client, api, who, expected, tail):
    headers = {} if who == "anonymous" else api["headers"][who]
    url = f"/api/v1/promotions/campaigns/{api['campaign'].pk}/{tail}"
    assert client.get(url, **headers).status_code == expected


def test_unknown_campaign_is_404(client, api):
    assert (
        client.get(
            "/api/v1/promotions/campaigns/999999/eligibility", **api["headers"]["director"]
        ).status_code
        == 404
    )
