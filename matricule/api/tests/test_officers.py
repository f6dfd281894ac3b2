from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matricule.accounts.roles import Role
from matricule.core.models import Grade, Signatory, Unit
from matricule.personnel.models import CareerEvent, EventKind, Officer
from matricule.personnel.services import Act, event_record, officer_create
from matricule.personnel.tests.factories import letters

pytestmark = pytest.mark.django_db

ENTRY = datetime.date(2012, 10, 1)


def _issue(username: str) -> str:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def _career_officer(
    agency: Any,
    *,
    unit: str = "BKO-CA01",
    family_name: str = "Traoré",
    given_names: str = "Moussa",
    nina: str = "19850314000001A",
    blood_group: str = "O+",
) -> Officer:
    """An officer with a real career (entry event), as the screens would create one."""
    return officer_create(
        agency=agency,
        identity={
            "family_name": family_name,
            "given_names": given_names,
            "sex": "M",
            "birth_date": datetime.date(1985, 3, 14),
            "birth_place": "Ségou",
            "nina": nina,
            "blood_group": blood_group,
        },
        unit=Unit.objects.get(agency=agency, code=unit),
        grade=Grade.objects.get(statute__agency=agency, statute__code="S2010", code="SGT"),
        entry_date=ENTRY,
        act=Act(kind="arrete", number="2012-0457/MSPC", date=datetime.date(2012, 9, 15)),
        by=None,
    )


