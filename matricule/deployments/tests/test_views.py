"""Every screen over every kind of caller; the planner's journey by the test client; queries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matricule.accounts.roles import Role
from matricule.deployments import services as s
from matricule.deployments.models import Assignment, Operation, UnAssessment

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def cast(make_user, make_operation, make_position, hire, give, today):
    """A FORSAT operation with one assignment, and every kind of caller."""
    operation = make_operation(name="Opération Kanaga", start=today - D(days=5), days=40)
    position = make_position(operation, skill=[("first_aid", 1)])
    officer = hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa", sex="F")
    give.skill(officer, "first_aid", 2)
    assignment = s.assignment_create(
        position=position, officer=officer, start_date=today - D(days=5), by=None
    )
    UnAssessment.objects.create(officer=officer, test="interview", taken_on=today, passed=True)
    return {
        "operation": operation,
        "position": position,
        "assignment": assignment,
        "officer_record": officer,
        "planner": make_user(Role.OPERATIONS_PLANNER, username="operations.test"),
        "planner_gao": make_user(Role.OPERATIONS_PLANNER, "DR-GAO"),
        "inspector": make_user(Role.INSPECTOR),
        "head_bamako": make_user(Role.SUPERVISOR, "BKO-CA01"),
        "head_gao": make_user(Role.SUPERVISOR, "GAO-CC"),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "own_officer": make_user(Role.OFFICER, officer=officer),
        "other_officer": make_user(Role.OFFICER),
    }


def _status(client, login, cast, who, url, method="get", data=None):
    if who != "anonymous":
        login(cast[who])
    return getattr(client, method)(url, data or {}).status_code


EVERYONE = [
    "anonymous",
    "other_officer",
    "own_officer",
    "clerk_bamako",
    "head_bamako",
    "planner",
    "planner_gao",
    "inspector",
]


def _expect(table: dict[str, int]) -> list[tuple[str, int]]:
    return [(who, table[who]) for who in EVERYONE]


READ_SCREEN = {
    "anonymous": 302,
    "other_officer": 403,
    "own_officer": 403,
    "clerk_bamako": 403,
    "head_bamako": 403,
    "planner": 200,
    "planner_gao": 200,
    "inspector": 200,
}
OPERATION_SCREEN = {**READ_SCREEN, "planner_gao": 404}
PLAN_SCREEN = {**READ_SCREEN, "inspector": 403}
PLAN_OPERATION_SCREEN = {**OPERATION_SCREEN, "inspector": 403}


@pytest.mark.parametrize(("who", "expected"), _expect(READ_SCREEN))
@pytest.mark.parametrize("name", ["operation_list", "un_roster", "unit_readiness"])
def test_reading_screens_are_for_planners_and_inspectors(client, login, cast, who, expected, name):
    assert _status(client, login, cast, who, reverse(f"deployments:{name}")) == expected


@pytest.mark.parametrize(("who", "expected"), _expect(PLAN_SCREEN))
@pytest.mark.parametrize("name", ["operation_create", "un_assessment", "critical_skills"])
def test_planning_screens_are_for_planners_only(client, login, cast, who, expected, name):
    assert _status(client, login, cast, who, reverse(f"deployments:{name}")) == expected


@pytest.mark.parametrize(("who", "expected"), _expect(OPERATION_SCREEN))
@pytest.mark.parametrize("what", ["detail", "position", "search", "export"])
def test_an_operation_is_read_in_scope_only(client, login, cast, who, expected, what):
    url = {
        "detail": reverse("deployments:operation_detail", args=[cast["operation"].pk]),
        "position": reverse("deployments:position_detail", args=[cast["position"].pk]),
        "search": reverse("deployments:position_search", args=[cast["position"].pk]),
        "export": reverse("deployments:position_export", args=[cast["position"].pk, "xlsx"]),
    }[what]
    assert _status(client, login, cast, who, url) == expected


@pytest.mark.parametrize(("who", "expected"), _expect(PLAN_OPERATION_SCREEN))
@pytest.mark.parametrize("what", ["edit", "position_create", "end"])
def test_an_operation_is_changed_by_its_planners_only(client, login, cast, who, expected, what):
    url = {
        "edit": reverse("deployments:operation_edit", args=[cast["operation"].pk]),
        "position_create": reverse("deployments:position_create", args=[cast["operation"].pk]),
        "end": reverse("deployments:assignment_end", args=[cast["assignment"].pk]),
    }[what]
    assert _status(client, login, cast, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    _expect({**PLAN_OPERATION_SCREEN, "planner": 302}),
)
def test_assigning_is_for_the_operations_planners(client, login, cast, hire, who, expected):
    officer = hire(unit="BKO-CA02", family_name="Keïta")
    url = reverse("deployments:assign", args=[cast["position"].pk])
    assert _status(client, login, cast, who, url, "post", {"matricule": officer.matricule}) == (
        expected
    )
    assert Assignment.objects.filter(officer=officer).exists() is (who == "planner")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_officer", 403),
        ("own_officer", 403),
        ("clerk_bamako", 403),
        ("head_bamako", 200),
        ("head_gao", 404),
        ("planner", 200),
        ("planner_gao", 404),
        ("inspector", 200),
    ],
)
def test_the_missions_tab_of_a_record(client, login, cast, who, expected):
    url = reverse("deployments:officer_missions", args=[cast["officer_record"].matricule])
    assert _status(client, login, cast, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected", "sees"),
    [
        ("anonymous", 302, False),
        ("other_officer", 403, False),
        ("planner", 403, False),
        ("head_bamako", 200, True),
        ("head_gao", 200, False),
    ],
)
def test_heads_of_unit_see_the_missions_of_their_staff(client, login, cast, who, expected, sees):
    if who != "anonymous":
        login(cast[who])
    response = client.get(reverse("deployments:staff_missions"))
    assert response.status_code == expected
    if expected == 200:
        assert ("Opération Kanaga" in response.content.decode()) is sees


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("own_officer", 200), ("other_officer", 404)]
)
def test_officers_see_their_own_missions_in_their_space(client, login, cast, who, expected):
    if who != "anonymous":
        login(cast[who])
    response = client.get(reverse("deployments:my_missions"))
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "Opération Kanaga" in page and "Préparation aux missions" in page


def test_the_missions_tab_shows_for_readers_of_deployments_only(client, login, cast):
    from matricule.personnel.profile import profile_tabs_for
    from matricule.personnel.selectors import viewer_perms_for

    officer = cast["officer_record"]
    for who, shown in (("head_bamako", True), ("clerk_bamako", False), ("inspector", True)):
        perms = viewer_perms_for(cast[who], officer)
        slugs = [t.slug for t in profile_tabs_for(officer=officer, perms=perms, as_of=None)]
        assert ("missions" in slugs) is shown


def test_a_planner_creates_an_operation_and_a_position_with_requirements(
    client, login, cast, skills, languages
):
    login(cast["planner"])
    from matricule.core.models import Region, Unit
    from matricule.deployments.models import PartnerAgency

    response = client.post(
        reverse("deployments:operation_create"),
        {
            "name": "Force conjointe Ségou–Mopti",
            "kind": "joint",
            "start_date": "2027-01-10",
            "end_date": "2027-03-10",
            "region": Region.objects.get(code="SEG").pk,
            "lead_unit": Unit.objects.get(agency__code="PN", code="GMS").pk,
            "partners": [PartnerAgency.objects.get(code="GN").pk],
        },
    )
    operation = Operation.objects.get(name="Force conjointe Ségou–Mopti")
    assert response.status_code == 302
    assert list(operation.partners.values_list("code", flat=True)) == ["GN"]
    response = client.post(
        reverse("deployments:position_create", args=[operation.pk]),
        {"title": "Maintien de l'ordre", "count": "12"},
    )
    position = operation.positions.get()
    assert response.status_code == 302
    client.post(
        reverse("deployments:requirement_add", args=[position.pk]),
        {"kind": "language", "language": languages["en"].pk, "min_level": "3", "years_held": "0"},
    )
    response = client.post(
        reverse("deployments:requirement_add", args=[position.pk]),
        {"kind": "skill", "skill": skills["licence_c"].pk, "min_level": "1", "years_held": "0"},
    )
    assert response.status_code == 400
    assert "Un permis s&#x27;exige comme « permis de conduire »" in response.content.decode()
    assert [r.label for r in position.requirements.all()] == ["Anglais B2"]


def test_an_operation_saved_meanwhile_is_not_overwritten(client, login, cast):
    login(cast["planner"])
    operation = cast["operation"]
    url = reverse("deployments:operation_edit", args=[operation.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "region": operation.region_id,
            "lead_unit": operation.lead_unit_id,
            "partners": [],
            "start_date": operation.start_date.isoformat(),
            "end_date": operation.end_date.isoformat(),
            "act_date": operation.act_date.isoformat(),
            "act_signatory": "",
        }
    )
    Operation.objects.filter(pk=operation.pk).update(version=operation.version + 1)
    data["name"] = "Nom changé"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "modifiée par quelqu'un d'autre" in response.content.decode().replace("&#x27;", "'")
    assert Operation.objects.get(pk=operation.pk).name == "Opération Kanaga"


def test_a_refused_assignment_is_explained_on_the_page(client, login, cast):
    login(cast["planner"])
    url = reverse("deployments:assign", args=[cast["position"].pk])
    response = client.post(url, {"matricule": cast["officer_record"].matricule}, follow=True)
    assert "une même personne ne peut pas être affectée deux fois" in response.content.decode()


def test_the_shortlist_exports_as_xlsx_with_the_explanations(client, login, cast, hire, give):
    login(cast["planner"])
    officer = hire(unit="BKO-CA02", family_name="Diarra")
    give.skill(officer, "first_aid", 1)
    response = client.get(
        reverse("deployments:position_export", args=[cast["position"].pk, "xlsx"])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "Rang")
    assert rows[header + 1][1] == officer.matricule
    assert "Premiers secours niveau 1" in rows[header + 1][11]


def test_list_and_record_screens_keep_their_query_budget(
    client, login, cast, hire, give, django_assert_max_num_queries
):
    login(cast["planner"])
    for i in range(6):
        officer = hire(unit="BKO-CA02", family_name=f"Agent{chr(97 + i)}")
        give.skill(officer, "first_aid", 1)
    client.get(reverse("deployments:position_search", args=[cast["position"].pk]))  # warm caches
    budgets = {
        reverse("deployments:operation_list"): 12,
        reverse("deployments:operation_detail", args=[cast["operation"].pk]): 16,
        reverse("deployments:position_search", args=[cast["position"].pk]): 18,
        reverse("deployments:un_roster"): 14,
        reverse("deployments:unit_readiness"): 14,
        reverse("deployments:officer_missions", args=[cast["officer_record"].matricule]): 16,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_partner_agencies_are_kept_on_the_reference_screens(client, login, make_user):
    from matricule.deployments.models import PartnerAgency
    from matricule.deployments.seeding import seed_partner_agencies

    seed_partner_agencies()
    login(make_user(Role.HR_DIRECTOR))
    listed = client.get(reverse("web:reference_list", args=["partenaires-operations"]))
    assert listed.status_code == 200
    assert "Gendarmerie nationale" in listed.content.decode()
    response = client.post(
        reverse("web:reference_create", args=["partenaires-operations"]),
        {
            "code": "OCHA",
            "name": "Bureau de la coordination des affaires humanitaires",
            "short_name": "OCHA",
            "international": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert PartnerAgency.objects.get(code="OCHA").international


def test_operation_documents_must_be_pdf(client, login, cast, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(cast["planner"])
    url = reverse("deployments:document_upload", args=[cast["operation"].pk])
    data = {"kind": "order", "title": "Ordre d'opération n° 14", "date": today.isoformat()}
    png = SimpleUploadedFile("ordre.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    page = client.post(url, {**data, "file": png}, follow=True).content.decode()
    assert "Seuls les fichiers PDF sont acceptés." in page
    pdf = SimpleUploadedFile("ordre.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(url, {**data, "file": pdf})
    document = cast["operation"].documents.get()
    assert document.title == "Ordre d'opération n° 14"
    download = client.get(reverse("deployments:document_download", args=[document.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    login(cast["head_bamako"])
    assert (
        client.get(reverse("deployments:document_download", args=[document.pk])).status_code == 403
    )
