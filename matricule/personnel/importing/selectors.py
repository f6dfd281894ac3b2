"""Who may import, into which units, and which imports they see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from matricule.accounts.roles import ROLE_PERMISSIONS, Perm
from matricule.core.models import Agency
from matricule.personnel.models import ImportJob

if TYPE_CHECKING:
    from matricule.accounts.models import User


def import_access(*, viewer: User) -> Agency:
    """The agency the viewer imports into: that of their first grant allowing imports."""
    grants = viewer.grants_with(Perm.PERSONNEL_IMPORT) if viewer.is_authenticated else []
    if not grants:
        raise PermissionDenied
    return grants[0].agency


def import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """The imports of the viewer's agency, newest first.

    Reports quote the rows they read (names, NINA): a clerk whose grant covers only
    part of the agency sees the imports they ran, not those of the whole agency.
    """
    agency = import_access(viewer=viewer)
    jobs = ImportJob.objects.filter(agency=agency)
    if import_scope(by=viewer, agency=agency) is not None:
        jobs = jobs.filter(created_by=viewer)
    return jobs.select_related("created_by").order_by("-created_at", "-id")


def import_job_get(*, viewer: User, pk: int) -> ImportJob:
    """One import the viewer may see (404 for any other, as for one that does not exist)."""
    job = import_jobs(viewer=viewer).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_scope(*, by: User | None, agency: Agency) -> list[str] | None:
    """Unit paths the importer may write in (None: the whole agency).

    A clerk whose grant covers a unit subtree imports into that subtree only. The
    command line, run by an operator without a grant (a superuser), covers the agency.
    """
    if by is None:
        return None
    grants = [g for g in by.grants_with(Perm.PERSONNEL_IMPORT) if g.agency_id == agency.pk]
    if not grants:
        return None if by.is_superuser else []
    if any(g.unit is None for g in grants):
        return None
    return [g.unit.path for g in grants if g.unit is not None]


def import_roles() -> list[str]:
    """Roles that carry the import permission (for the command's default author)."""
    return [role for role, perms in ROLE_PERMISSIONS.items() if Perm.PERSONNEL_IMPORT in perms]
