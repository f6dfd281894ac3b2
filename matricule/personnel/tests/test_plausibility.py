"""Plausibility rules of the record, each with its French message on the right field."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matricule.accounts.roles import Role
from matricule.core.models import Corps, Grade, Signatory, Unit
from matricule.personnel.models import CareerEvent, Officer, sort_key
from matricule.personnel.selectors import OfficerFilters, officer_list
from matricule.personnel.services import officer_update

pytestmark = pytest.mark.django_db


def test_entry_before_the_statutes_minimum_age_is_refused(hire):
    with pytest.raises(ValidationError) as caught:
        hire(birth_date=datetime.date(1996, 3, 1), entry_date=datetime.date(2012, 10, 1))
    messages = caught.value.message_dict["effective_date"]
    assert any("aurait 16 ans" in m and "18 ans au moins" in m for m in messages)
    assert not Officer.objects.filter(birth_date=datetime.date(1996, 3, 1)).exists()


def test_entry_after_the_statutes_maximum_age_is_refused(hire):
    grade = Grade.objects.get(statute__code="S2010", code="SGT")
    Corps.objects.filter(pk=grade.corps_id).update(entry_age_max=30)
    with pytest.raises(ValidationError) as caught:
        hire(birth_date=datetime.date(1975, 1, 1), entry_date=datetime.date(2012, 10, 1))
    assert any("après 30 ans" in m for m in caught.value.message_dict["effective_date"])


def test_entry_at_eighteen_is_accepted(hire):
    officer = hire(birth_date=datetime.date(1994, 9, 1), entry_date=datetime.date(2012, 10, 1))
    assert officer.entry_date == datetime.date(2012, 10, 1)


def test_birth_date_in_the_future_is_refused_on_its_field(hire):
    officer = hire()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        officer_update(
            officer=officer,
            data={"birth_date": tomorrow},
            expected_version=officer.version,
            by=None,
        )
    assert caught.value.message_dict == {
        "birth_date": ["La date de naissance ne peut pas être dans le futur."]
    }
    officer.refresh_from_db()
    assert officer.birth_date != tomorrow


@pytest.fixture
def clerk_and_officer(hire, make_user):
    return make_user(Role.HR_CLERK, "DR-BKO"), hire(unit="BKO-CA01")


def _posting(officer, **extra):
    return reverse("personnel:event_create", args=[officer.matricule, "affectation"]), {
        "effective_date": "2024-02-01",
        "unit": Unit.objects.get(code="BKO-CA07").pk,
        "act_kind": "decision",
        "act_number": "2024-0815/DGPN-DRH",
        "act_date": "2024-01-20",
        **extra,
    }


def test_an_act_with_number_and_date_but_no_signatory_is_refused(client, login, clerk_and_officer):
    clerk, officer = clerk_and_officer
    login(clerk)
    url, data = _posting(officer)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "choisissez le signataire" in response.content.decode()
    assert not CareerEvent.objects.filter(officer=officer, kind="posting").exists()


def test_a_note_de_service_needs_no_signatory(client, login, clerk_and_officer):
    clerk, officer = clerk_and_officer
    login(clerk)
    url, data = _posting(officer, act_kind="note")
    assert client.post(url, data).status_code == 302


def test_required_fields_are_marked(client, login, clerk_and_officer):
    clerk, officer = clerk_and_officer
    login(clerk)
    url, _data = _posting(officer)
    body = client.get(url).content.decode()
    assert body.count('class="req"') >= 4  # date d'effet, unité, numéro et date de l'acte


def test_posting_form_offers_only_units_the_clerk_may_edit_and_says_why(
    client, login, clerk_and_officer
):
    clerk, officer = clerk_and_officer
    login(clerk)
    url, _data = _posting(officer)
    form = client.get(url).context["form"]
    codes = {u.code for u in form.fields["unit"].queryset}
    assert "BKO-CA07" in codes and "GAO-CC" not in codes
    assert "directeur des ressources humaines" in str(form.fields["unit"].help_text)


def second_to_ocs(officer):
    from matricule.personnel.services import Act, event_record

    host = Unit.objects.filter(agency__code="OCS", is_active=True).order_by("path").first()
    event_record(
        officer=officer,
        kind="secondment",
        effective_date=datetime.date(2020, 1, 6),
        unit=host,
        act=Act(kind="arrete", number="2019-77/MSPC", date=datetime.date(2019, 12, 20)),
        by=None,
    )
    return host


def ocs_clerk(make_user, host):
    from matricule.accounts.models import RoleGrant

    clerk = make_user(username="clerk-ocs")
    RoleGrant.objects.create(user=clerk, role=Role.HR_CLERK, agency=host.agency)
    return clerk


def test_host_clerk_ending_a_secondment_lands_on_what_was_recorded_not_a_404(
    client, login, make_user, hire
):
    officer = hire(unit="BKO-CA01")
    host = second_to_ocs(officer)
    login(ocs_clerk(make_user, host))
    url = reverse("personnel:event_create", args=[officer.matricule, "position"])
    # The end of a secondment is decided by an act, like its start.
    response = client.post(
        url,
        {
            "effective_date": "2024-03-01",
            "status": "active",
            "act_kind": "note",
            "act_number": "2024-0301/OCS",
            "act_date": "2024-02-25",
        },
    )
    assert response.status_code == 200
    assert "ne fait plus partie de votre périmètre" in response.content.decode()
    assert response.context["event"].status == "active"
    officer.refresh_from_db()
    assert officer.host_unit_id is None
    # And the record is indeed out of reach now: the page above replaced a 404.
    assert (
        client.get(reverse("personnel:officer_profile", args=[officer.matricule])).status_code
        == 404
    )


def test_exit_asks_for_confirmation_with_its_consequences(client, login, clerk_and_officer):
    clerk, officer = clerk_and_officer
    login(clerk)
    url = reverse("personnel:event_create", args=[officer.matricule, "sortie"])
    signatory = Signatory.objects.filter(agency=officer.agency, is_active=True).first()
    data = {
        "effective_date": "2024-02-01",
        "status": "deceased",
        "act_kind": "decision",
        "act_number": "2024-0900/DGPN",
        "act_date": "2024-02-05",
        "act_signatory": signatory.pk,
    }
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200 and "carte professionnelle en cours est révoquée" in body
    officer.refresh_from_db()
    assert officer.in_service
    done = client.post(url, {**data, "confirme": "oui"})
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.status == "deceased"
    record = client.get(reverse("personnel:officer_career", args=[officer.matricule]))
    text = record.content.decode()
    assert "Agent décédé le 01/02/2024" in text
    offered = [label for _slug, label in record.context["event_slugs"]]
    assert offered == ["Distinction / décoration"]


def test_french_alphabetical_order_cisse_before_cissoko(hire, make_user):
    for family in ("Cissoko", "Cissé", "Sylla", "Sy", "Çissé"):
        hire(family_name=family, given_names="Awa", sex="F")
    viewer = make_user(Role.INSPECTOR)
    names = [o.family_name for o in officer_list(viewer=viewer, filters=OfficerFilters())]
    assert names.index("Cissé") < names.index("Cissoko")
    assert names.index("Sy") < names.index("Sylla")
    descending = officer_list(viewer=viewer, filters=OfficerFilters(sort="-name"))
    assert [o.family_name for o in descending][:1] == ["Sylla"]
    assert sort_key("Cissé", "Awa") < sort_key("Cissoko", "Awa")
