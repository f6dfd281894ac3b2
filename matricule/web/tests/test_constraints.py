"""Every database constraint speaks French, has an English translation and names its field."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from matricule.core.constraints import attach_to_fields, constraint_fields

CONSTRAINTS = [
    (model, constraint)
    for model in apps.get_models()
    if model.__module__.startswith("matricule.")
    for constraint in model._meta.constraints
]


def _id(item):
    return item[1].name


@pytest.mark.parametrize("item", CONSTRAINTS, ids=[_id(i) for i in CONSTRAINTS])
def test_every_constraint_has_its_own_french_and_english_message(item):
    _model, constraint = item
    with translation.override("fr"):
        french = str(constraint.violation_error_message)
        default = str(constraint.default_violation_error_message)
    with translation.override("en"):
        english = str(constraint.violation_error_message)
    assert french != default, f"{constraint.name} : message par défaut de Django"
    assert "contrainte" not in french.lower()
    assert english != french, f"{constraint.name} : pas de traduction anglaise"


@pytest.mark.parametrize("item", CONSTRAINTS, ids=[_id(i) for i in CONSTRAINTS])
def test_every_constraint_message_lands_on_a_field_of_its_model(item):
    model, constraint = item
    assert constraint.name in constraint_fields, f"{constraint.name} : champ non déclaré"
    field = constraint_fields[constraint.name]
    if field:
        model._meta.get_field(field)  # raises if the field does not exist
    with translation.override("fr"):
        message = str(constraint.violation_error_message)
        error = attach_to_fields(ValidationError({NON_FIELD_ERRORS: [message]}))
    assert error.message_dict == {field or NON_FIELD_ERRORS: [message]}


@pytest.mark.django_db
def test_a_real_violation_reads_in_french_on_its_field(make_officer):
    import datetime

    officer = make_officer()
    officer.entry_date = officer.birth_date - datetime.timedelta(days=1)
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        officer.full_clean()
    error = attach_to_fields(caught.value)
    assert error.message_dict["entry_date"] == [
        "La date d'entrée en service doit suivre la date de naissance."
    ]


@pytest.mark.django_db
def test_a_second_identical_grant_is_refused_in_french_on_the_unit(make_user, mali):
    from matricule.accounts.models import RoleGrant
    from matricule.core.models import Unit

    user = make_user("hr_clerk", "DR-BKO")
    again = RoleGrant(user=user, role="hr_clerk", agency=mali, unit=Unit.objects.get(code="DR-BKO"))
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        again.full_clean()
    assert attach_to_fields(caught.value).message_dict["unit"] == [
        "Ce compte a déjà ce rôle sur cette unité."
    ]
