"""The partner forces of Malian police operations (gendarmerie, national guard, FAMa, UNPOL…)."""

from __future__ import annotations

from django.db import migrations

from matricule.deployments.seed_data import PARTNER_AGENCIES


def forward(apps, schema_editor):
    PartnerAgency = apps.get_model("deployments", "PartnerAgency")
    existing = set(PartnerAgency.objects.values_list("code", flat=True))
    PartnerAgency.objects.bulk_create(
        [
            PartnerAgency(code=code, name=name, short_name=short, international=international)
            for code, name, short, international in PARTNER_AGENCIES
            if code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("deployments", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
