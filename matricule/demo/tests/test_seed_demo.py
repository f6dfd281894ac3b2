from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from matricule.accounts.models import User
from matricule.personnel.models import Officer, Status

pytestmark = pytest.mark.django_db
TODAY = "2026-11-21"


def _names():
    return list(
        Officer.objects.order_by("matricule").values_list(
            "family_name", "given_names", "birth_date", "unit__code"
        )
    )


@pytest.mark.slow
def test_demo_force_is_realistic_and_deterministic(mali):
    call_command("seed_demo", officers=400, seed=7, today=TODAY, stdout=io.StringIO())
    first = _names()
    # The force asked for, plus the graduates of the demo recruitment intake.
    assert len(first) >= 400
    families = {f for f, *_ in first}
    assert families & {"Traoré", "Keïta", "Maïga", "Coulibaly"}
    women = Officer.objects.filter(sex="F").count()
    assert 0.05 * len(first) < women < 0.35 * len(first)
    regions = set(Officer.objects.values_list("unit__region__code", flat=True))
    assert len(regions) >= 10
    today = datetime.date.fromisoformat(TODAY)
    for officer in Officer.objects.select_related("corps"):
        if officer.agency.code == "PN":  # the OCS's members arrive later in their career
            assert 18 <= officer.age_on(officer.entry_date) <= 35
        if officer.status == Status.RETIRED:
            assert officer.exit_date is not None
        else:
            assert officer.age_on(today) < officer.corps.retirement_age or officer.exit_date
    # One user per role of SPEC §5.
    out, others = io.StringIO(), io.StringIO()
    call_command("demo_logins", stdout=out, stderr=others)
    roles = [line.split()[0] for line in out.getvalue().splitlines()]
    assert roles == [
        "officer",
        "supervisor",
        "hr_clerk",
        "hr_director",
        "recruitment_officer",
        "training_officer",
        "promotion_board",
        "operations_planner",
        "badge_officer",
        "inspector",
        "sysadmin",
    ]
    assert out.getvalue().splitlines()[2].split()[1] == "rh.bamako"
    # The other agencies' accounts come after, apart, so one line per role stays one.
    assert others.getvalue().splitlines()[1].split()[:2] == ["hr_clerk", "rh.ocs"]
    # The OCS: members of five other corps in its antennas (plus police officers seconded
    # there); the ministry's own staff.
    ocs = Officer.objects.filter(agency__code="OCS")
    origins = set(ocs.values_list("corps__agency__code", flat=True))
    assert origins == {"GEND", "GARDE", "DOUANES", "JUSTICE", "SANTE"}
    assert Officer.objects.filter(host_unit__agency__code="OCS").exists()
    assert ocs.filter(unit__code="OCS-AIB").exists()
    assert Officer.objects.filter(agency__code="MSPC").count() >= 10
    officer_login = out.getvalue().splitlines()[0].split()[1]
    assert User.objects.get(username=officer_login).officer.matricule == officer_login


@pytest.mark.slow
def test_the_same_seed_builds_the_same_force(mali):
    runs = []
    for _ in range(2):
        # Each run in a savepoint rolled back afterwards, so both start from the same state.
        with transaction.atomic():
            call_command("seed_demo", officers=150, seed=11, today=TODAY, stdout=io.StringIO())
            runs.append(_names())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert len(runs[0]) >= 150


def test_seed_demo_refuses_a_database_with_officers(make_officer):
    make_officer()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="déjà des agents"):
        call_command("seed_demo", officers=10, stdout=io.StringIO())
    call_command("seed_demo", officers=10, if_empty=True, stdout=io.StringIO())
    assert Officer.objects.count() == 1
