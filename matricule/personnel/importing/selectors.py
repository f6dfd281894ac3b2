"""Who may import, into which units, which imports they see, and saved value maps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from matricule.accounts.roles import ROLE_PERMISSIONS, Perm
from matricule.core.models import Agency
from matricule.personnel.models import ImportJob, ImportValueMap, Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User
    from matricule.personnel.importing.values import ValueMap


def import_access(*, viewer: User) -> Agency:
    """The agency the viewer imports into: that of their first grant allowing imports."""
    grants = viewer.grants_with(Perm.PERSONNEL_IMPORT) if viewer.is_authenticated else []
    if not grants:
        raise PermissionDenied
    return grants[0].agency


def import_reader(*, viewer: User) -> None:
    """May the viewer open the import screens at all (to read the reports they may see)?"""
    if not viewer.is_authenticated:
        raise PermissionDenied
    if viewer.is_superuser or viewer.grants_with(Perm.PERSONNEL_IMPORT):
        return
    raise PermissionDenied


def import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """The imports the viewer may read, newest first.

    Everyone reads the imports they started themselves (a superuser's from the command
    line included). Reports quote the rows they read (names, NINA): a clerk or director
    whose grant covers a whole agency also reads that agency's imports; one whose grant
    covers part of it only their own.
    """
    import_reader(viewer=viewer)
    visible = Q(created_by=viewer)
    for grant in viewer.grants_with(Perm.PERSONNEL_IMPORT):
        if grant.unit is None:
            visible |= Q(agency_id=grant.agency_id)
    return (
        ImportJob.objects.filter(visible)
        .select_related("created_by", "agency")
        .defer("report", "values")
        .order_by("-created_at", "-id")
    )


def import_job_get(*, viewer: User, pk: int) -> ImportJob:
    """One import the viewer may see (404 for any other, as for one that does not exist)."""
    job = (
        import_jobs(viewer=viewer).defer(None).select_related("created_by", "agency").filter(pk=pk)
    ).first()
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


def value_maps_saved(*, agency: Agency, source: str) -> ValueMap:
    """The value map saved for a source by earlier imports (field → folded value → code)."""
    saved: ValueMap = {}
    for name, key, code in ImportValueMap.objects.filter(agency=agency, source=source).values_list(
        "field", "key", "code"
    ):
        saved.setdefault(name, {})[key] = code
    return saved


def value_map_rows(*, agency: Agency, source: str) -> list[tuple[str, str, str]]:
    """The saved value map as (field, value, code) rows, for the downloadable file."""
    return list(
        ImportValueMap.objects.filter(agency=agency, source=source)
        .order_by("field", "key")
        .values_list("field", "value", "code")
    )


def import_created_officers(*, job: ImportJob) -> QuerySet[Officer]:
    """The records an import created (the report links to them)."""
    return (
        Officer.objects.filter(import_job=job)
        .select_related("grade", "unit")
        .only(
            "matricule",
            "family_name",
            "given_names",
            "grade__name",
            "unit__name",
            "status",
        )
        .order_by("id")
    )
