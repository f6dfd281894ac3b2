"""Every search and filter, on the screens and in the API, answers any Unicode text.

Hypothesis draws parameters from the whole Unicode range (NUL and U+10FFFF included,
surrogates excepted: HTTP cannot carry them); no answer may be a server error, and a NUL
is refused with a 400 that says why.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matricule.accounts.roles import Role
from matricule.recruitment.tests.factories import candidate_for_test, intake_for_test

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

UNICODE = st.text(st.characters(exclude_categories=["Cs"]), max_size=24)
# Short strings made of the characters that break naive code: NUL, the last code point,
# the first after the surrogates, combining marks, quotes, the formula starts.
EDGES = st.text(
    st.sampled_from(["\x00", "\U0010ffff", "\ue000", "\ud7ff", "\u0301", "'", '"', "=", "%", "_"]),
    min_size=1,
    max_size=6,
)
VALUES = st.one_of(UNICODE, EDGES, st.builds(lambda a, b: a + b, UNICODE, EDGES))
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (URL name, URL arguments, who asks, the parameters the page reads)
SCREENS = [
    (
        "personnel:officer_list",
        [],
        "director",
        ["q", "unit", "grade", "corps", "status", "sex", "region", "age", "sort", "page"],
    ),
    ("personnel:officer_export", ["csv"], "director", ["q", "unit", "grade", "status", "sort"]),
    ("personnel:establishment", [], "director", ["unit"]),
    ("training:skill_search", [], "director", ["q", "skill", "valid_on", "unit", "grade"]),
    ("training:coverage", [], "director", ["unit", "grade", "page"]),
    ("cards:card_list", [], "badge", ["q", "status", "unit", "page"]),
    ("cards:missing_export", [], "badge", ["unit", "format"]),
    (
        "web:audit_list",
        [],
        "inspector",
        ["officer", "actor", "action", "date_from", "date_to", "page"],
    ),
    ("web:reference_list", ["unites"], "director", ["q", "page"]),
    ("corrections:accesses", [], "inspector", ["matricule", "avant"]),
    ("corrections:queue", [], "director", ["etat", "page"]),
    ("recruitment:candidate_list", ["INTAKE"], "recruiter", ["q", "etat", "sexe", "page"]),
]
APIS = [
    (
        "/api/v1/officers",
        [
            "q",
            "unit",
            "grade",
            "corps",
            "status",
            "sex",
            "region",
            "age",
            "sort",
            "skill",
            "valid_on",
        ],
    ),
    ("/api/v1/units", ["q"]),
    ("/api/v1/corrections", ["state"]),
    ("/api/v1/intakes/INTAKE/candidates", ["q", "state", "sex"]),
]


@pytest.fixture
def callers(hire, make_user, client_for):
    hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa", sex="F")
    intake = intake_for_test()
    candidate_for_test(intake)
    users = {
        "director": make_user(Role.HR_DIRECTOR, username="drh.unicode"),
        "badge": make_user(Role.BADGE_OFFICER, username="cartes.unicode"),
        "inspector": make_user(Role.INSPECTOR, username="inspecteur.unicode"),
        "recruiter": make_user(Role.RECRUITMENT_OFFICER, username="recrutement.unicode"),
    }
    tokens = {}
    for name in ("director", "recruiter"):
        out = io.StringIO()
        call_command("issue_token", users[name].username, stdout=out, stderr=io.StringIO())
        tokens[name] = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"}
    return {
        "clients": {name: client_for(user) for name, user in users.items()},
        "tokens": tokens,
        "intake": intake,
    }


def _answered(response: Any, params: dict[str, str]) -> None:
    assert response.status_code < 500, (response.status_code, params)
    if any("\x00" in value for value in params.values()):
        assert response.status_code == 400, params
        assert "nul" in (
            response.json()["detail"]
            if "json" in response["Content-Type"]
            else response.content.decode()
        )
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


@pytest.mark.parametrize(("name", "args", "who", "names"), SCREENS, ids=[s[0] for s in SCREENS])
def test_every_screen_filter_answers_any_unicode(callers, name, args, who, names):
    args = [str(callers["intake"].pk) if a == "INTAKE" else a for a in args]
    url = reverse(name, args=args)
    client = callers["clients"][who]

    @FUZZ
    @given(params=st.fixed_dictionaries({}, optional={n: VALUES for n in names}))
    def check(params):
        _answered(client.get(url, params), params)

    check()


@pytest.mark.parametrize(("path", "names"), APIS, ids=[a[0] for a in APIS])
def test_every_api_filter_answers_any_unicode(callers, path, names):
    path = path.replace("INTAKE", str(callers["intake"].pk))
    who = "recruiter" if "intakes" in path else "director"
    client, token = callers["clients"][who], callers["tokens"][who]

    @FUZZ
    @given(params=st.fixed_dictionaries({}, optional={n: VALUES for n in names}))
    def check(params):
        response = client.get(path, params, **token)
        _answered(response, params)
        if response.status_code >= 400:
            assert response.json()["detail"]

    check()
