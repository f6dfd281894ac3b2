from __future__ import annotations

import pytest
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry, Region, Unit
from matricule.core.seeding import seed_reference

pytestmark = pytest.mark.django_db


def test_seed_is_complete_and_idempotent(mali):
    units_before = Unit.objects.count()
    seed_reference()
    assert Unit.objects.count() == units_before
    assert Region.objects.count() == 20
    assert Region.objects.filter(name="Ségou").exists()
    for code in ["DGPN", "ENP", "GMS", "BAC", "BSI", "GIPN", "FORSAT", "CCR", "DR-GAO"]:
        assert Unit.objects.filter(agency=mali, code=code).exists(), code


def test_subtree_is_one_prefix_query(mali, django_assert_num_queries):
    gao = Unit.objects.get(agency=mali, code="DR-GAO")
    with django_assert_num_queries(1):
        codes = set(Unit.objects.filter(gao.subtree_q()).values_list("code", flat=True))
    assert {"DR-GAO", "GAO-CC", "GAO-CC-BR"} <= codes
    assert "BKO-CA01" not in codes


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 403), ("hr_clerk", 403), ("hr_director", 200)],
)
def test_reference_list_access(client, make_user, login, who, expected):
    if who != "anonymous":
        login(make_user(who))
    response = client.get(reverse("web:reference_list", args=["regions"]))
    assert response.status_code == expected


def test_director_creates_a_unit_under_a_parent_and_it_is_audited(client, make_user, login, mali):
    login(make_user(Role.HR_DIRECTOR))
    parent = Unit.objects.get(agency=mali, code="DR-GAO")
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("web:reference_create", args=["unites"]),
        {
            "agency": mali.pk,
            "parent": parent.pk,
            "code": "GAO-P-TEST",
            "name": "Poste de Tessit",
            "unit_type": parent.unit_type_id,
            "region": parent.region_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="GAO-P-TEST")
    assert unit.path.startswith(parent.path)
    assert unit.depth == parent.depth + 1
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-id")[0].action == "reference.create"


def test_bad_input_is_refused_in_french_and_changes_nothing(client, make_user, login):
    login(make_user(Role.HR_DIRECTOR))
    count = Region.objects.count()
    response = client.post(
        reverse("web:reference_create", args=["regions"]), {"code": "KAY", "name": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert "Un objet Région avec ce champ Code existe déjà." in body
    assert "rien n'a été enregistré" in body
    assert Region.objects.count() == count


def test_moving_a_unit_moves_its_subtree(client, make_user, login, mali):
    login(make_user(Role.HR_DIRECTOR))
    unit = Unit.objects.get(agency=mali, code="GAO-CC")
    new_parent = Unit.objects.get(agency=mali, code="DR-KID")
    response = client.post(
        reverse("web:reference_edit", args=["unites", unit.pk]),
        {
            "agency": mali.pk,
            "parent": new_parent.pk,
            "code": unit.code,
            "name": unit.name,
            "unit_type": unit.unit_type_id,
            "region": unit.region_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    child = Unit.objects.get(agency=mali, code="GAO-CC-BR")
    unit.refresh_from_db()
    assert unit.path.startswith(new_parent.path)
    assert child.path.startswith(unit.path)
    assert child.depth == unit.depth + 1


def test_a_unit_cannot_go_under_its_own_subdivision(client, make_user, login, mali):
    login(make_user(Role.HR_DIRECTOR))
    unit = Unit.objects.get(agency=mali, code="GAO-CC")
    child = Unit.objects.get(agency=mali, code="GAO-CC-BR")
    path = unit.path
    response = client.post(
        reverse("web:reference_edit", args=["unites", unit.pk]),
        {
            "agency": mali.pk,
            "parent": child.pk,
            "code": unit.code,
            "name": unit.name,
            "unit_type": unit.unit_type_id,
            "region": unit.region_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "subdivisions" in response.content.decode()
    unit.refresh_from_db()
    assert unit.path == path


def test_director_cannot_edit_another_agencys_unit(client, make_user, login):
    login(make_user(Role.HR_DIRECTOR))
    ocs_unit = Unit.objects.get(agency__code="OCS", code="OCS-DG")
    response = client.get(reverse("web:reference_edit", args=["unites", ocs_unit.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("agency", "sees_origin_grades"), [("OCS", True), ("PN", False)])
def test_origin_corps_grades_are_kept_by_the_host_agencys_director(
    client, make_user, login, agency, sees_origin_grades
):
    """The OCS's HR director maintains the origin corps' grade tables; the police's does not."""
    from matricule.core.models import Grade

    login(make_user(Role.HR_DIRECTOR, agency=agency))
    customs = Grade.objects.get(statute__agency__code="DOUANES", code="INS")
    response = client.get(reverse("web:reference_edit", args=["grades", customs.pk]))
    assert response.status_code == (200 if sees_origin_grades else 404)
    listing = client.get(reverse("web:reference_list", args=["agences"]), {"q": "Douanes"})
    assert ("Direction générale des Douanes" in listing.content.decode()) == sees_origin_grades


def test_a_bad_service_number_format_is_refused_in_french(client, make_user, login):
    from matricule.core.models import Agency

    login(make_user(Role.HR_DIRECTOR, agency="OCS"))
    gend = Agency.objects.get(code="GEND")
    data = {
        "code": "GEND",
        "name": gend.name,
        "short_name": gend.short_name,
        "kind": "origin",
        "matricule_prefix": "GD",
        "matricule_digits": 6,
        "service_number_pattern": "G(\\d{6}",
        "service_number_example": "G014587",
        "is_active": "on",
    }
    response = client.post(reverse("web:reference_edit", args=["agences", gend.pk]), data)
    assert response.status_code == 200
    assert "Expression régulière invalide" in response.content.decode()
    gend.refresh_from_db()
    assert gend.service_number_pattern == r"G\d{6}"
