"""A required-training rule exists once per agency, course and grade (or function)."""

from __future__ import annotations

from typing import Any

import django.db.models.functions.text
from django.db import migrations, models


def remove_duplicate_rules(apps: Any, schema_editor: Any) -> None:
    # Before the constraint, two clerks adding the same rule at once could both succeed.
    # A duplicate says nothing its twin does not: the oldest row is kept.
    RequiredTraining = apps.get_model("training", "RequiredTraining")
    seen: set[tuple[int, int, int | None, str]] = set()
    duplicates: list[int] = []
    for pk, agency_id, course_id, grade_id, function in RequiredTraining.objects.order_by(
        "id"
    ).values_list("id", "agency_id", "course_id", "grade_id", "function"):
        key = (agency_id, course_id, grade_id, "" if grade_id else function.lower())
        if key in seen:
            duplicates.append(pk)
        seen.add(key)
    if duplicates:
        RequiredTraining.objects.filter(pk__in=duplicates).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_sessiontrainer_one_lead"),
    ]

    operations = [
        migrations.RunPython(remove_duplicate_rules, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="requiredtraining",
            constraint=models.UniqueConstraint(
                condition=models.Q(("grade__isnull", False)),
                fields=("agency", "course", "grade"),
                name="requiredtraining_once_per_grade",
                violation_error_message="Cette obligation existe déjà.",
            ),
        ),
        migrations.AddConstraint(
            model_name="requiredtraining",
            constraint=models.UniqueConstraint(
                models.F("agency"),
                models.F("course"),
                django.db.models.functions.text.Lower("function"),
                condition=models.Q(("grade__isnull", True)),
                name="requiredtraining_once_per_function",
                violation_error_message="Cette obligation existe déjà.",
            ),
        ),
    ]
