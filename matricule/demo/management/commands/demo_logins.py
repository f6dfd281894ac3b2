"""Print the demo accounts, one line per role: `role username password`.

Standard output keeps the contract of SPEC §5 (exactly one line per role, the police's
account); accounts of the other agencies (the OCS's HR clerk) follow on standard error, so
that a program reading the lines still finds one account per role.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from matricule.demo.users import demo_logins


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        seen: set[str] = set()
        others = []
        for role, username, password in demo_logins():
            if role in seen:
                others.append(f"{role} {username} {password}")
                continue
            seen.add(role)
            self.stdout.write(f"{role} {username} {password}")
        if others:
            self.stderr.write("# Autres agences :")
            for line in others:
                self.stderr.write(line)
