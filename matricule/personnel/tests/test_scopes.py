from __future__ import annotations

import pytest

from matricule.accounts.roles import Perm, Role
from matricule.accounts.scopes import officer_scope_q
from matricule.personnel.models import Officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user, make_officer):
    """An officer in Bamako, one in Gao, and clerks on each side."""
    return {
        "bamako_officer": make_officer(unit="BKO-CA01", family_name="Keïta"),
        "gao_officer": make_officer(unit="GAO-CC", family_name="Maïga"),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "clerk_gao": make_user(Role.HR_CLERK, "DR-GAO"),
        "director": make_user(Role.HR_DIRECTOR),
        "sysadmin": make_user(Role.SYSADMIN),
    }


def _visible(user):
    return set(
        Officer.objects.filter(officer_scope_q(user, Perm.PERSONNEL_VIEW)).values_list(
            "family_name", flat=True
        )
    )


def test_clerk_sees_only_their_subtree(cast):
    assert _visible(cast["clerk_bamako"]) >= {"Keïta"}
    assert "Maïga" not in _visible(cast["clerk_bamako"])
    assert "Keïta" not in _visible(cast["clerk_gao"])


def test_director_sees_the_whole_agency(cast):
    assert {"Keïta", "Maïga"} <= _visible(cast["director"])


def test_sysadmin_sees_no_personnel_data(cast):
    assert _visible(cast["sysadmin"]) == set()


def test_scope_is_in_the_query_not_in_python(cast, django_assert_num_queries):
    user = cast["clerk_bamako"]
    user.active_grants  # noqa: B018 -- load grants first
    from matricule.core.refcache import refdata

    refdata()  # and the cached unit tree
    with django_assert_num_queries(1):
        list(Officer.objects.filter(officer_scope_q(user, Perm.PERSONNEL_VIEW)))
