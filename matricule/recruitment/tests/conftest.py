from __future__ import annotations

from typing import Any

import pytest

from matricule.recruitment.tests.factories import recruitment_cast_for_test


@pytest.fixture
def cast(make_user: Any) -> dict[str, Any]:
    """A recruitment officer and an inspector of the PN; a recruitment officer of the OCS."""
    return recruitment_cast_for_test(make_user)
