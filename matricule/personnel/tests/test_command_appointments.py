"""Command appointments: heads and deputies of units as dated career events."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from matricule.core.models import Unit
from matricule.personnel.models import CommandRole, EventKind
from matricule.personnel.selectors import command_appointments, unit_heads_on
from matricule.personnel.services import Act, command_appoint, command_end
from matricule.personnel.tests.factories import officer_hire_for_test

pytestmark = pytest.mark.django_db

ACT = Act(kind="decision", number="2020-12/DGPN", date=datetime.date(2020, 1, 2))


@pytest.fixture
def unit(mali):
    return Unit.objects.get(agency=mali, code="BKO-CA01")


def test_the_head_of_a_unit_on_a_date_is_a_query(unit):
    first = officer_hire_for_test(family_name="Keita", grade="CNE")
    second = officer_hire_for_test(family_name="Diarra", grade="CNE")
    command_appoint(
        officer=first,
        unit=unit,
        role=CommandRole.HEAD,
        effective_date=datetime.date(2020, 1, 10),
        act=ACT,
        by=None,
    )
    command_appoint(
        officer=second,
        unit=unit,
        role=CommandRole.HEAD,
        effective_date=datetime.date(2023, 6, 1),
        act=ACT,
        by=None,
    )
    assert unit_heads_on(on=datetime.date(2019, 12, 31), unit_ids=[unit.pk]) == {}
    assert unit_heads_on(on=datetime.date(2022, 12, 31), unit_ids=[unit.pk]) == {unit.pk: first.pk}
    assert unit_heads_on(on=datetime.date(2024, 1, 1))[unit.pk] == second.pk
    assert [e.officer_id for e in command_appointments(unit=unit)] == [second.pk, first.pk]
    # The officer's timeline keeps the appointment as a career event with its act.
    event = first.events.get(kind=EventKind.COMMAND)
    assert event.act_number == ACT.number and event.command_role == CommandRole.HEAD


def test_an_ended_appointment_leaves_the_unit_without_head(unit):
    head = officer_hire_for_test(family_name="Keita", grade="CNE")
    event = command_appoint(
        officer=head,
        unit=unit,
        role=CommandRole.HEAD,
        effective_date=datetime.date(2020, 1, 10),
        act=ACT,
        by=None,
    )
    command_end(event=event, end_date=datetime.date(2021, 6, 30), by=None)
    assert unit_heads_on(on=datetime.date(2021, 6, 30), unit_ids=[unit.pk]) == {unit.pk: head.pk}
    assert unit_heads_on(on=datetime.date(2021, 7, 1), unit_ids=[unit.pk]) == {}


def test_a_deputy_is_not_the_head(unit):
    deputy = officer_hire_for_test(family_name="Sylla", grade="LTN")
    command_appoint(
        officer=deputy,
        unit=unit,
        role=CommandRole.DEPUTY,
        effective_date=datetime.date(2020, 1, 10),
        act=ACT,
        by=None,
    )
    on = datetime.date(2021, 1, 1)
    assert unit_heads_on(on=on, unit_ids=[unit.pk]) == {}
    assert unit_heads_on(on=on, unit_ids=[unit.pk], role=CommandRole.DEPUTY) == {unit.pk: deputy.pk}


def test_an_appointment_needs_its_act_and_a_unit_of_the_agency(unit, mali):
    head = officer_hire_for_test(family_name="Keita", grade="CNE")
    with pytest.raises(ValidationError) as caught:
        command_appoint(
            officer=head,
            unit=unit,
            role=CommandRole.HEAD,
            effective_date=datetime.date(2020, 1, 10),
            act=Act(),
            by=None,
        )
    assert "act_number" in caught.value.message_dict
    other = Unit.objects.exclude(agency=mali).first()
    with pytest.raises(ValidationError) as caught:
        command_appoint(
            officer=head,
            unit=other,
            role=CommandRole.HEAD,
            effective_date=datetime.date(2020, 1, 10),
            act=ACT,
            by=None,
        )
    assert "unit" in caught.value.message_dict
    assert not head.events.filter(kind=EventKind.COMMAND).exists()


def test_the_hr_director_records_a_command_on_screen_and_the_unit_shows_it(
    client, login, make_user, unit
):
    from django.urls import reverse

    from matricule.accounts.roles import Role

    head = officer_hire_for_test(family_name="Keita", grade="CNE")
    login(make_user(Role.HR_DIRECTOR))
    response = client.post(
        reverse("personnel:event_create", args=[head.matricule, "commandement"]),
        {
            "effective_date": "2024-02-01",
            "unit": unit.pk,
            "command_role": "head",
            "act_kind": "note",
            "act_number": "2024-77/DGPN",
            "act_date": "2024-01-20",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert unit_heads_on(on=datetime.date(2024, 3, 1), unit_ids=[unit.pk]) == {unit.pk: head.pk}
    career = client.get(reverse("personnel:officer_career", args=[head.matricule]))
    assert (
        "Chef d&#x27;unité" in career.content.decode() or "Chef d'unité" in career.content.decode()
    )
    page = client.get(reverse("web:reference_edit", args=["unites", unit.pk]))
    assert page.status_code == 200
    assert head.matricule in page.content.decode()
