"""What every promotions screen needs: who is asking, and the campaign in their scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from matricule.accounts.access import signed_in
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.promotions.selectors.access import READ_PERMS


def reader(request: HttpRequest) -> User:
    """HR director, inspector or board member; 403 for anyone else."""
    user = signed_in(request)
    if not any(user.has_perm_anywhere(p) for p in READ_PERMS):
        raise PermissionDenied
    return user


def manager(request: HttpRequest) -> User:
    user = signed_in(request)
    if not user.has_perm_anywhere(Perm.REFERENCE_MANAGE):
        raise PermissionDenied
    return user
