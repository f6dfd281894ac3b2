"""Grant a role on a scope (an agency, optionally a unit subtree), with its audit entry.

    python manage.py grant_role admin sysadmin --agency PN --reason "premier administrateur"
    python manage.py grant_role rh.kayes hr_clerk --agency PN --unit DR-KAY --reason "note 12/2026"
    python manage.py grant_role rh.kayes hr_clerk --agency PN --unit DR-KAY --revoke \
        --reason "mutation"

The technicians' admin (/technique/) is read-only; roles change here or on the screens.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import Role
from matricule.accounts.services import role_grant, role_revoke
from matricule.core.lookups import unit_by_code
from matricule.core.models import Agency


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--agency", required=True, help="code de l'agence (ex. PN)")
        parser.add_argument("--unit", help="code de l'unité (vide : toute l'agence)")
        parser.add_argument("--reason", required=True, help="motif (gardé dans l'audit)")
        parser.add_argument(
            "--revoke", action="store_true", help="retirer le rôle au lieu de le donner"
        )
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {options['username']}.")
        agency = Agency.objects.filter(code=options["agency"].strip().upper()).first()
        if agency is None:
            raise CommandError(f"Agence inconnue : {options['agency']}.")
        unit = None
        if options["unit"]:
            try:
                unit = unit_by_code(code=options["unit"], agency_ids=[agency.pk])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            if options["revoke"]:
                grant = RoleGrant.objects.filter(
                    user=user, role=options["role"], agency=agency, unit=unit
                ).first()
                if grant is None:
                    raise CommandError("Ce rôle n'est pas attribué sur ce périmètre.")
                role_revoke(grant=grant, by=None, reason=options["reason"])
                done = "retiré"
            else:
                try:
                    role_grant(
                        user=user,
                        role=options["role"],
                        agency=agency,
                        unit=unit,
                        by=None,
                        reason=options["reason"],
                    )
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from None
                done = "attribué"
            if options["dry_run"]:
                transaction.set_rollback(True)
                done = f"serait {done} (essai : rien n'est enregistré)"
        where = unit.code if unit else agency.code
        self.stdout.write(f"Rôle {options['role']} {done} à {user.username} sur {where}.")
