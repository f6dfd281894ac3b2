"""The technicians' admin (/technique/) is read-only for everyone, superusers included."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from matricule.accounts.models import RoleGrant, User
from matricule.core.admin import ReadOnlyMixin
from matricule.core.models import AuditEntry, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def technician(client, mali):
    user = User.objects.create_superuser(username="technicien", password="mot-de-passe-test")
    client.force_login(user)
    return user


def test_every_registered_admin_is_read_only():
    writable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ReadOnlyMixin)
    ]
    assert writable == []


def test_the_admin_cannot_create_a_unit(client, technician, mali):
    parent = Unit.objects.get(agency=mali, code="DR-BKO")
    count = Unit.objects.count()
    response = client.post(
        reverse("admin:core_unit_add"),
        {"agency": mali.pk, "parent": parent.pk, "code": "NOUV", "name": "Nouvelle unité"},
    )
    assert response.status_code == 403
    assert Unit.objects.count() == count
    assert not Unit.objects.filter(path="").exists()


def test_the_admin_cannot_change_or_delete_a_grant(client, technician, make_user):
    clerk = make_user("hr_clerk", "DR-BKO")
    grant = RoleGrant.objects.get(user=clerk)
    audit_before = AuditEntry.objects.count()
    change = client.post(reverse("admin:accounts_user_change", args=[clerk.pk]), {})
    delete = client.post(reverse("admin:accounts_user_delete", args=[clerk.pk]), {"post": "yes"})
    assert change.status_code == 403 and delete.status_code == 403
    grant.refresh_from_db()
    assert grant.role == "hr_clerk" and grant.unit.code == "DR-BKO"
    assert AuditEntry.objects.count() == audit_before


def test_the_admin_still_shows_units(client, technician):
    assert client.get(reverse("admin:core_unit_changelist")).status_code == 200
