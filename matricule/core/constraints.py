"""Database constraints as the user reads them: a French message on the right field.

Every `CheckConstraint` and `UniqueConstraint` of the project carries a
`violation_error_message` (never Django's "La contrainte « … » n'est pas respectée"), and
each app says in `AppConfig.ready()` which form field that message belongs to:

    constraint_fields.update({"officer_entry_after_birth": "entry_date", …})

`model.full_clean()` raises most constraint messages without a field; the screens'
`core.forms.add_service_errors` calls `attach_to_fields` to put each one under its field
(a constraint mapped to "" stays at the top of the form, for a rule about several fields).
`web/tests/test_constraints.py` fails for a constraint without a message, a translation
or a field.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# Constraint name -> field name ("" for a rule that belongs to the whole form).
constraint_fields: dict[str, str] = {}


def _fields_by_message() -> dict[str, str]:
    """The current language's constraint messages and the field each belongs to."""
    mapping: dict[str, str] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            field = constraint_fields.get(constraint.name)
            if field:
                mapping[str(constraint.violation_error_message)] = field
    return mapping


def attach_to_fields(error: ValidationError) -> ValidationError:
    """The same error with each constraint message moved from the top onto its field."""
    if not hasattr(error, "error_dict"):
        messages = error.messages
        by_message = _fields_by_message()
        if not any(m in by_message for m in messages):
            return error
        grouped: dict[str, list[str]] = {}
        for message in messages:
            grouped.setdefault(by_message.get(message, NON_FIELD_ERRORS), []).append(message)
        return ValidationError(grouped)
    general = error.error_dict.get(NON_FIELD_ERRORS)
    if not general:
        return error
    by_message = _fields_by_message()
    result: dict[str, list[str]] = {
        field: [m for e in errors for m in e.messages]
        for field, errors in error.error_dict.items()
        if field != NON_FIELD_ERRORS
    }
    for item in general:
        for message in item.messages:
            result.setdefault(by_message.get(message, NON_FIELD_ERRORS), []).append(message)
    return ValidationError(result)
