"""Who may use the recruitment screens, shared by every view module of the app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from matricule.accounts.access import signed_in
from matricule.accounts.models import User
from matricule.recruitment.models import Intake
from matricule.recruitment.selectors import (
    can_read,
    intake_get,
)

PAGE_SIZE = 50


def recruitment_viewer(request: HttpRequest) -> User:
    """Recruitment officers of an agency and those who may read intakes (inspectors)."""
    user = signed_in(request)
    if not can_read(user):
        raise PermissionDenied
    return user


def intake_for(request: HttpRequest, pk: int, *, edit: bool = False) -> tuple[User, Intake]:
    viewer = recruitment_viewer(request)
    return viewer, intake_get(viewer=viewer, pk=pk, for_edit=edit or request.method == "POST")