class Api:
    """The test client speaking to the API with one caller's token (or none)."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self.headers
        )


@pytest.fixture
def cast(client, mali, make_user, make_officer):
    """Bamako and Gao officers, and callers of every kind."""
    users = {
        "officer": make_user(Role.OFFICER, username="agent.sans.perimetre"),
        "hr_clerk": make_user(Role.HR_CLERK, "DR-BKO", username="rh.bamako"),
        "inspector": make_user(Role.INSPECTOR, username="inspecteur.pn"),
        "supervisor": make_user(Role.SUPERVISOR, "BKO-CA01", username="chef.ca01"),
    }
    apis = {name: Api(client, _issue(user.username)) for name, user in users.items()}
    apis["anonymous"] = Api(client, None)
    return {
        "api": apis,
        "users": users,
        "bamako": _career_officer(mali),
        "gao": make_officer(unit="GAO-CC", family_name="Maïga", given_names="Oumar"),
        "signatory": Signatory.objects.get(agency=mali, title="Directeur général"),
    }


def _posting(cast: dict[str, Any], unit: str = "BKO-CA02", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "posting",
        "effective_date": "2020-03-01",
        "unit": unit,
        "act": {
            "kind": "decision",
            "number": "2020-112/DGPN",
            "date": "2020-02-20",
            "signatory_id": cast["signatory"].pk,
        },
        **extra,
    }


# --- Who may do what: one test per operation, over every kind of caller -------------------


@pytest.mark.parametrize(
    ("caller", "status", "count"),
    [
        ("anonymous", 401, None),
        ("officer", 200, 0),
        ("hr_clerk", 200, 1),
        ("inspector", 200, 2),
    ],
)
def test_officer_list_is_scoped(cast, caller, status, count):
    response = cast["api"][caller].get("/officers")
    assert response.status_code == status
    if count is None:
        assert "Authentification" in response.json()["detail"]
        return
    data = response.json()
    assert data["count"] == count == len(data["items"])
    if caller == "hr_clerk":
        assert [o["matricule"] for o in data["items"]] == [cast["bamako"].matricule]


@pytest.mark.parametrize(
    ("caller", "who", "status"),
    [
        ("anonymous", "bamako", 401),
        ("officer", "bamako", 404),
        ("hr_clerk", "bamako", 200),
        ("hr_clerk", "gao", 404),
        ("inspector", "gao", 200),
    ],
)
def test_officer_detail_is_scoped(cast, caller, who, status):
    response = cast["api"][caller].get(f"/officers/{cast[who].matricule}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    if status == 200:
        assert response.json()["matricule"] == cast[who].matricule
    else:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("caller", "who", "status"),
    [
        ("anonymous", "bamako", 401),
        ("officer", "bamako", 404),
        ("hr_clerk", "bamako", 200),
        ("hr_clerk", "gao", 404),
        ("inspector", "bamako", 200),
    ],
)
def test_event_list_is_scoped(cast, caller, who, status):
    response = cast["api"][caller].get(f"/officers/{cast[who].matricule}/events")
    assert response.status_code == status
    if status == 200:
        assert [e["kind"] for e in response.json()["items"]] == ["entry"]


@pytest.mark.parametrize(
    ("caller", "who", "status"),
    [
        ("anonymous", "bamako", 401),
        ("officer", "bamako", 404),
        ("supervisor", "bamako", 403),
        ("inspector", "bamako", 403),
        ("hr_clerk", "gao", 404),
        ("hr_clerk", "bamako", 201),
    ],
)
def test_event_create_needs_edit_rights_in_scope(cast, caller, who, status):
    officer = cast[who]
    before = CareerEvent.objects.filter(officer=officer).count()
    response = cast["api"][caller].post(f"/officers/{officer.matricule}/events", _posting(cast))
    assert response.status_code == status, response.content
    after = CareerEvent.objects.filter(officer=officer).count()
    assert after == before + (1 if status == 201 else 0)
    if status != 201:
        assert response.json()["detail"]


# --- Search -------------------------------------------------------------------------------


def test_name_search_ignores_accents_and_case(cast, make_officer):
    make_officer(family_name="Keïta", given_names="Awa", sex="F")
    data = cast["api"]["inspector"].get("/officers", q="traore").json()
    assert [o["family_name"] for o in data["items"]] == ["Traoré"]
    assert data["count"] == 1


def test_unit_filter_takes_the_subtree(cast, make_officer):
    make_officer(unit="BKO-CA01-BR", family_name="Coulibaly")
    data = cast["api"]["inspector"].get("/officers", unit="DR-BKO").json()
    assert {o["family_name"] for o in data["items"]} == {"Traoré", "Coulibaly"}
    data = cast["api"]["inspector"].get("/officers", unit="bko-ca01-br").json()
    assert [o["family_name"] for o in data["items"]] == ["Coulibaly"]


def test_grade_filter(cast, make_officer):
    make_officer(grade="ADJ", family_name="Diarra")
    data = cast["api"]["inspector"].get("/officers", grade="ADJ").json()
    assert [(o["family_name"], o["grade"]["code"]) for o in data["items"]] == [("Diarra", "ADJ")]


def test_list_item_shape(cast):
    item = cast["api"]["hr_clerk"].get("/officers").json()["items"][0]
    assert item == {
        "matricule": cast["bamako"].matricule,
        "family_name": "Traoré",
        "given_names": "Moussa",
        "sex": "M",
        "birth_date": "1985-03-14",
        "grade": {"code": "SGT", "name": "Sergent"},
        "unit": {"code": "BKO-CA01", "name": "Commissariat du 1er arrondissement"},
        "corps": "SO",
        "origin": None,
        "status": "active",
        "status_label": "En activité",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "NULLE-PART"}, "unit"),
        ({"grade": "GENERAL"}, "grade"),
        ({"status": "en-vacances"}, "status"),
        ({"sex": "X"}, "sex"),
        ({"sort": "salaire"}, "sort"),
        ({"age": "12-15"}, "age"),
    ],
)
def test_unknown_filter_value_answers_400_in_french(cast, params, field):
    response = cast["api"]["hr_clerk"].get("/officers", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Filtres invalides."
    assert set(body["errors"]) == {field}
    assert "inconnu" in body["errors"][field][0] or "M ou F" in body["errors"][field][0]


def test_unit_of_an_agency_out_of_scope_is_unknown(cast):
    # The supervisor's agency is PN: an OCS unit code is not one they can filter on.
    response = cast["api"]["supervisor"].get("/officers", unit="OCS-DG")
    assert response.status_code == 400


# --- Pagination ---------------------------------------------------------------------------


def test_pagination_pages_through_with_the_total_count(cast, make_officer):
    for name in ("Berthé", "Camara", "Dembélé", "Fofana"):
        make_officer(family_name=name)
    api = cast["api"]["hr_clerk"]
    first = api.get("/officers", limit=2).json()
    second = api.get("/officers", limit=2, offset=2).json()
    last = api.get("/officers", limit=2, offset=4).json()
    beyond = api.get("/officers", limit=2, offset=50).json()
    assert first["count"] == second["count"] == last["count"] == beyond["count"] == 5
    names = [o["family_name"] for page in (first, second, last) for o in page["items"]]
    assert names == ["Berthé", "Camara", "Dembélé", "Fofana", "Traoré"]
    assert beyond["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": -1},
        {"limit": 501},
        {"limit": "dix"},
        {"offset": -1},
        {"offset": 10**20},
        {"offset": "1.5"},
    ],
)
def test_bad_pagination_answers_422_in_french(cast, params):
    response = cast["api"]["hr_clerk"].get("/officers", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Paramètres invalides."
    assert set(body["errors"]) == set(params)


def _list_queries(api: Api) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/officers", limit=50, sort="grade")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_the_page(
    cast, make_officer, django_assert_max_num_queries
):
    api = cast["api"]["hr_clerk"]
    for i in range(2):
        make_officer(family_name=f"Sangaré {letters(i)}")
    api.get("/officers")  # first use stamps the token; later calls only read
    with django_assert_max_num_queries(8):
        three = _list_queries(api)
    for i in range(27):
        make_officer(family_name=f"Sidibé {letters(i)}", grade="ADJ" if i % 2 else "SGC")
    with django_assert_max_num_queries(8):
        thirty = _list_queries(api)
    assert api.get("/officers").json()["count"] == 30
    assert three == thirty


# --- The record ---------------------------------------------------------------------------


def test_detail_shape_and_current_situation(cast):
    data = cast["api"]["hr_clerk"].get(f"/officers/{cast['bamako'].matricule}").json()
    assert data["agency"] == "PN"
    assert data["birth_place"] == "Ségou"
    situation = data["situation"]
    assert situation["unit"] == {"code": "BKO-CA01", "name": "Commissariat du 1er arrondissement"}
    assert situation["grade"]["code"] == "SGT"
    assert situation["corps"]["code"] == "SO"
    assert situation["status"] == "active"
    assert situation["entry_date"] == "2012-10-01"
    assert situation["host_unit"] is None
    assert situation["retirement_date"] == "2046-03-14"  # 61 for sous-officiers


@pytest.mark.parametrize(
    ("caller", "nina", "blood_group"),
    [
        ("supervisor", None, None),
        ("hr_clerk", "19850314000001A", None),
        ("inspector", "19850314000001A", "O+"),
    ],
)
def test_sensitive_fields_follow_the_viewer_permissions(cast, caller, nina, blood_group):
    data = cast["api"][caller].get(f"/officers/{cast['bamako'].matricule}").json()
    assert (data["nina"], data["blood_group"]) == (nina, blood_group)


def test_detail_as_of_a_past_date(cast):
    api = cast["api"]["hr_clerk"]
    path = f"/officers/{cast['bamako'].matricule}"
    assert api.post(f"{path}/events", _posting(cast)).status_code == 201
    then = api.get(path, as_of="2015-06-01").json()["situation"]
    now = api.get(path).json()["situation"]
    assert then["on"] == "2015-06-01"
    assert then["unit"]["code"] == "BKO-CA01"
    assert then["grade"]["code"] == "SGT"
    assert now["unit"]["code"] == "BKO-CA02"
    assert api.get(path, as_of="2000-01-01").json()["situation"] is None


@pytest.mark.parametrize("as_of", ["2024-02-30", "1700000000", "21/11/2024", "-2.2e-311"])
def test_bad_as_of_answers_422(cast, as_of):
    response = cast["api"]["hr_clerk"].get(f"/officers/{cast['bamako'].matricule}", as_of=as_of)
    assert response.status_code == 422
    assert response.json()["errors"]["as_of"] == [
        "Date invalide : format AAAA-MM-JJ attendu (ex. 2024-11-21)."
    ]


def test_unknown_matricule_is_a_json_404(cast):
    response = cast["api"]["inspector"].get("/officers/PN999999Z")
    assert response.status_code == 404
    assert response.json() == {"detail": "Agent introuvable : « PN999999Z »."}


# --- Career events ------------------------------------------------------------------------


def test_sanctions_are_hidden_without_the_discipline_permission(cast):
    officer = cast["bamako"]
    event_record(
        officer=officer,
        kind=EventKind.SANCTION,
        effective_date=datetime.date(2019, 5, 2),
        detail="Blâme",
        by=None,
        act=Act(kind="decision", number="2019-77/DGPN", date=datetime.date(2019, 5, 1)),
    )
    path = f"/officers/{officer.matricule}/events"
    seen_by_chief = cast["api"]["supervisor"].get(path).json()
    seen_by_clerk = cast["api"]["hr_clerk"].get(path).json()
    assert [e["kind"] for e in seen_by_chief["items"]] == ["entry"]
    assert seen_by_chief["count"] == 1
    assert [e["kind"] for e in seen_by_clerk["items"]] == ["entry", "sanction"]


def test_posting_is_recorded_with_its_act_and_moves_the_officer(cast):
    officer = cast["bamako"]
    api = cast["api"]["hr_clerk"]
    response = api.post(f"/officers/{officer.matricule}/events", _posting(cast))
    assert response.status_code == 201
    created = response.json()
    assert created["kind"] == "posting"
    assert created["kind_label"] == "Affectation / mutation"
    assert created["unit"]["code"] == "BKO-CA02"
    assert created["act"]["number"] == "2020-112/DGPN"
    assert created["act"]["signatory"]["id"] == cast["signatory"].pk
    assert created["supersedes"] is None
    listed = api.get(f"/officers/{officer.matricule}/events").json()
    assert [e["id"] for e in listed["items"]][-1] == created["id"]
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA02"
    event = CareerEvent.objects.get(pk=created["id"])
    assert event.created_by == cast["users"]["hr_clerk"]


def test_event_before_entry_is_refused_in_french_and_changes_nothing(cast):
    officer = cast["bamako"]
    before = CareerEvent.objects.filter(officer=officer).count()
    response = cast["api"]["hr_clerk"].post(
        f"/officers/{officer.matricule}/events",
        _posting(cast, effective_date="2010-06-01"),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Données invalides"
    assert (
        "La date d'effet précède l'entrée en service de l'agent."
        in body["errors"]["effective_date"]
    )
    assert CareerEvent.objects.filter(officer=officer).count() == before
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA01"


def test_missing_act_is_reported_under_the_api_field_names(cast):
    body = _posting(cast)
    del body["act"]
    response = cast["api"]["hr_clerk"].post(f"/officers/{cast['bamako'].matricule}/events", body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"act.number", "act.date"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "NULLE-PART"}, "unit"),
        ({"kind": "grade", "grade": "GENERAL"}, "grade"),
        ({"supersedes": 987654321}, "supersedes"),
    ],
)
def test_unknown_codes_in_an_event_answer_400(cast, change, field):
    officer = cast["bamako"]
    response = cast["api"]["hr_clerk"].post(
        f"/officers/{officer.matricule}/events", _posting(cast, **change)
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    assert CareerEvent.objects.filter(officer=officer).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "promotion", "effective_date": "2020-03-01"},
        {"kind": "posting", "effective_date": "01/03/2020"},
        {"kind": "posting"},
        {"kind": "posting", "effective_date": "2020-03-01", "supersedes": -4},
        {"kind": "posting", "effective_date": "2020-03-01", "function": "x" * 151},
        [],
    ],
)
def test_malformed_event_answers_422_in_french(cast, body):
    response = cast["api"]["hr_clerk"].post(f"/officers/{cast['bamako'].matricule}/events", body)
    assert response.status_code == 422
    assert response.json()["detail"] == "Paramètres invalides."


def test_a_nul_character_in_a_field_answers_400_in_french(cast):
    response = cast["api"]["hr_clerk"].post(
        f"/officers/{cast['bamako'].matricule}/events",
        {"kind": "posting", "effective_date": "2020-03-01", "detail": "a\x00b"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Le caractère nul (U+0000) est interdit."
    assert "detail" in response.json()["errors"]


def test_unreadable_json_answers_400(cast):
    api = cast["api"]["hr_clerk"]
    response = api.client.post(
        f"/api/v1/officers/{cast['bamako'].matricule}/events",
        data="{pas du json",
        content_type="application/json",
        **api.headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Corps de la requête illisible")


def test_correction_supersedes_the_old_event(cast):
    officer = cast["bamako"]
    api = cast["api"]["hr_clerk"]
    path = f"/officers/{officer.matricule}/events"
    wrong = api.post(path, _posting(cast)).json()
    response = api.post(path, _posting(cast, unit="BKO-CA03", supersedes=wrong["id"]))
    assert response.status_code == 201
    fixed = response.json()
    assert fixed["supersedes"] == wrong["id"]
    assert CareerEvent.objects.get(pk=wrong["id"]).is_superseded
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA03"
    clerk_view = api.get(path, include_superseded="true").json()
    assert [e["id"] for e in clerk_view["items"]][1:] == [fixed["id"]]
    inspector_view = cast["api"]["inspector"].get(path, include_superseded="true").json()
    assert {e["id"] for e in inspector_view["items"]} >= {wrong["id"], fixed["id"]}
    assert next(e for e in inspector_view["items"] if e["id"] == wrong["id"])["is_superseded"]
    again = api.post(path, _posting(cast, unit="BKO-CA04", supersedes=wrong["id"]))
    assert again.status_code == 400


def test_secondment_to_another_agency_finds_the_host_unit(cast, mali):
    from matricule.accounts.models import RoleGrant

    officer = cast["bamako"]
    host = Unit.objects.exclude(agency=mali).filter(is_active=True).order_by("path").first()
    # A secondment needs rights over the host unit as well as over the officer.
    RoleGrant.objects.create(user=cast["users"]["hr_clerk"], role=Role.HR_CLERK, agency=host.agency)
    response = cast["api"]["hr_clerk"].post(
        f"/officers/{officer.matricule}/events",
        {
            "kind": "secondment",
            "effective_date": "2021-01-04",
            "unit": host.code,
            "unit_agency": host.agency.code,
            "act": {"kind": "arrete", "number": "2020-900/MSPC", "date": "2020-12-20"},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["host_agency"] == host.agency.code
    situation = cast["api"]["hr_clerk"].get(f"/officers/{officer.matricule}").json()["situation"]
    assert situation["status"] == "seconded"
    assert situation["host_unit"]["code"] == host.code


def test_openapi_describes_the_officer_operations_in_french(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/officers"]["get"]["summary"] == "Rechercher des agents"
    assert "post" in paths["/api/v1/officers/{matricule}/events"]
    assert "422" in paths["/api/v1/officers/{matricule}/events"]["post"]["responses"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/units", "/api/v1/grades"])
def test_reference_lists_refuse_huge_offsets_without_a_server_error(client, make_user, path):
    make_user(Role.HR_CLERK, "DR-BKO", username="rh.offset")
    out = io.StringIO()
    call_command("issue_token", "rh.offset", stdout=out, stderr=io.StringIO())
    auth = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"}
    assert client.get(path + "?offset=100000000000000000000", **auth).status_code == 422
    assert client.get(path + "?limit=0", **auth).status_code == 422
    assert client.get(path + "?limit=2&offset=1", **auth).status_code == 200


def test_a_posting_outside_the_clerks_scope_is_a_403_in_french(cast):
    officer = cast["bamako"]
    response = cast["api"]["hr_clerk"].post(
        f"/officers/{officer.matricule}/events", _posting(cast, unit="GAO-CC")
    )
    assert response.status_code == 403, response.content
    assert "hors de votre périmètre" in response.json()["detail"]
    assert CareerEvent.objects.filter(officer=officer).count() == 1
