from __future__ import annotations

from typing import Any

import pytest

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import Role
from matricule.core.models import Agency


@pytest.fixture
def cast(make_user: Any) -> dict[str, Any]:
    """A recruitment officer and an inspector of the PN; a recruitment officer of the OCS."""
    outsider = make_user(None, username="recrutement.ocs")
    RoleGrant.objects.create(
        user=outsider, role=Role.RECRUITMENT_OFFICER, agency=Agency.objects.get(code="OCS")
    )
    return {
        "officer": make_user(Role.OFFICER, username="agent.simple"),
        "recruiter": make_user(Role.RECRUITMENT_OFFICER, username="recrutement.pn"),
        "inspector": make_user(Role.INSPECTOR, username="inspection.pn"),
        "outsider": outsider,
        "clerk": make_user(Role.HR_CLERK, username="rh.pn"),
    }
