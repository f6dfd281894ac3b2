"""Drop the single-column indexes that a composite index starting with the same column
already covers: each was one more write per officer, event and period saved or imported.

Only the indexes go (DROP INDEX on both databases): letting AlterField drop them would
rebuild the whole officer, event and period tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index Django named for the foreign key)
COVERED = [
    ("personnel_careerevent", "officer_id", "personnel_careerevent_officer_id_56ba2f49"),
    ("personnel_officer", "agency_id", "personnel_officer_agency_id_f9f4ab3d"),
    ("personnel_officer", "grade_id", "personnel_officer_grade_id_f6bb6195"),
    ("personnel_officer", "unit_id", "personnel_officer_unit_id_13ef5051"),
    ("personnel_situationperiod", "officer_id", "personnel_situationperiod_officer_id_762d3eca"),
]
CASCADE, PROTECT = django.db.models.deletion.CASCADE, django.db.models.deletion.PROTECT


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_agency_kind_and_service_numbers"),
        ("personnel", "0013_importjob_written_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="careerevent",
                    name="officer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=CASCADE,
                        related_name="events",
                        to="personnel.officer",
                        verbose_name="agent",
                    ),
                ),
                migrations.AlterField(
                    model_name="officer",
                    name="agency",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=PROTECT,
                        related_name="officers",
                        to="core.agency",
                        verbose_name="agence",
                    ),
                ),
                migrations.AlterField(
                    model_name="officer",
                    name="grade",
                    field=models.ForeignKey(
                        db_index=False, on_delete=PROTECT, to="core.grade", verbose_name="grade"
                    ),
                ),
                migrations.AlterField(
                    model_name="officer",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=PROTECT,
                        related_name="officers",
                        to="core.unit",
                        verbose_name="unité",
                    ),
                ),
                migrations.AlterField(
                    model_name="situationperiod",
                    name="officer",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=CASCADE,
                        related_name="periods",
                        to="personnel.officer",
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
