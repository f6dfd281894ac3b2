"""Benchmarks of training: the skill search and certificate PDFs (issue: training and skills).

The setup creates the demo training history in the bench database if it has none
(about 500,000 results for 100,000 officers, bulk and idempotent).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from matricule.accounts.models import User
from matricule.core.benchmarking import Context, operation
from matricule.core.models import Skill, Unit
from matricule.personnel.selectors import OfficerFilters, officer_list
from matricule.training.models import Certificate, Enrolment

Pair = tuple[Callable[[], Any], Callable[[], Any]]
# Three skills a planner would combine: community policing, care of GBV victims, a car licence.
SEARCH = [("community_policing", 2), ("gbv", 2), ("licence_b", 1)]
PDFS_PER_RUN = 10


def ensure_training_data() -> None:
    if Enrolment.objects.exists():
        return
    from matricule.training.demo import seed_training_demo

    print("# création de l'historique de formation de démonstration…", file=sys.stderr)
    start = time.monotonic()
    created = seed_training_demo(seed=1, today=timezone.localdate())
    print(f"# {created} résultats créés en {time.monotonic() - start:.0f} s", file=sys.stderr)


@operation("skill_search")
def skill_search(ctx: Context) -> Pair:
    """Three skills at minimum levels, valid today, in the Bamako HR clerk's scope: count + page."""
    ensure_training_data()
    viewer = User.objects.get(username="rh.bamako")
    skills = {s.code: s.pk for s in Skill.objects.filter(code__in=[c for c, _l in SEARCH])}
    wanted = [(skills[code], level) for code, level in SEARCH]
    today = timezone.localdate()

    def run() -> int:
        viewer.__dict__.pop("active_grants", None)  # a new request loads its grants again
        qs = officer_list(viewer=viewer, filters=OfficerFilters(skills=wanted, valid_on=today))
        count = qs.count()
        rows = list(qs[:50])
        assert count >= len(rows)
        return count

    unit = Unit.objects.get(agency__code="PN", code="DR-BKO")
    # The best hand-written shape: the officers of the subtree, one covering probe per skill.
    probe = (
        " AND EXISTS (SELECT 1 FROM training_officerskill s WHERE s.officer_id = o.id "
        "AND s.skill_id = %s AND s.confirmed AND s.level >= %s AND s.obtained_on <= %s "
        "AND (s.expires_on IS NULL OR s.expires_on >= %s))"
    )
    params: list[Any] = []
    for skill_id, level in wanted:
        params += [skill_id, level, today, today]
    scope = "o.unit_id IN (SELECT id FROM core_unit WHERE path >= %s AND path < %s)"
    # Built from the constant fragments above only; every value is a parameter.
    where = scope + probe * len(wanted)
    count_sql = "SELECT COUNT(*) FROM personnel_officer o WHERE " + where  # noqa: S608
    page_sql = (
        "SELECT o.matricule, o.family_name, o.given_names, g.name, u.name "
        "FROM personnel_officer o JOIN core_grade g ON g.id = o.grade_id "
        "JOIN core_unit u ON u.id = o.unit_id WHERE "
        + where
        + " ORDER BY o.family_name, o.given_names, o.id LIMIT 50"
    )
    all_params = [unit.path, unit.path + ":", *params]

    def floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, all_params)
            cursor.fetchall()
            cursor.execute(page_sql, all_params)
            return cursor.fetchall()

    return run, floor


@operation("certificate_pdf", items_per_run=PDFS_PER_RUN, repeat=10)
def certificate_pdf_op(ctx: Context) -> Pair:
    """Numbered certificate PDFs (WeasyPrint, A4 landscape, QR), from the database."""
    ensure_training_data()
    from weasyprint import HTML

    from matricule.training import certificates as c

    numbers = list(
        Certificate.objects.order_by("-issued_on", "-id").values_list("number", flat=True)[
            : PDFS_PER_RUN * 3
        ]
    )
    state = {"i": 0}

    def run() -> None:
        start = state["i"] % len(numbers)
        state["i"] += PDFS_PER_RUN
        batch = (numbers * 2)[start : start + PDFS_PER_RUN]
        for cert in (
            Certificate.objects.select_related(
                "officer",
                "course",
                "enrolment",
                "enrolment__session",
                "enrolment__session__partner",
                "enrolment__session__agency",
            )
            .prefetch_related("course__modules")
            .filter(number__in=batch)
        ):
            pdf = c.certificate_pdf(cert, base_url="https://matricule.police.ml")
            assert pdf.startswith(b"%PDF")

    # The floor: the raw library rendering already-built pages (no query, no template).
    sample = Certificate.objects.select_related(
        "officer", "course", "enrolment__session__partner", "enrolment__session__agency"
    ).get(number=numbers[0])
    pages = [
        render_to_string(
            "training/certificate_pdf.html",
            c.certificate_context(sample, base_url="https://matricule.police.ml"),
        )
    ] * PDFS_PER_RUN

    css, fonts = c._renderer()

    def floor() -> None:
        for html in pages:
            HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)

    return run, floor
