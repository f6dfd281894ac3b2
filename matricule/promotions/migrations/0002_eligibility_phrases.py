"""Each run keeps its distinct criteria and components once (EligibilityPhrase).

The rows' JSON copies become numbers into the run's phrases. Runs computed before this
migration were phrased in French only: their English copy is the French one.
"""

import json

import django.db.models.deletion
from django.db import migrations, models


def to_phrases(apps, schema_editor):
    Eligibility = apps.get_model("promotions", "Eligibility")
    EligibilityPhrase = apps.get_model("promotions", "EligibilityPhrase")
    EligibilityRun = apps.get_model("promotions", "EligibilityRun")
    for run_id in EligibilityRun.objects.values_list("id", flat=True).iterator():
        numbers: dict[str, int] = {}
        phrases = []
        rows = list(
            Eligibility.objects.filter(run_id=run_id).only("id", "criteria", "components")
        )

        def number(item):
            text = json.dumps(item, sort_keys=True, ensure_ascii=False)
            found = numbers.get(text)
            if found is None:
                found = numbers[text] = len(numbers) + 1
                phrases.append(
                    EligibilityPhrase(run_id=run_id, number=found, fr=item, en=item)
                )
            return found

        for row in rows:
            row.criteria_ids = [number(c) for c in row.criteria or []]
            row.component_ids = [number(c) for c in row.components or []]
        EligibilityPhrase.objects.bulk_create(phrases, batch_size=500)
        Eligibility.objects.bulk_update(rows, ["criteria_ids", "component_ids"], batch_size=500)


def from_phrases(apps, schema_editor):
    Eligibility = apps.get_model("promotions", "Eligibility")
    EligibilityPhrase = apps.get_model("promotions", "EligibilityPhrase")
    EligibilityRun = apps.get_model("promotions", "EligibilityRun")
    for run_id in EligibilityRun.objects.values_list("id", flat=True).iterator():
        fr = dict(EligibilityPhrase.objects.filter(run_id=run_id).values_list("number", "fr"))
        rows = list(Eligibility.objects.filter(run_id=run_id))
        for row in rows:
            row.criteria = [fr[n] for n in row.criteria_ids]
            row.components = [fr[n] for n in row.component_ids]
        Eligibility.objects.bulk_update(rows, ["criteria", "components"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="EligibilityPhrase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("fr", models.JSONField()),
                ("en", models.JSONField()),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="phrases",
                        to="promotions.eligibilityrun",
                    ),
                ),
            ],
            options={
                "verbose_name": "libellé d'éligibilité",
                "verbose_name_plural": "libellés d'éligibilité",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("run", "number"),
                        name="eligibilityphrase_once",
                        violation_error_message="Ce libellé existe déjà pour ce calcul.",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="eligibility",
            name="component_ids",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="eligibility",
            name="criteria_ids",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(to_phrases, from_phrases),
        migrations.RemoveField(
            model_name="eligibility",
            name="components",
        ),
        migrations.RemoveField(
            model_name="eligibility",
            name="criteria",
        ),
    ]
