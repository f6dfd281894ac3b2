"""Placing an officer in a unit needs rights over that unit, not only over the officer."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import Role
from matricule.core.models import Agency, Unit
from matricule.personnel.models import CareerEvent, EventKind
from matricule.personnel.services import Act, event_record

pytestmark = pytest.mark.django_db
D = datetime.date
ACT = Act(kind="decision", number="2020-0042/DGPN", date=D(2020, 1, 2))


@pytest.fixture
def cast(hire, make_user):
    return {
        "officer": hire(unit="BKO-CA01", family_name="Traoré", given_names="Moussa"),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "director": make_user(Role.HR_DIRECTOR),
    }


def _post(officer, unit_code, by, kind=EventKind.POSTING, agency="PN"):
    return event_record(
        officer=officer,
        kind=kind,
        effective_date=D(2020, 3, 1),
        unit=Unit.objects.get(agency__code=agency, code=unit_code),
        act=ACT,
        by=by,
    )


def test_a_clerk_cannot_post_an_officer_outside_their_scope(cast):
    officer = cast["officer"]
    with pytest.raises(ValidationError) as refused:
        _post(officer, "GAO-CC", cast["clerk_bamako"])
    assert "hors de votre périmètre" in refused.value.message_dict["unit"][0]
    assert "directeur des ressources humaines" in refused.value.message_dict["unit"][0]
    assert officer.events.count() == 1
    _post(officer, "BKO-CA02", cast["clerk_bamako"])  # inside the scope: fine
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA02"


def test_a_transfer_between_regions_is_the_directors(cast):
    _post(cast["officer"], "GAO-CC", cast["director"])
    cast["officer"].refresh_from_db()
    assert cast["officer"].unit.code == "GAO-CC"


def test_a_secondment_needs_rights_over_the_host_unit(cast):
    officer = cast["officer"]
    host = Unit.objects.exclude(agency__code="PN").filter(is_active=True).order_by("path")[0]
    with pytest.raises(ValidationError) as refused:
        _post(officer, host.code, cast["director"], EventKind.SECONDMENT, host.agency.code)
    assert "unité d'accueil" in refused.value.message_dict["unit"][0]
    RoleGrant.objects.create(user=cast["director"], role=Role.HR_CLERK, agency=host.agency)
    del cast["director"].active_grants  # the grants are read once per request
    _post(officer, host.code, cast["director"], EventKind.SECONDMENT, host.agency.code)
    officer.refresh_from_db()
    assert officer.host_unit == host


def test_a_correction_that_keeps_the_unit_is_not_a_new_placement(cast, make_user):
    officer = cast["officer"]
    posting = _post(officer, "GAO-CC", cast["director"])
    # The officer is now in Gao: a Gao clerk may correct the act of that posting.
    gao_clerk = make_user(Role.HR_CLERK, "DR-GAO")
    event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=posting.effective_date,
        unit=posting.unit,
        act=Act(kind="decision", number="2020-0043/DGPN", date=D(2020, 1, 2)),
        by=gao_clerk,
        supersedes=posting,
    )
    assert CareerEvent.objects.get(officer=officer, is_superseded=False, kind="posting").act_number


def test_the_posting_form_offers_only_units_in_scope_and_says_why(client, login, cast):
    officer = cast["officer"]
    login(cast["clerk_bamako"])
    url = reverse("personnel:event_create", args=[officer.matricule, "affectation"])
    page = client.get(url)
    choices = {u.code for u in page.context["form"].fields["unit"].queryset}
    assert "BKO-CA02" in choices and "GAO-CC" not in choices
    assert all(code.startswith(("DR-BKO", "BKO")) for code in choices)
    assert "directeur des ressources humaines" in page.content.decode()
    gao = Unit.objects.get(agency=Agency.objects.get(code="PN"), code="GAO-CC")
    refused = client.post(
        url,
        {
            "effective_date": "2020-03-01",
            "unit": gao.pk,
            "act_kind": "decision",
            "act_number": "2020-1/DGPN",
            "act_date": "2020-02-01",
        },
    )
    assert refused.status_code == 200 and refused.context["form"].errors["unit"]
    assert officer.events.count() == 1
