"""The evaluations API: same rules as the screens, a cycle run end to end, completion."""

from __future__ import annotations

import pytest

from matricule.accounts.services import token_issue
from matricule.evaluations.models import Evaluation, Step
from matricule.personnel.models import RecordAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        token = token_issue(user=user, by=None)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        return client.post(f"/api/v1{path}", body or {}, content_type="application/json", **headers)

    return call


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("hr", True),
        ("inspector", True),
        ("chief_user", True),
        ("agent_user", True),
        ("hr_gao", False),
        ("gao_user", False),
    ],
)
def test_detail_follows_the_scope(api, org, evaluation_of, who, visible):
    evaluation = evaluation_of(org["agents"][0])
    response = api(org[who], "get", f"/evaluations/{evaluation.pk}")
    assert response.status_code == (200 if visible else 404)


def test_the_list_is_scoped_filtered_and_logged(
    api, org, open_cycle, django_assert_max_num_queries
):
    response = api(org["hr_gao"], "get", f"/evaluations?cycle={open_cycle.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["matricule"] == org["gao_officer"].matricule
    everything = api(
        org["hr"], "get", f"/evaluations?cycle={open_cycle.pk}&unit=BKO-CA01&status=self"
    ).json()
    assert everything["count"] == 4
    assert RecordAccess.objects.filter(viewer=org["hr"], channel="api").count() == 4
    assert api(org["hr"], "get", "/evaluations?status=bogus").status_code == 422
    assert api(org["hr"], "get", "/evaluations?unit=NOPE").status_code == 404


def test_a_cycle_runs_end_to_end_through_the_api(api, org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    path = f"/evaluations/{evaluation.pk}"
    mine = api(org["agent_user"], "get", "/me/evaluations").json()
    assert [i["id"] for i in mine["items"]] == [evaluation.pk]
    done = api(
        org["agent_user"],
        "post",
        f"{path}/self-assessment",
        {"version": 1, "comment": "Mon année."},
    )
    assert done.status_code == 200, done.json()
    version = done.json()["version"]
    criteria = [c.code for c in evaluation.form.criteria.all()]
    # The reviewer cannot rate; a stale version is a conflict.
    scores = [{"criterion": c, "score": "16", "comment": ""} for c in criteria]
    assert (
        api(
            org["director_user"],
            "post",
            f"{path}/rating",
            {"version": version, "scores": scores, "comment": "Bien."},
        ).status_code
        == 403
    )
    assert (
        api(
            org["chief_user"],
            "post",
            f"{path}/rating",
            {"version": version - 1, "scores": scores, "comment": "Bien."},
        ).status_code
        == 409
    )
    rated = api(
        org["chief_user"],
        "post",
        f"{path}/rating",
        {"version": version, "scores": scores, "comment": "Bien."},
    )
    assert rated.status_code == 200 and rated.json()["rating_mark"] == "16.00"
    version = rated.json()["version"]
    refused = api(
        org["director_user"],
        "post",
        f"{path}/review",
        {"version": version, "decision": "adjust", "mark": "15"},
    )
    assert refused.status_code == 400 and "review_justification" in str(refused.json())
    reviewed = api(
        org["director_user"],
        "post",
        f"{path}/review",
        {
            "version": version,
            "decision": "adjust",
            "mark": "15",
            "justification": "Harmonisation régionale.",
        },
    )
    assert reviewed.status_code == 200
    version = reviewed.json()["version"]
    appealed = api(
        org["agent_user"],
        "post",
        f"{path}/appeal",
        {"version": version, "reason": "Je demande la note initiale."},
    )
    assert appealed.status_code == 200
    version = appealed.json()["version"]
    assert (
        api(
            org["clerk"],
            "post",
            f"{path}/appeal-decision",
            {"version": version, "decision": "maintained", "reasons": "Motifs suffisants."},
        ).status_code
        == 403
    )
    decided = api(
        org["hr"],
        "post",
        f"{path}/appeal-decision",
        {"version": version, "decision": "maintained", "reasons": "La note ajustée est fondée."},
    )
    assert decided.status_code == 200 and decided.json()["status"] == Step.CLOSED
    assert Evaluation.objects.get(pk=evaluation.pk).final_mark == 15


def test_cycle_completion(api, org, open_cycle):
    assert (
        api(org["agent_user"], "get", f"/evaluation-cycles/{open_cycle.pk}/completion").status_code
        == 403
    )
    body = api(org["hr"], "get", f"/evaluation-cycles/{open_cycle.pk}/completion").json()
    assert body["total"] == Evaluation.objects.filter(cycle=open_cycle).count()
    drill = api(
        org["hr"], "get", f"/evaluation-cycles/{open_cycle.pk}/completion?unit=DR-BKO"
    ).json()
    assert any(u["unit"] == "BKO-CA01" for u in drill["units"])
    assert api(org["hr_gao"], "get", "/evaluation-cycles").json()["count"] == 1
