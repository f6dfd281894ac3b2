"""Two clerks opening the accounts of the same unit at once: one sheet, no 500."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from matricule.accounts.models import User
from matricule.accounts.roles import Role
from matricule.core.models import Unit
from matricule.core.tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_clerks_opening_accounts_at_once_create_each_account_once(
    make_user, client_for, hire, monkeypatch
):
    officers = [
        hire(unit="BKO-CA01", family_name=f"Coulibaly {name}") for name in ("Awa", "Binta", "Kadi")
    ]
    clerks = [
        client_for(make_user(Role.HR_CLERK, "DR-BKO", username=f"rh.bamako.{n}")) for n in (1, 2)
    ]
    unit = Unit.objects.get(code="BKO-CA01")
    original = User.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.1)  # hold the first clerk's transaction open while the second arrives
        return original(self, *args, **kwargs)

    monkeypatch.setattr(User, "save", slow_save)
    url = reverse("officer_accounts")
    results = run_together(
        *[lambda c=c: c.post(url, {"unit": unit.pk}, follow=True) for c in clerks]
    )
    assert not any(isinstance(r, BaseException) for r in results), results
    kinds = sorted(r["Content-Type"].split(";")[0] for r in results)
    # One clerk gets the password sheet; the other is told everyone already has an account.
    assert kinds == ["application/pdf", "text/html"]
    refused = next(r for r in results if r["Content-Type"].startswith("text/html"))
    assert "ont déjà un compte" in refused.content.decode()
    assert User.objects.filter(username__in=[o.matricule for o in officers]).count() == 3
