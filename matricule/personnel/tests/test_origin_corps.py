"""OCS members seconded from another corps, the ministry's staff, and who sees whom."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matricule.accounts.roles import Perm, Role
from matricule.accounts.scopes import officer_scope_q
from matricule.core.models import Agency, Grade, Unit
from matricule.personnel.models import EventKind, Officer, Status
from matricule.personnel.selectors import discipline_since, officer_events, officer_get
from matricule.personnel.services import Act, event_record
from matricule.personnel.tests.factories import ORIGIN_SAMPLES, ocs_member_for_test

pytestmark = pytest.mark.django_db

ACT = Act(kind="arrete", number="2025-0042/DET", date=datetime.date(2025, 1, 10))


@pytest.mark.parametrize("origin", sorted(ORIGIN_SAMPLES))
def test_ocs_member_of_each_origin_keeps_their_corps_grade(origin):
    member = ocs_member_for_test(origin=origin)
    member = Officer.objects.select_related("grade", "corps").get(pk=member.pk)
    assert member.agency.code == "OCS"
    assert member.matricule.startswith("OCS")
    assert member.corps.agency.code == origin
    assert member.origin is not None and member.origin.code == origin
    assert member.grade_label == f"{member.grade.name} ({member.origin.short_name})"
    assert member.secondment_end == datetime.date(2027, 3, 1)
    # A grade change is the origin's act, recorded as it stands (no order of the corps):
    # the top grade of the origin's table, straight from the sample grade.
    top = Grade.objects.filter(statute__agency__code=origin).order_by("-order").first()
    assert top is not None
    event_record(
        officer=member,
        kind=EventKind.GRADE,
        effective_date=datetime.date(2025, 1, 15),
        grade=top,
        act=ACT,
        by=None,
    )
    member.refresh_from_db()
    assert member.grade_id == top.pk
    assert member.corps.agency.code == origin


def test_a_grade_of_another_corps_is_refused_and_nothing_changes():
    member = ocs_member_for_test(origin="GEND")
    customs = Grade.objects.get(statute__agency__code="DOUANES", code="INP")
    police = Grade.objects.filter(statute__agency__code="PN", code="CNE").last()
    for grade in (customs, police):
        with pytest.raises(ValidationError) as error:
            event_record(
                officer=member,
                kind=EventKind.GRADE,
                effective_date=datetime.date(2025, 1, 15),
                grade=grade,
                act=ACT,
                by=None,
            )
        assert "grade" in error.value.message_dict
    assert member.events.count() == 1


@pytest.mark.parametrize(
    ("number", "end", "field"),
    [
        ("D12", datetime.date(2027, 3, 1), "origin_service_number"),
        ("", datetime.date(2027, 3, 1), "origin_service_number"),
        ("D04871", datetime.date(2021, 3, 1), "end_date"),
    ],
)
def test_arrival_needs_the_origin_number_in_its_format_and_a_period(number, end, field):
    before = Officer.objects.count()
    with pytest.raises(ValidationError) as error:
        ocs_member_for_test(origin="DOUANES", number=number or " ", secondment_end=end)
    assert field in error.value.message_dict
    assert Officer.objects.count() == before


def test_police_grade_table_is_not_offered_to_the_ocs_and_police_keeps_its_order(hire):
    officer = hire(grade="SGT")
    cne = Grade.objects.filter(statute__agency__code="PN", code="CNE").last()
    with pytest.raises(ValidationError):
        event_record(
            officer=officer,
            kind=EventKind.GRADE,
            effective_date=datetime.date(2025, 1, 15),
            grade=cne,
            act=ACT,
            by=None,
        )


def test_renewal_then_return_to_the_origin_corps():
    member = ocs_member_for_test(origin="SANTE", entry_date=datetime.date(2021, 5, 1))
    with pytest.raises(ValidationError):  # not after the current end
        event_record(
            officer=member,
            kind=EventKind.RENEWAL,
            effective_date=datetime.date(2025, 1, 15),
            end_date=datetime.date(2026, 1, 1),
            act=ACT,
            by=None,
        )
    event_record(
        officer=member,
        kind=EventKind.RENEWAL,
        effective_date=datetime.date(2025, 1, 15),
        end_date=datetime.date(2029, 4, 30),
        act=ACT,
        by=None,
    )
    member.refresh_from_db()
    assert member.secondment_end == datetime.date(2029, 4, 30)
    event_record(
        officer=member,
        kind=EventKind.EXIT,
        status=Status.RETURNED,
        effective_date=datetime.date(2025, 2, 1),
        act=ACT,
        by=None,
    )
    member.refresh_from_db()
    assert member.status == Status.RETURNED
    assert member.exit_date == datetime.date(2025, 2, 1)
    assert member.secondment_end is None
    assert not member.in_service


def _second_police_officer(hire, *, start=datetime.date(2023, 6, 1)):
    officer = hire(family_name="Keïta", entry_date=datetime.date(2010, 10, 1))
    event_record(
        officer=officer,
        kind=EventKind.SANCTION,
        effective_date=datetime.date(2019, 4, 2),
        detail="Blâme",
        sanction_group=1,
        act=ACT,
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.SECONDMENT,
        effective_date=start,
        unit=Unit.objects.get(code="OCS-ANT-GAO"),
        end_date=datetime.date(2029, 2, 1),
        act=ACT,
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.SANCTION,
        effective_date=datetime.date(2024, 9, 9),
        detail="Avertissement",
        sanction_group=1,
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    return officer


def test_police_secondment_renewal_and_end_with_its_act(hire):
    officer = _second_police_officer(hire)
    assert officer.secondment_end == datetime.date(2029, 2, 1)
    event_record(
        officer=officer,
        kind=EventKind.RENEWAL,
        effective_date=datetime.date(2025, 1, 15),
        end_date=datetime.date(2032, 2, 1),
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    assert officer.secondment_end == datetime.date(2032, 2, 1)
    with pytest.raises(ValidationError) as error:  # back home: by an act
        event_record(
            officer=officer,
            kind=EventKind.STATUS,
            status=Status.ACTIVE,
            effective_date=datetime.date(2025, 2, 1),
            by=None,
        )
    assert "act_number" in error.value.message_dict
    event_record(
        officer=officer,
        kind=EventKind.STATUS,
        status=Status.ACTIVE,
        effective_date=datetime.date(2025, 2, 1),
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    assert (officer.status, officer.host_unit_id, officer.secondment_end) == ("active", None, None)


def test_a_police_officer_cannot_be_returned_to_an_origin_corps(hire):
    officer = hire()
    with pytest.raises(ValidationError) as error:
        event_record(
            officer=officer,
            kind=EventKind.EXIT,
            status=Status.RETURNED,
            effective_date=datetime.date(2025, 2, 1),
            act=ACT,
            by=None,
        )
    assert "status" in error.value.message_dict


@pytest.fixture
def three_agencies(make_user, hire):
    """A police officer, one seconded to the OCS, a customs officer at the OCS, a ministry
    secretary — and an HR clerk of each agency."""
    mspc = Agency.objects.get(code="MSPC")
    from matricule.personnel.services import officer_create

    secretary = officer_create(
        agency=mspc,
        identity={
            "family_name": "Sidibé",
            "given_names": "Fanta",
            "sex": "F",
            "birth_date": datetime.date(1990, 1, 5),
        },
        unit=Unit.objects.get(code="MSPC-DRH"),
        grade=Grade.objects.get(statute__agency=mspc, code="SA1"),
        entry_date=datetime.date(2015, 2, 1),
        act=ACT,
        by=None,
    )
    return {
        "police": hire(family_name="Traoré"),
        "seconded": _second_police_officer(hire),
        "customs": ocs_member_for_test(
            origin="DOUANES", family_name="Diarra", secondment_end=datetime.date(2030, 1, 1)
        ),
        "ministry": secretary,
        "pn": make_user(Role.HR_CLERK, "DR-BKO"),
        "ocs": make_user(Role.HR_CLERK, agency="OCS"),
        "mspc": make_user(Role.HR_CLERK, agency="MSPC"),
    }


@pytest.mark.parametrize(
    ("clerk", "sees"),
    [
        ("pn", {"police", "seconded"}),
        ("ocs", {"seconded", "customs"}),
        ("mspc", {"ministry"}),
    ],
)
def test_scope_matrix_across_agencies(three_agencies, clerk, sees):
    viewer = three_agencies[clerk]
    visible = set(
        Officer.objects.filter(officer_scope_q(viewer, Perm.PERSONNEL_VIEW)).values_list(
            "pk", flat=True
        )
    )
    people = ("police", "seconded", "customs", "ministry")
    assert {name for name in people if three_agencies[name].pk in visible} == sees


@pytest.mark.parametrize(("clerk", "sanctions"), [("pn", 2), ("ocs", 1)])
def test_sanctions_before_the_secondment_stay_with_the_home_agency(
    three_agencies, clerk, sanctions
):
    viewer = three_agencies[clerk]
    officer = officer_get(viewer=viewer, matricule=three_agencies["seconded"].matricule)
    events = officer_events(
        officer=officer,
        include_superseded=False,
        with_discipline=True,
        discipline_from=discipline_since(viewer=viewer, officer=officer),
    )
    shown = [e.detail for e in events if e.kind == EventKind.SANCTION]
    assert len(shown) == sanctions
    assert ("Blâme" in shown) == (clerk == "pn")


def test_ministry_staff_follow_the_ministry_grade_order(three_agencies):
    secretary = three_agencies["ministry"]
    skip = Grade.objects.get(statute__agency__code="MSPC", code="AC3")
    with pytest.raises(ValidationError):
        event_record(
            officer=secretary,
            kind=EventKind.GRADE,
            effective_date=datetime.date(2025, 1, 15),
            grade=skip,
            act=ACT,
            by=None,
        )
    event_record(
        officer=secretary,
        kind=EventKind.GRADE,
        effective_date=datetime.date(2025, 1, 15),
        grade=Grade.objects.get(statute__agency__code="MSPC", code="SAP"),
        act=ACT,
        by=None,
    )
    secretary.refresh_from_db()
    assert secretary.grade.code == "SAP"
    assert secretary.origin is None


def test_ocs_list_filters_origin_and_expiring_secondments_in_bounded_queries(
    client, login, three_agencies, django_assert_max_num_queries
):
    from django.urls import reverse

    from matricule.accounts.hooks import tasks_for

    today = timezone.localdate()
    soon = ocs_member_for_test(
        origin="GEND",
        family_name="Touré",
        entry_date=datetime.date(2023, 1, 2),
        secondment_end=today + datetime.timedelta(days=40),
    )
    director = three_agencies["ocs"]
    login(director)
    url = reverse("personnel:officer_list")
    client.get(url)  # warms the per-process reference copy
    with django_assert_max_num_queries(10):
        page = client.get(url, {"origin": "DOUANES"})
    assert [o.pk for o in page.context["page"]] == [three_agencies["customs"].pk]
    assert "Inspecteur des douanes (Douanes)" in page.content.decode()
    expiring = client.get(url, {"secondment_ends": "90"}).context["page"]
    assert [o.pk for o in expiring] == [soon.pk]
    grade = client.get(url, {"grade": "GEND:ADJ"}).context["page"]
    assert [o.pk for o in grade] == [soon.pk]
    assert client.get(url, {"origin": "GEND", "secondment_ends": "900"}).context["errors"]
    # The home page announces it; the police's clerk, whose seconded officer comes back
    # in 2029, has nothing to do.
    labels = [str(t.label) for t in tasks_for(director)]
    assert any("1 détachement prend fin dans les 90 jours" in label for label in labels)
    assert not [t for t in tasks_for(three_agencies["pn"]) if "détachement" in str(t.label)]


def test_ocs_member_profile_and_api_show_the_origin(client, login, three_agencies):
    import io

    from django.core.management import call_command
    from django.urls import reverse

    customs = three_agencies["customs"]
    login(three_agencies["ocs"])
    page = client.get(reverse("personnel:officer_profile", args=[customs.matricule]))
    text = page.content.decode()
    assert "Direction générale des Douanes" in text and "D04871" in text
    out = io.StringIO()
    call_command("issue_token", three_agencies["ocs"].username, stdout=out, stderr=io.StringIO())
    auth = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"}
    detail = client.get(f"/api/v1/officers/{customs.matricule}", **auth).json()
    assert (detail["origin"], detail["origin_service_number"]) == ("DOUANES", "D04871")
    assert detail["situation"]["grade"]["name"] == "Inspecteur des douanes"
    rows = client.get("/api/v1/officers", {"origin": "DOUANES"}, **auth).json()["items"]
    assert [(r["matricule"], r["origin"]) for r in rows] == [(customs.matricule, "DOUANES")]
    # A grade change by code, in the customs' table, through the API.
    created = client.post(
        f"/api/v1/officers/{customs.matricule}/events",
        {
            "kind": "grade",
            "effective_date": "2025-01-15",
            "grade": "ING",
            "act": {"kind": "arrete", "number": "2025-0101/DGD", "date": "2025-01-10"},
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["grade"]["name"] == "Inspecteur général des douanes"
    # The police clerk cannot reach the OCS's own staff.
    login(three_agencies["pn"])
    page = client.get(reverse("personnel:officer_profile", args=[customs.matricule]))
    assert page.status_code == 404


def test_the_ocs_clerk_corrects_the_origin_number_in_its_format(client, login, three_agencies):
    from django.urls import reverse

    customs = three_agencies["customs"]
    police = three_agencies["police"]
    login(three_agencies["ocs"])
    address = reverse("personnel:officer_edit", args=[customs.matricule])
    form = client.get(address).context["form"]
    assert form.fields["origin_service_number"].initial == customs.origin_service_number
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["birth_date"] = customs.birth_date.isoformat()
    data["version"] = customs.version
    refused = client.post(address, {**data, "origin_service_number": "G014587"})
    assert refused.status_code == 200
    assert "n&#x27;a pas le format de" in refused.content.decode()
    customs.refresh_from_db()
    assert customs.origin_service_number == ORIGIN_SAMPLES["DOUANES"][1]
    saved = client.post(address, {**data, "origin_service_number": "d 05 123"})
    assert saved.status_code == 302
    customs.refresh_from_db()
    assert customs.origin_service_number == "D05123"
    # The police's own officers have no number of origin to edit.
    client.logout()
    login(three_agencies["pn"])
    police_form = client.get(reverse("personnel:officer_edit", args=[police.matricule]))
    assert "origin_service_number" not in police_form.context["form"].fields


def test_proceedings_before_the_secondment_stay_with_the_home_agency(client, login, three_agencies):
    from django.urls import reverse

    from matricule.personnel.services.discipline import disciplinary_case_open

    seconded = three_agencies["seconded"]
    for day, reference in (
        (datetime.date(2019, 5, 2), "CD-AVANT"),
        (timezone.localdate(), "CD-APRES"),
    ):
        disciplinary_case_open(
            officer=seconded, opened_on=day, reference=reference, subject="Objet", by=None
        )
    address = reverse("personnel:officer_career", args=[seconded.matricule])
    login(three_agencies["ocs"])
    host_page = client.get(address).content.decode()
    assert "CD-APRES" in host_page and "CD-AVANT" not in host_page
    client.logout()
    login(three_agencies["pn"])
    home_page = client.get(address).content.decode()
    assert "CD-APRES" in home_page and "CD-AVANT" in home_page


def test_the_host_cannot_reach_a_proceeding_from_before_the_secondment_by_its_number(
    client, login, three_agencies
):
    from django.urls import reverse

    from matricule.personnel.services.discipline import disciplinary_case_open

    seconded = three_agencies["seconded"]
    before = disciplinary_case_open(
        officer=seconded,
        opened_on=datetime.date(2019, 5, 2),
        reference="CD-AVANT",
        subject="Objet",
        by=None,
    )
    since = disciplinary_case_open(
        officer=seconded,
        opened_on=timezone.localdate(),
        reference="CD-APRES",
        subject="Objet",
        by=None,
    )
    login(three_agencies["ocs"])

    def close_page(case_pk: int) -> int:
        address = reverse("personnel:case_close", args=[seconded.matricule, case_pk])
        return client.get(address).status_code

    assert close_page(since.pk) == 200
    assert close_page(before.pk) == 404
    client.logout()
    login(three_agencies["pn"])
    assert close_page(before.pk) == 200
