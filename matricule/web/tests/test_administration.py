"""The system administrator's screens: role matrix, audited writes, no personnel data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matricule.accounts.models import ApiToken, RoleGrant, User
from matricule.accounts.roles import Role
from matricule.accounts.services import token_issue
from matricule.core.models import AuditEntry, Unit

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "web:admin_index",
    "web:admin_users",
    "web:admin_user_create",
    "web:admin_unit_access",
    "web:admin_tokens",
    "web:admin_keys",
    "web:admin_backups",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), (Role.OFFICER, 403), (Role.HR_CLERK, 403), (Role.SYSADMIN, 200)],
)
def test_administration_role_matrix(client, make_user, login, page, who, expected):
    if who != "anonymous":
        login(make_user(who))
    assert client.get(reverse(page)).status_code == expected


def test_sysadmin_without_second_factor_is_sent_to_it(client, make_user):
    client.force_login(make_user(Role.SYSADMIN))
    response = client.get(reverse("web:admin_users"))
    assert response.status_code == 302
    assert reverse("accounts:otp_verify") in response["Location"]


def test_sysadmin_creates_a_user_with_a_one_time_password(client, make_user, login):
    admin = make_user(Role.SYSADMIN, username="admin")
    login(admin)
    response = client.post(
        reverse("web:admin_user_create"),
        {"username": "a.keita", "last_name": "Keïta", "reason": "Nouvelle gestionnaire RH"},
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="a.keita")
    assert user.must_change_password and user.check_password(password)
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.actor_id == admin.pk and entry.after["reason"] == "Nouvelle gestionnaire RH"
    assert response["Cache-Control"] == "no-store"


def test_a_taken_username_is_refused_in_french(client, make_user, login):
    make_user(username="a.keita")
    login(make_user(Role.SYSADMIN))
    response = client.post(
        reverse("web:admin_user_create"), {"username": "A.Keita", "reason": "un motif"}
    )
    assert "Cet identifiant est déjà pris." in response.content.decode()
    assert User.objects.filter(username__iexact="a.keita").count() == 1


def test_grant_change_and_revoke_each_leave_an_audit_row_with_the_reason(
    client, make_user, login, mali
):
    login(make_user(Role.SYSADMIN))
    clerk = make_user(username="clerk")
    response = client.post(
        reverse("web:admin_grant_create", args=[clerk.pk]),
        {
            "g-role": Role.HR_CLERK,
            "g-agency": mali.pk,
            "g-unit": Unit.objects.get(code="DR-BKO").pk,
            "g-reason": "Affectée au bureau RH de Bamako",
        },
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=clerk)
    assert grant.unit.code == "DR-BKO"
    client.post(
        reverse("web:admin_grant_change", args=[grant.pk]),
        {"unit": Unit.objects.get(code="BKO-CA01").pk, "reason": "Limité au 1er arrondissement"},
    )
    grant.refresh_from_db()
    assert grant.unit.code == "BKO-CA01"
    # The revoke page asks first: a GET changes nothing.
    page = client.get(reverse("web:admin_grant_revoke", args=[grant.pk]))
    assert page.status_code == 200 and RoleGrant.objects.filter(pk=grant.pk).exists()
    client.post(
        reverse("web:admin_grant_revoke", args=[grant.pk]),
        {"confirme": "oui", "reason": "Départ du service"},
    )
    assert not RoleGrant.objects.filter(user=clerk).exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="role.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["role.grant", "role.change", "role.revoke"]
    reasons = [e.after["reason"] for e in AuditEntry.objects.filter(action__startswith="role.")]
    assert "" not in reasons


def test_a_revoke_without_reason_changes_nothing(client, make_user, login):
    login(make_user(Role.SYSADMIN))
    clerk = make_user(Role.HR_CLERK, "DR-BKO")
    grant = clerk.role_grants.get()
    response = client.post(
        reverse("web:admin_grant_revoke", args=[grant.pk]), {"confirme": "oui", "reason": ""}
    )
    assert response.status_code == 200
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_disable_reset_password_and_unlock(client, make_user, login, settings):
    from axes.models import AccessAttempt

    login(make_user(Role.SYSADMIN))
    user = make_user(Role.HR_CLERK, "DR-BKO", username="locked")
    AccessAttempt.objects.create(
        username="locked",
        ip_address="127.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    page = client.get(reverse("web:admin_user", args=[user.pk]))
    assert page.context["locked"] is True
    client.post(
        reverse("web:admin_user_action", args=[user.pk, "debloquer"]),
        {"confirme": "oui", "reason": "Appel de l'intéressée"},
    )
    assert not AccessAttempt.objects.filter(username="locked").exists()
    sheet = client.post(
        reverse("web:admin_user_action", args=[user.pk, "mot-de-passe"]),
        {"confirme": "oui", "reason": "Mot de passe oublié"},
    )
    user.refresh_from_db()
    assert user.check_password(sheet.context["password"]) and user.must_change_password
    client.post(
        reverse("web:admin_user_action", args=[user.pk, "desactiver"]),
        {"confirme": "oui", "reason": "Départ à la retraite"},
    )
    user.refresh_from_db()
    assert not user.is_active
    assert set(
        AuditEntry.objects.filter(action__startswith="account.").values_list("action", flat=True)
    ) == {"account.unlock", "account.password_reset", "account.disable"}


def test_token_revoke_asks_then_revokes(client, make_user, login):
    login(make_user(Role.SYSADMIN))
    owner = make_user(username="script")
    raw = token_issue(user=owner, name="export nuit", by=None)
    token = ApiToken.objects.get(prefix=raw[:8])
    listed = client.get(reverse("web:admin_tokens"), {"prefixe": raw[:4]})
    assert token in list(listed.context["page"])
    client.get(reverse("web:admin_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(
        reverse("web:admin_token_revoke", args=[token.pk]),
        {"confirme": "oui", "reason": "Script arrêté"},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_key_rotation_from_the_screen(client, make_user, login, settings, tmp_path):
    from matricule.cards.keys import clear_key_caches, public_keys

    settings.MATRICULE_CARD_KEY_DIR = tmp_path
    clear_key_caches()
    login(make_user(Role.SYSADMIN))
    client.post(reverse("web:admin_key_rotate"), {"confirme": "oui", "reason": "Rotation annuelle"})
    keys = public_keys()
    assert len(keys) == 1 and keys[0].retired_at is None
    body = client.get(reverse("web:admin_keys")).content.decode()
    assert keys[0].kid in body and "présente" in body
    assert AuditEntry.objects.get(action="card_key.rotate").after["reason"] == "Rotation annuelle"


def test_backups_list_shows_size_and_checksum_and_start_queues_one(
    client, make_user, login, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    import hashlib

    from matricule.core.backup import BackupInfo
    from matricule.web import tasks

    # The archive itself is core.backup's (tested there, on both databases, in a subprocess:
    # SQLite cannot copy itself from inside the test's open transaction).
    def fake_backup(target):
        target.write_bytes(b"new archive")
        return BackupInfo(target, "sqlite", target.stat().st_size, "", 0, 0, 0, False)

    monkeypatch.setattr(tasks, "backup_create", fake_backup)
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    settings.MATRICULE_BACKUP_DIR = folder
    (folder / "ancienne.tar.gz").write_bytes(b"archive")
    login(make_user(Role.SYSADMIN))
    body = client.get(reverse("web:admin_backups")).content.decode()
    assert hashlib.sha256(b"archive").hexdigest() in body
    assert "manage.py restore" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("web:admin_backup_start"), {"confirme": "oui", "reason": "Avant mise à jour"}
        )
    archives = sorted(p.name for p in folder.iterdir())
    assert len(archives) == 2
    assert AuditEntry.objects.filter(action="backup.done").exists()


def test_sysadmin_pages_show_no_personnel_data(client, make_user, make_officer, login):
    officer = make_officer(unit="BKO-CA01", family_name="Sangaré")
    login(make_user(Role.SYSADMIN))
    for page in ADMIN_PAGES:
        assert "Sangaré" not in client.get(reverse(page)).content.decode()
    assert client.get(reverse("personnel:officer_list")).status_code == 403
    assert client.get(
        reverse("personnel:officer_profile", args=[officer.matricule])
    ).status_code in (
        403,
        404,
    )


def test_who_can_see_a_unit_lists_the_grants_covering_it(client, make_user, login):
    login(make_user(Role.SYSADMIN))
    make_user(Role.HR_CLERK, "DR-BKO", username="bamako")
    make_user(Role.INSPECTOR, username="national")
    make_user(Role.HR_CLERK, "DR-GAO", username="gao")
    unit = Unit.objects.get(code="BKO-CA01")
    grants = client.get(reverse("web:admin_unit_access"), {"unit": unit.pk}).context["grants"]
    assert {g.user.username for g in grants} >= {"bamako", "national"}
    assert "gao" not in {g.user.username for g in grants}


def test_navigation_offers_administration_and_officer_accounts(client, make_user, login):
    login(make_user(Role.SYSADMIN))
    labels = [i["label"] for i in client.get(reverse("web:home")).context["nav_items"]]
    assert "Administration" in labels and "Agents" not in labels
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    urls = [i["url"] for i in client.get(reverse("web:home")).context["nav_items"]]
    assert reverse("officer_accounts") in urls
