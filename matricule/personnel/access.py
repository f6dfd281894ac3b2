"""Recording who viewed which officer's record, and which classes of data they saw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from matricule.accounts.roles import Perm
from matricule.personnel.models import Channel, Officer, RecordAccess

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Which permission makes a sensitive class visible (and so worth naming in the log).
SENSITIVE = {
    "identity": Perm.SEE_IDENTITY,
    "health": Perm.SEE_HEALTH,
    "discipline": Perm.SEE_DISCIPLINE,
    "biometric": Perm.SEE_BIOMETRIC,
}


def shown_classes(base: str, perms: set[str]) -> list[str]:
    return [base, *[name for name, perm in SENSITIVE.items() if perm in perms]]


def record_access_log(
    *, viewer: User, officers: Iterable[Officer] | Iterable[int], channel: str, classes: list[str]
) -> int:
    """Log a view of records by someone else; an officer reading their own is not logged.

    Each row also names the officer's agency, so that the consultation screens find an
    inspector's rows by (agency, date) from one index, however many rows there are.
    """
    own = viewer.officer_id
    pairs: list[tuple[int, int | None]] = []
    ids: list[int] = []
    for o in officers:
        if isinstance(o, int):
            ids.append(o)
        else:
            pairs.append((o.pk, o.agency_id))
    if ids:
        pairs.extend(Officer.objects.filter(pk__in=ids).values_list("pk", "agency_id"))
    rows = [
        RecordAccess(
            officer_id=officer_id,
            agency_id=agency_id,
            viewer=viewer,
            channel=channel,
            classes=",".join(classes)[:120],
        )
        for officer_id, agency_id in pairs
        if officer_id != own
    ]
    RecordAccess.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def export_access_log(
    *, viewer: User, agency_id: int, officer_ids: list[int], channel: str, classes: list[str]
) -> RecordAccess | None:
    """Log an export as one row naming every officer it contained (not one row each)."""
    ids = [i for i in officer_ids if i != viewer.officer_id]
    if not ids:
        return None
    return RecordAccess.objects.create(
        officer=None,
        agency_id=agency_id,
        viewer=viewer,
        channel=channel,
        classes=",".join(classes)[:120],
        officer_count=len(ids),
        officer_ids="," + ",".join(map(str, ids)) + ",",
    )


def export_access_log_by_agency(
    *,
    viewer: User,
    officers: Iterable[tuple[int, int]],
    classes: list[str],
    channel: str = Channel.EXPORT,
) -> list[RecordAccess]:
    """One consultation row per agency for an export of (officer id, agency id) pairs."""
    by_agency: dict[int, list[int]] = {}
    for officer_id, agency_id in officers:
        by_agency.setdefault(agency_id, []).append(officer_id)
    rows = [
        export_access_log(
            viewer=viewer,
            agency_id=agency_id,
            officer_ids=ids,
            channel=channel,
            classes=classes,
        )
        for agency_id, ids in by_agency.items()
    ]
    return [row for row in rows if row is not None]


# Fields of the record that belong to a sensitive class (a correction of them shows them).
FIELD_CLASSES = {"nina": "identity", "blood_group": "health"}
