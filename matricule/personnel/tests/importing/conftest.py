from __future__ import annotations

import pytest

from matricule.accounts.roles import Role


@pytest.fixture
def clerk(make_user):
    return make_user(Role.HR_CLERK)
