"""Reports by agency and by corps of origin, with the OCS and the ministry on board."""

from __future__ import annotations

import datetime

import pytest

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import Role
from matricule.core.models import Agency, Unit
from matricule.personnel.models import EventKind
from matricule.personnel.services import Act, event_record
from matricule.personnel.tests.factories import ocs_member_for_test
from matricule.reports.selectors.headcount import headcount
from matricule.reports.selectors.people import SOURCES, ReportFilters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", SOURCES)
def test_headcount_by_agency_and_by_corps_of_origin(make_user, hire, source):
    hire(family_name="Traoré")
    seconded = hire(family_name="Keïta")
    event_record(
        officer=seconded,
        kind=EventKind.SECONDMENT,
        effective_date=datetime.date(2021, 3, 1),
        unit=Unit.objects.get(code="OCS-ANT-GAO"),
        act=Act(kind="arrete", number="2021-0301/DET", date=datetime.date(2021, 2, 20)),
        by=None,
    )
    for origin, name in (("DOUANES", "Diarra"), ("DOUANES", "Sanogo"), ("GEND", "Touré")):
        ocs_member_for_test(origin=origin, family_name=name)
    viewer = make_user(Role.HR_DIRECTOR)
    RoleGrant.objects.create(
        user=viewer, role=Role.HR_DIRECTOR, agency=Agency.objects.get(code="OCS")
    )

    def counts(key, count_at="home"):
        result = headcount(
            viewer=viewer,
            filters=ReportFilters(count_at=count_at),
            group_by=[key],
            source=source,
        )
        return {i.keys[key].code: i.count for i in result.items}

    assert counts("agency") == {"PN": 2, "OCS": 3}
    assert counts("origin") == {"PN": 2, "DOUANES": 2, "GEND": 1}
    # Counted where they serve, the police officer seconded to Gao is the OCS's.
    assert counts("agency", count_at="host") == {"PN": 1, "OCS": 4}
