"""Start-up checks: nothing starts on a half-restored server."""

from __future__ import annotations

from typing import Any

from django.core import checks

RESUME_HINT = "Terminez-la avec « python manage.py restore --resume » avant de démarrer."


def interrupted_restore_message() -> str | None:
    from matricule.core.backup import interrupted_restore

    journal = interrupted_restore()
    if journal is None:
        return None
    return f"Une restauration a été interrompue après son point de non-retour ({journal})."


def interrupted_restore_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    message = interrupted_restore_message()
    if message is None:
        return []
    return [checks.Error(message, hint=RESUME_HINT, id="matricule.E001")]
