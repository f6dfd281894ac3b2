from __future__ import annotations

import pytest
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_shows_roles_scope_and_counts(client, make_user, make_officer, login):
    make_officer(unit="BKO-CA01", sex="F", family_name="Coulibaly")
    make_officer(unit="BKO-CA02")
    make_officer(unit="GAO-CC")
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    response = client.get(reverse("web:home"))
    body = response.content.decode()
    assert "Gestionnaire RH" in body
    assert "Direction régionale de la Police du District de Bamako" in body
    assert response.context["counts"].officers == 2
    assert response.context["counts"].women == 1


def test_home_query_count_is_constant(
    client, make_user, make_officer, login, django_assert_max_num_queries
):
    for _ in range(5):
        make_officer()
    login(make_user(Role.INSPECTOR))
    client.get(reverse("web:home"))  # warms the per-process reference copy
    with django_assert_max_num_queries(10):
        client.get(reverse("web:home"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        (Role.OFFICER, 403),
        (Role.HR_CLERK, 403),
        (Role.INSPECTOR, 200),
    ],
)
def test_audit_screen_access(client, make_user, login, who, expected):
    if who != "anonymous":
        login(make_user(who, "DR-BKO" if who == Role.HR_CLERK else None))
    assert client.get(reverse("web:audit_list")).status_code == expected


def test_inspector_filters_by_officer_and_does_not_see_other_regions(
    client, make_user, make_officer, login
):
    bamako = make_officer(unit="BKO-CA01")
    gao = make_officer(unit="GAO-CC")
    audit_record(by=None, action="officer.update", obj=bamako, subject_officer_id=bamako.pk)
    audit_record(by=None, action="officer.update", obj=gao, subject_officer_id=gao.pk)
    login(make_user(Role.INSPECTOR, "DR-BKO"))
    page = client.get(reverse("web:audit_list"), {"action": "officer.update"}).context["page"]
    subjects = {e.subject_officer_id for e in page}
    assert subjects == {bamako.pk}
    page = client.get(reverse("web:audit_list"), {"officer": gao.matricule}).context["page"]
    assert list(page) == []


def test_audit_filter_with_reversed_dates_says_so(client, make_user, login):
    login(make_user(Role.INSPECTOR))
    response = client.get(
        reverse("web:audit_list"), {"date_from": "2026-11-21", "date_to": "2026-01-01"}
    )
    assert "La date de début doit précéder la date de fin." in response.content.decode()


def test_audit_page_reads_in_words_with_constant_queries(
    client, make_user, hire, login, django_assert_max_num_queries
):
    from matricule.personnel.services import officer_update

    clerk = make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko")
    inspector = make_user(Role.INSPECTOR)
    login(inspector)

    def add(n):
        for i in range(n):
            officer = hire(unit="BKO-CA01", family_name=f"Diallo {chr(65 + i)}")
            officer_update(
                officer=officer,
                data={"birth_place": "Kati"},
                expected_version=officer.version,
                by=clerk,
            )

    add(2)
    client.get(reverse("web:audit_list"))
    with django_assert_max_num_queries(20) as first:
        client.get(reverse("web:audit_list"))
    add(6)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(reverse("web:audit_list"))
    body = page.content.decode()
    assert "Identité ou coordonnées modifiées" in body
    assert "Dossier d&#x27;agent créé" in body or "Dossier d'agent créé" in body
    assert "lieu de naissance" in body and "birth_place" not in body


def test_audit_export_is_itself_audited(client, make_user, hire, login):
    from matricule.core.models import AuditEntry

    hire(unit="BKO-CA01")
    login(make_user(Role.INSPECTOR))
    response = client.get(reverse("web:audit_export"), {"action": "officer.create"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    entry = AuditEntry.objects.get(action="audit.export")
    assert entry.after["filters"] == {"action": "officer.create"}
    assert entry.after["rows"] == 1
