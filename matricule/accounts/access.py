"""Who is asking: the signed-in user, the permission they need, the agency they act for.

One refusal policy for every screen:
- not signed in: `login_required` sends the visitor to the login page;
- signed in without the permission anywhere: 403 (`require_perm`);
- an object outside the viewer's scope: 404, answered by the app's `<entity>_get` selector,
  so a stranger cannot even learn that it exists;
- an object in scope that the viewer may read but not change: 403 (`for_edit=True`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from matricule.accounts.models import User
from matricule.core.models import Agency


def signed_in(request: HttpRequest) -> User:
    """The request's user; views are wrapped in `login_required`, so this is a real account."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


def require_perm(request: HttpRequest, *perms: str) -> User:
    """The signed-in user if they hold one of `perms` somewhere; 403 otherwise."""
    user = signed_in(request)
    if not any(user.has_perm_anywhere(perm) for perm in perms):
        raise PermissionDenied
    return user


class AgencyChoiceNeeded(ValidationError):
    """The user acts for several agencies and did not say which one."""

    def __init__(self, agencies: list[Agency]) -> None:
        super().__init__(
            _(
                "Vous avez des droits dans plusieurs agences : choisissez celle pour "
                "laquelle vous agissez."
            ),
            code="agency_choice",
        )
        self.agencies = agencies


def acting_agencies(viewer: User, perm: str) -> list[Agency]:
    """Agencies where the viewer holds `perm`, in a stable order (short name)."""
    seen: dict[int, Agency] = {}
    for grant in viewer.grants_with(perm):
        seen.setdefault(grant.agency_id, grant.agency)
    return sorted(seen.values(), key=lambda a: (a.short_name, a.pk))


def acting_agency(viewer: User, perm: str, *, requested: str | int | None = None) -> Agency:
    """The one agency the viewer acts for with `perm`.

    With a single agency it is that one; with several, the caller must pass `requested`
    (a code or an id, e.g. from an `agency` field or parameter), never a silent first pick.
    Raises PermissionDenied when the viewer holds `perm` nowhere (or not in `requested`),
    and AgencyChoiceNeeded when the choice is ambiguous.
    """
    agencies = acting_agencies(viewer, perm)
    if not agencies:
        raise PermissionDenied
    if requested not in (None, ""):
        match = _match(agencies, requested)
        if match is None:
            raise PermissionDenied
        return match
    if len(agencies) > 1:
        raise AgencyChoiceNeeded(agencies)
    return agencies[0]


def agency_choice_page(request: HttpRequest, choice: AgencyChoiceNeeded) -> HttpResponse:
    """Ask which agency the user acts for; the page reloads itself with ?agency=CODE."""
    query = request.GET.copy()
    query.pop("agency", None)
    return render(
        request,
        "accounts/agency_choice.html",
        {"agencies": choice.agencies, "message": choice.messages[0], "query": query.items()},
    )


def _match(agencies: Iterable[Agency], requested: str | int | None) -> Agency | None:
    text = str(requested).strip()
    for agency in agencies:
        if text == str(agency.pk) or text.upper() == agency.code.upper():
            return agency
    return None
