"""Drop the eligibility rows' single-column indexes on run and officer: the composite
indexes `eligibility_run_rank` and `eligibility_officer` start with the same columns, and
each was one more write for every row of a run (a row per officer and rule).

Only the indexes go (DROP INDEX on both databases), as in personnel 0014: letting
AlterField drop them would rebuild the whole eligibility table on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index Django named for the foreign key)
COVERED = [
    ("promotions_eligibility", "run_id", "promotions_eligibility_run_id_468e6433"),
    ("promotions_eligibility", "officer_id", "promotions_eligibility_officer_id_d024a1be"),
]
CASCADE = django.db.models.deletion.CASCADE


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0014_drop_indexes_covered_by_composites"),
        ("promotions", "0002_eligibility_phrases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="eligibility",
                    name="officer",
                    field=models.ForeignKey(
                        db_index=False, on_delete=CASCADE, related_name="+", to="personnel.officer"
                    ),
                ),
                migrations.AlterField(
                    model_name="eligibility",
                    name="run",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=CASCADE,
                        related_name="rows",
                        to="promotions.eligibilityrun",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for table, column, name in COVERED
            ],
        ),
    ]
