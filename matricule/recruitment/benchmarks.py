"""Benchmark of the recruitment: ranking an intake of 20,000 candidates (target ≤ 2 s)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from matricule.core.benchmarking import Context, operation, sql_floor
from matricule.core.models import Agency
from matricule.recruitment.models import Intake, StageKind

BENCH_TITLE = "Banc d'essai — concours de 20 000 candidats"
BENCH_CANDIDATES = 20_000

Pair = tuple[Callable[[], Any], Callable[[], Any]]


def bench_intake() -> Intake:
    """The 20,000-candidate intake of the benchmark database, built once if missing."""
    from matricule.recruitment.demo import build_intake

    intake = Intake.objects.filter(title=BENCH_TITLE).first()
    if intake is not None:
        return intake
    return build_intake(
        agency=Agency.objects.get(code="PN"),
        title=BENCH_TITLE,
        posts=3250,
        candidates=BENCH_CANDIDATES,
        opens=datetime.date(2025, 2, 1),
        kinds=(
            StageKind.DOCUMENTS,
            StageKind.PHYSICAL,
            StageKind.WRITTEN,
            StageKind.MEDICAL,
            StageKind.INTERVIEW,
        ),
        seed=7,
        serial_base=970_000,
        with_results=True,
        strong=True,
    )


@operation("intake_ranking", repeat=10)
def intake_ranking(ctx: Context) -> Pair:
    """Rank the whole intake through the service: weighted scores, tie-breaks, quotas, write."""
    from matricule.recruitment.services.ranking import intake_rank

    intake = bench_intake()

    def run() -> None:
        intake_rank(intake=intake, by=None)

    # The floor: the same weighted mean and order of merit computed by one SQL query.
    floor = sql_floor(
        "SELECT c.id, SUM(r.mark * s.weight) / SUM(s.weight) AS score, "
        "MAX(CASE WHEN s.kind = 'written' THEN r.mark END) AS written "
        "FROM recruitment_candidate c "
        "JOIN recruitment_stageresult r ON r.candidate_id = c.id "
        "JOIN recruitment_stage s ON s.id = r.stage_id AND s.counts_in_ranking = %s "
        "WHERE c.intake_id = %s AND c.eligible = %s AND c.withdrawn_on IS NULL "
        "AND c.eliminated_stage_id IS NULL "
        "GROUP BY c.id, c.birth_date, c.application_number "
        "ORDER BY score DESC, written DESC, c.birth_date DESC, c.application_number",
        [True, intake.pk, True],
    )
    return run, floor
