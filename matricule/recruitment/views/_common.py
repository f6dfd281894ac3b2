"""Helpers shared by the recruitment screens: who may see, and how errors are shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from matricule.accounts.models import User
from matricule.recruitment.models import Intake
from matricule.recruitment.selectors import (
    can_read,
    intake_get,
)

PAGE_SIZE = 50


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_read(user):
        raise PermissionDenied
    return user


def _intake(request: HttpRequest, pk: int, *, edit: bool = False) -> tuple[User, Intake]:
    viewer = _viewer(request)
    return viewer, intake_get(viewer=viewer, pk=pk, for_edit=edit or request.method == "POST")


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
