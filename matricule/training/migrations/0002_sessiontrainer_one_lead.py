"""A session has one lead trainer at most, held by the database as well as the service."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def demote_extra_leads(apps: Any, schema_editor: Any) -> None:
    # Before the row lock, two clerks adding a lead at once could both succeed: the first
    # lead added stays lead, the later ones become co-trainers (nothing is deleted).
    SessionTrainer = apps.get_model("training", "SessionTrainer")
    seen: set[int] = set()
    extra: list[int] = []
    for pk, session_id in (
        SessionTrainer.objects.filter(role="lead").order_by("session_id", "id").values_list(
            "id", "session_id"
        )
    ):
        if session_id in seen:
            extra.append(pk)
        seen.add(session_id)
    if extra:
        SessionTrainer.objects.filter(pk__in=extra).update(role="co")


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(demote_extra_leads, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="sessiontrainer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "lead")),
                fields=("session",),
                name="sessiontrainer_one_lead",
                violation_error_message="La session a déjà un formateur principal.",
            ),
        ),
    ]
