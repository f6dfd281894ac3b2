"""Accent- and case-free candidate names, so "traore" finds Traoré."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import migrations, models


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().replace("-", " ").replace("'", " ").replace("’", " ").split())


def fill(apps: Any, schema_editor: Any) -> None:
    Candidate = apps.get_model("recruitment", "Candidate")
    batch = []
    for candidate in Candidate.objects.only("id", "family_name", "given_names").iterator(
        chunk_size=2000
    ):
        candidate.search_name = _fold(f"{candidate.family_name} {candidate.given_names}")
        batch.append(candidate)
        if len(batch) >= 2000:
            Candidate.objects.bulk_update(batch, ["search_name"])
            batch = []
    Candidate.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=260),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
