# Both branches of 0009 meet here; the situation periods are filled from the careers of the
# records already there (new databases have none).

from collections import defaultdict
from types import SimpleNamespace

from django.db import migrations

CHUNK = 2000


def fill_periods(apps, schema_editor):
    # The replay of personnel.career, the one check_periods proves the table against.
    from matricule.personnel.career import situation_spans

    officers = apps.get_model("personnel", "Officer")
    events = apps.get_model("personnel", "CareerEvent")
    periods = apps.get_model("personnel", "SituationPeriod")
    # Every column of the event as it stands here, so the live replay finds what it reads.
    fields = [f.attname for f in events._meta.concrete_fields if f.attname != "officer_id"]
    last = 0
    while True:
        ids = list(
            officers.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        last = ids[-1]
        timelines = defaultdict(list)
        for row in events.objects.filter(officer_id__in=ids, is_superseded=False).values_list(
            "officer_id", *fields
        ):
            timelines[row[0]].append(
                SimpleNamespace(**dict(zip(fields, row[1:])))
            )
        periods.objects.bulk_create(
            [
                periods(
                    officer_id=pk,
                    valid_from=span.valid_from,
                    valid_to=span.valid_to,
                    unit_id=span.unit_id,
                    host_unit_id=span.host_unit_id,
                    grade_id=span.grade_id,
                    status=span.status,
                )
                for pk, timeline in timelines.items()
                for span in situation_spans(timeline)
            ],
            batch_size=5000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0009_secondment_end_and_origin_number"),
        ("personnel", "0010_situation_period_covering_index"),
    ]

    operations = [
        migrations.RunPython(fill_periods, migrations.RunPython.noop),
    ]
