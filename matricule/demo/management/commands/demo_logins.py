"""Print the demo accounts, one line per role: `role username password`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from matricule.demo.users import demo_logins


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        for role, username, password in demo_logins():
            self.stdout.write(f"{role} {username} {password}")
