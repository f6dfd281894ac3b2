"""Make the accounts `make loadtest` signs in with, and write them to a JSON file.

    python manage.py loadtest_accounts --users 50 --output var/loadtest/accounts.json

For a load-test database only (its name must contain "loadtest"). Officers, HR clerks
of Bamako and unit heads, each with a password and, for the roles that need it, a
confirmed TOTP device whose secret goes into the file: the load test computes the
codes, so nothing is bypassed, not even the second factor.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import Role
from matricule.core.models import Agency, Unit
from matricule.personnel.models import Officer, Status

MIX = [Role.OFFICER, Role.HR_CLERK, Role.OFFICER, Role.HR_CLERK, Role.SUPERVISOR]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if "loadtest" not in str(settings.DATABASES["default"]["NAME"]):
            raise CommandError("Réservé à une base de test de charge (nom contenant « loadtest »).")
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            accounts = self._accounts(options["users"], password)
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(accounts, indent=1))
        path.chmod(0o600)
        self.stdout.write(f"{len(accounts['users'])} comptes écrits dans {path}.")

    def _accounts(self, count: int, password: str) -> dict[str, Any]:
        agency = Agency.objects.get(code="PN")
        bamako = Unit.objects.get(agency=agency, code="DR-BKO")
        in_bamako = list(
            Officer.objects.filter(
                agency=agency, unit__path__startswith=bamako.path, status=Status.ACTIVE
            )
            .order_by("matricule")
            .values_list("matricule", flat=True)[:400]
        )
        ca01 = Unit.objects.get(agency=agency, code="BKO-CA01")
        in_ca01 = list(
            Officer.objects.filter(agency=agency, unit=ca01, status=Status.ACTIVE)
            .order_by("matricule")
            .values_list("matricule", flat=True)[:200]
        )
        free = iter(
            Officer.objects.filter(agency=agency, status=Status.ACTIVE, user_account__isnull=True)
            .order_by("?")
            .values_list("pk", "matricule")[:count]
        )
        scopes = {Role.HR_CLERK: bamako, Role.SUPERVISOR: ca01}
        users = []
        for index in range(count):
            role = MIX[index % len(MIX)]
            officer_pk, matricule = (None, "")
            if role == Role.OFFICER:
                officer_pk, matricule = next(free)
            username = matricule or f"charge.{role}.{index:03d}"
            user = User.objects.create_user(username=username, password=password)
            if officer_pk:
                User.objects.filter(pk=user.pk).update(officer_id=officer_pk)
            RoleGrant.objects.create(user=user, role=role, agency=agency, unit=scopes.get(role))
            totp = ""
            if user.needs_two_factor:
                device = TOTPDevice.objects.create(user=user, name="charge", confirmed=True)
                totp = device.key
            users.append({"username": username, "role": str(role), "totp": totp})
        return {"password": password, "users": users, "bamako": in_bamako, "ca01": in_ca01}
