"""Names are names: civil-status spellings pass, formulas and markup do not."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.validators import person_name

NAMES = ["Maïga", "N'Diaye", "N’Diaye", "Ag Mohamed", "Ould Sidi", "Touré dit Papa", "Sidi-Mohamed"]
NOT_NAMES = [
    '=HYPERLINK("http://x","Clic")',
    "+22376000000",
    "-1+1",
    "@SUM(A1)",
    "\tTraoré",
    "Traoré2",
    "Maïga<script>",
    "'Diarra",
]


@pytest.mark.parametrize("name", NAMES)
def test_civil_status_names_pass(name):
    person_name(name)


@pytest.mark.parametrize("name", NOT_NAMES)
def test_formulas_and_markup_are_not_names(name):
    with pytest.raises(ValidationError):
        person_name(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NOT_NAMES[:2])
def test_every_way_in_refuses_a_formula_name(client, login, hire, make_user, name):
    from matricule.core.tests.pdf import tiny_pdf
    from matricule.corrections.services import Upload, correction_file
    from matricule.personnel.models import Officer
    from matricule.recruitment.services.candidates import candidate_create
    from matricule.recruitment.tests.factories import intake_for_test

    with pytest.raises(ValidationError) as refused:
        hire(family_name=name)
    assert "family_name" in refused.value.message_dict
    officer = hire(family_name="Traoré")
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    form = client.get(reverse("personnel:officer_edit", args=[officer.matricule])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    response = client.post(
        reverse("personnel:officer_edit", args=[officer.matricule]),
        {**data, "family_name": name, "birth_date": "1985-03-14"},
    )
    assert response.status_code == 200
    assert "family_name" in response.context["form"].errors
    account = make_user(username=officer.matricule, officer=officer)
    with pytest.raises(ValidationError) as refused:
        correction_file(
            officer=officer,
            by=account,
            field_name="family_name",
            proposed={"value": name},
            justification="Erreur de saisie sur le nom",
            uploads=[Upload(name="acte.pdf", data=tiny_pdf())],
        )
    assert "proposed" in refused.value.message_dict
    intake = intake_for_test()
    with pytest.raises(ValidationError) as refused:
        candidate_create(
            intake=intake,
            data={
                "application_number": "09999",
                "family_name": name,
                "given_names": "Awa",
                "sex": "F",
                "birth_date": datetime.date(2003, 5, 17),
                "nina": "00000000099999K",
                "centre": intake.centres.first(),
            },
            by=None,
        )
    assert "family_name" in refused.value.message_dict
    assert Officer.objects.get(pk=officer.pk).family_name == "Traoré"
