"""Disciplinary proceedings on the career tab: who sees them, who opens and closes them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry
from matricule.personnel.models import DisciplinaryCase
from matricule.personnel.services.discipline import disciplinary_case_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(hire, make_user):
    return {
        "bamako": hire(unit="BKO-CA01", family_name="Traoré", given_names="Moussa"),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "clerk_gao": make_user(Role.HR_CLERK, "DR-GAO"),
        "inspector": make_user(Role.INSPECTOR),
        "supervisor": make_user(Role.SUPERVISOR, "BKO-CA01"),
        "officer": make_user(Role.OFFICER),
    }


def _open(officer, **over):
    values = {
        "opened_on": datetime.date(2025, 3, 3),
        "reference": "CD-2025-014",
        "subject": "Absence irrégulière",
        **over,
    }
    return disciplinary_case_open(officer=officer, by=None, **values)


@pytest.mark.parametrize(
    ("who", "sees", "opens"),
    [
        ("anonymous", None, 302),
        ("officer", None, 404),
        ("clerk_bamako", True, 200),
        ("clerk_gao", None, 404),
        ("inspector", True, 403),
        ("supervisor", False, 403),
    ],
)
def test_who_sees_and_who_opens_a_proceeding(client, login, cast, who, sees, opens):
    officer = cast["bamako"]
    case = _open(officer)
    if who != "anonymous":
        login(cast[who])
    career = client.get(reverse("personnel:officer_career", args=[officer.matricule]))
    if sees is not None:
        assert ("CD-2025-014" in career.content.decode()) is sees
    open_url = reverse("personnel:case_open", args=[officer.matricule])
    close_url = reverse("personnel:case_close", args=[officer.matricule, case.pk])
    assert client.get(open_url).status_code == opens
    posted = client.post(close_url, {"closed_on": "2025-04-01", "outcome": "Blâme"})
    assert posted.status_code == (302 if who == "clerk_bamako" else opens)
    case.refresh_from_db()
    assert (case.closed_on is not None) is (who == "clerk_bamako")


def test_a_clerk_opens_then_closes_a_proceeding(client, login, cast):
    officer = cast["bamako"]
    login(cast["clerk_bamako"])
    response = client.post(
        reverse("personnel:case_open", args=[officer.matricule]),
        {"opened_on": "2025-03-03", "reference": "CD-2025-020", "subject": "Manquement"},
    )
    assert response.status_code == 302
    case = DisciplinaryCase.objects.get(officer=officer)
    assert (case.reference, case.closed_on) == ("CD-2025-020", None)
    career = client.get(reverse("personnel:officer_career", args=[officer.matricule]))
    assert "en cours" in career.content.decode()
    # A closing date before the opening is refused in words, and nothing changes.
    refused = client.post(
        reverse("personnel:case_close", args=[officer.matricule, case.pk]),
        {"closed_on": "2025-02-01", "outcome": "Classement sans suite"},
    )
    assert refused.status_code == 200
    assert "précède l&#x27;ouverture (03/03/2025)" in refused.content.decode()
    case.refresh_from_db()
    assert case.closed_on is None
    closed = client.post(
        reverse("personnel:case_close", args=[officer.matricule, case.pk]),
        {"closed_on": "2025-05-02", "outcome": "Classement sans suite"},
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (datetime.date(2025, 5, 2), "Classement sans suite")
    assert list(
        AuditEntry.objects.filter(object_type="personnel.disciplinarycase")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["discipline.open", "discipline.close"]
    # A closed proceeding cannot be closed again.
    again = client.get(reverse("personnel:case_close", args=[officer.matricule, case.pk]))
    assert again.status_code == 404


def test_a_proceeding_cannot_open_in_the_future(client, login, cast):
    officer = cast["bamako"]
    login(cast["clerk_bamako"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("personnel:case_open", args=[officer.matricule]),
        {"opened_on": tomorrow.isoformat(), "reference": "CD-X", "subject": "Objet"},
    )
    assert response.status_code == 200
    assert "ne peut pas s&#x27;ouvrir dans le futur" in response.content.decode()
    assert not DisciplinaryCase.objects.exists()
