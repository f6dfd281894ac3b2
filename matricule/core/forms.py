"""Form helpers shared by every app's screens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from matricule.core.constraints import attach_to_fields


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    default_field: str | None = None,
    field_map: dict[str, str] | None = None,
) -> None:
    """Show a service's ValidationError on the form: by field where the field is on the form,
    otherwise at the top (or on `default_field` for a message without a field).

    `field_map` renames the service's field names to the form's (e.g. "files" → "scans").
    A database constraint's message goes onto the field it speaks about (core.constraints).
    """
    error = attach_to_fields(error)
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = (field_map or {}).get(field, field)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(default_field if default_field in form.fields else None, error.messages)


def flash_service_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's refusal as messages, for actions that have no form (a button)."""
    for message in error.messages:
        messages.error(request, message)
