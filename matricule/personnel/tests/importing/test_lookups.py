"""An import finds the officers a file names through the matricule's own index."""

from __future__ import annotations

import pytest
from django.db import connection

from matricule.personnel.importing.planning import LOOKUP_CHUNK, matricules_lookup
from matricule.personnel.models import Officer

pytestmark = pytest.mark.django_db


def test_matricules_are_looked_up_through_their_index(hire):
    officers = [hire() for _ in range(3)]
    # A whole chunk, as the import asks: the planner's choice depends on the list's length.
    chunk = [o.matricule for o in officers] + [f"X{n}" for n in range(LOOKUP_CHUNK - 3)]
    found = matricules_lookup(chunk)
    assert sorted(found) == sorted((o.matricule, o.pk, o.agency_id) for o in officers)
    if connection.vendor != "sqlite":
        return  # PostgreSQL's planner reads its statistics; SQLite here has none
    plan = found.explain()
    # Not the agency's whole index (what filtering on the agency too made SQLite choose).
    assert "(matricule=?)" in plan, plan
    with_agency = Officer.objects.filter(
        agency_id=officers[0].agency_id, matricule__in=chunk
    ).values_list("matricule", "id")
    assert "(matricule=?)" not in with_agency.explain()
