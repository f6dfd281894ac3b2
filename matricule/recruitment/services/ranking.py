"""Ranking of an intake: weighted score, stated tie-breaks, posts and quotas, waiting list.

Order of merit: weighted mean of the stages that count (Σ coefficient × mark / Σ
coefficients), then the written-exam mark, then age (younger or older first, as the
intake states), then the application number so the order never depends on chance.

Admission follows that order: a candidate is admitted while posts remain in total and
in every quota (region, sex, or both) that covers them; otherwise they go to the waiting
list, in the same order.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Q
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record
from matricule.recruitment.models import (
    AgeTieBreak,
    Candidate,
    Cohort,
    Intake,
    IntakeStatus,
    Outcome,
    RankingEntry,
    StageKind,
    StageResult,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Beyond this many changes the audit keeps the first ones and counts the others.
AUDIT_CHANGES_MAX = 5000


# Marks are handled as exact integers: hundredths for marks, thousandths for the score.
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


@dataclass(frozen=True)
class Ranked:
    candidate_id: int
    number: str
    rank: int
    score_milli: int  # weighted mean in thousandths of a point
    written_cents: int | None  # written-exam mark in hundredths
    outcome: str
    list_rank: int

    @property
    def score(self) -> Decimal:
        return Decimal(self.score_milli) * MILLI

    @property
    def written(self) -> Decimal | None:
        return None if self.written_cents is None else Decimal(self.written_cents) * CENT

    @property
    def stored(self) -> tuple[int, int, int | None, str, int]:
        return (self.rank, self.score_milli, self.written_cents, self.outcome, self.list_rank)


@dataclass(frozen=True)
class Contender:
    candidate_id: int
    number: str
    sex: str
    region_id: int
    birth_date: datetime.date
    score_milli: int
    written_cents: int | None


def score_milli(marks: list[tuple[int, int]]) -> int:
    """Σ weight × mark / Σ weight in thousandths, rounded half up, from (cents, weight) pairs.

    Integer arithmetic gives exactly the result of rules.weighted_score, much faster.
    """
    total = 0
    weights = 0
    for cents, weight in marks:
        total += cents * weight
        weights += weight
    if not weights:
        return 0
    # total / weights is in hundredths; × 10 for thousandths, + ½ before flooring.
    return (total * 20 + weights) // (2 * weights)


def tie_break_text(intake: Intake) -> str:
    age = (
        _("le plus jeune d'abord")
        if intake.age_tie_break == AgeTieBreak.YOUNGER
        else _("le plus âgé d'abord")
    )
    return _(
        "Classement par moyenne pondérée décroissante ; à égalité, la note de l'épreuve écrite "
        "départage, puis l'âge (%(age)s), puis le numéro de candidature."
    ) % {"age": age}


def order_and_admit(
    contenders: list[Contender],
    *,
    posts: int,
    quotas: Sequence[tuple[int | None, str, int]],
    younger_first: bool,
) -> list[Ranked]:
    """Pure ranking: sort by merit with the tie-breaks, then fill posts and quotas."""

    def key(c: Contender) -> tuple[Any, ...]:
        written = c.written_cents if c.written_cents is not None else -1
        age = -c.birth_date.toordinal() if younger_first else c.birth_date.toordinal()
        return (-c.score_milli, -written, age, c.number)

    ordered = sorted(contenders, key=key)
    used = [0] * len(quotas)
    admitted = 0
    waiting = 0
    out: list[Ranked] = []
    for position, c in enumerate(ordered, start=1):
        covering = [
            i
            for i, (region_id, sex, _posts) in enumerate(quotas)
            if (region_id is None or region_id == c.region_id) and (not sex or sex == c.sex)
        ]
        room = admitted < posts and all(used[i] < quotas[i][2] for i in covering)
        if room:
            admitted += 1
            for i in covering:
                used[i] += 1
            outcome, list_rank = Outcome.ADMITTED, admitted
        else:
            waiting += 1
            outcome, list_rank = Outcome.WAITING, waiting
        out.append(
            Ranked(
                c.candidate_id,
                c.number,
                position,
                c.score_milli,
                c.written_cents,
                outcome,
                list_rank,
            )
        )
    return out


def _scaled(field: str, scale: int) -> Cast:
    """A decimal column as an exact integer (× scale), read straight from the database."""
    return Cast(Round(F(field) * scale), output_field=IntegerField())


def contenders_of(intake: Intake) -> list[Contender]:
    """Candidates still in the running with every stage passed, and their marks.

    Raises ValidationError, in French, if some candidates still lack a result.
    """
    stages = list(intake.stages.order_by("order"))
    if not stages:
        raise ValidationError(_("Ce concours n'a aucune épreuve : rien à classer."))
    # Weights have two decimals: in hundredths they are integers too.
    counting = {s.pk: int(s.weight * 100) for s in stages if s.counts_in_ranking}
    written_ids = {s.pk for s in stages if s.kind == StageKind.WRITTEN}
    running = Candidate.objects.filter(
        intake=intake, eligible=True, withdrawn_on__isnull=True, eliminated_stage__isnull=True
    )
    rows = list(
        running.annotate(done=Count("results", filter=Q(results__passed=True))).values_list(
            "id", "application_number", "sex", "region_id", "birth_date", "done"
        )
    )
    incomplete = [r for r in rows if r[5] < len(stages)]
    if incomplete:
        missing = (
            running.filter(pk__in=[r[0] for r in incomplete[:2000]])
            .exclude(results__stage=stages[-1])
            .count()
        )
        raise ValidationError(
            _(
                "%(n)s candidat(s) encore en lice n'ont pas tous leurs résultats (dont %(m)s à "
                "la dernière épreuve) : saisissez-les, ou enregistrez l'absence ou le "
                "désistement, avant de classer."
            )
            % {"n": len(incomplete), "m": missing}
        )
    wanted = set(counting) | written_ids
    marks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    written: dict[int, int] = {}
    results = (
        StageResult.objects.filter(
            stage_id__in=wanted, candidate__in=running, passed=True, mark__isnull=False
        )
        .annotate(cents=_scaled("mark", 100))
        .values_list("candidate_id", "stage_id", "cents")
    )
    for cid, stage_id, cents in results.iterator(chunk_size=5000):
        if stage_id in counting:
            marks[cid].append((cents, counting[stage_id]))
        if stage_id in written_ids:
            written[cid] = cents
    return [
        Contender(
            candidate_id=cid,
            number=number,
            sex=sex,
            region_id=region_id,
            birth_date=birth,
            score_milli=score_milli(marks.get(cid, [])),
            written_cents=written.get(cid),
        )
        for cid, number, sex, region_id, birth, _done in rows
    ]


def _store(intake: Intake, ranked: list[Ranked], stored: dict[int, tuple[Any, ...]]) -> None:
    """Write only the rows that changed (all of them on a first ranking).

    Changed rows are deleted and inserted again rather than updated, so ranks that swap
    never meet the unique (intake, rank) constraint half-way. Inserts are multi-row
    INSERT statements: 20,000 model instances would cost more than the ranking itself.
    """
    changed = [r for r in ranked if stored.get(r.candidate_id) != r.stored]
    kept = {r.candidate_id for r in ranked}
    stale = [cid for cid in stored if cid not in kept] + [
        r.candidate_id for r in changed if r.candidate_id in stored
    ]
    table = RankingEntry._meta.db_table
    if len(stale) > len(stored) // 2:
        RankingEntry.objects.filter(intake=intake).delete()
        changed = list(ranked)
    else:
        for start in range(0, len(stale), 900):
            RankingEntry.objects.filter(
                intake=intake, candidate_id__in=stale[start : start + 900]
            ).delete()
    if not changed:
        return
    by_name = {f.name: str(f.column) for f in RankingEntry._meta.concrete_fields}
    columns = ", ".join(
        connection.ops.quote_name(by_name[name])
        for name in ("intake", "candidate", "rank", "score", "written_mark", "outcome", "list_rank")
    )
    # Table and column names come from the model; every value is a parameter.
    rows = [
        (
            intake.pk,
            r.candidate_id,
            r.rank,
            connection.ops.adapt_decimalfield_value(r.score, 6, 3),
            connection.ops.adapt_decimalfield_value(r.written, 5, 2)
            if r.written_cents is not None
            else None,
            r.outcome,
            r.list_rank,
        )
        for r in changed
    ]
    # Multi-row VALUES in batches: one statement per 1,000 rows on both databases.
    limit = connection.features.max_query_params or 7000
    size = max(1, min(1000, limit // 7))
    row_marks = "(" + ", ".join(["%s"] * 7) + ")"
    head = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                head + ", ".join([row_marks] * len(batch)),
                [value for row in batch for value in row],
            )


def intake_rank(*, intake: Intake, by: User | None) -> list[Ranked]:
    """Rank the intake (or rank it again after a correction), tracing what moved."""
    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        if current.status in (IntakeStatus.DRAFT, IntakeStatus.OPEN):
            raise ValidationError(_("Clôturez d'abord les candidatures, puis classez."))
        if (
            current.status == IntakeStatus.GRADUATED
            or Cohort.objects.filter(intake=current).exists()
        ):
            raise ValidationError(
                _("La promotion est constituée : le classement ne peut plus changer.")
            )
        contenders = contenders_of(current)
        quotas = list(current.quotas.values_list("region_id", "sex", "posts"))
        ranked = order_and_admit(
            contenders,
            posts=current.posts_total,
            quotas=quotas,
            younger_first=current.age_tie_break == AgeTieBreak.YOUNGER,
        )
        stored = {
            row[0]: row[1:]
            for row in RankingEntry.objects.filter(intake=current)
            .annotate(milli=_scaled("score", 1000), cents=_scaled("written_mark", 100))
            .values_list("candidate_id", "rank", "milli", "cents", "outcome", "list_rank")
        }
        previous = {cid: (row[0], row[3]) for cid, row in stored.items()}
        numbers = {r.candidate_id: r.number for r in ranked}
        changes: list[dict[str, Any]] = []
        if previous:
            now = {r.candidate_id: (r.rank, r.outcome) for r in ranked}
            gone = [cid for cid in previous if cid not in now]
            if gone:
                numbers.update(
                    Candidate.objects.filter(pk__in=gone).values_list("id", "application_number")
                )
            for cid in sorted(set(previous) | set(now), key=lambda c: now.get(c, (10**9, ""))[0]):
                if previous.get(cid) != now.get(cid):
                    changes.append(
                        {
                            "candidat": numbers[cid],
                            "avant": previous.get(cid),
                            "apres": now.get(cid),
                        }
                    )
        _store(current, ranked, stored)
        before_status = current.status
        # A published list that is ranked again must be checked and published anew.
        if current.status in (IntakeStatus.CLOSED, IntakeStatus.PUBLISHED):
            current.status = IntakeStatus.RANKED
        current.ranked_at = timezone.now()
        current.save(update_fields=["status", "ranked_at"])
        admitted = sum(1 for r in ranked if r.outcome == Outcome.ADMITTED)
        audit_record(
            by=by,
            action="intake.rerank" if previous else "intake.rank",
            obj=current,
            before={"status": before_status, "classes": len(previous)} if previous else None,
            after={
                "status": current.status,
                "classes": len(ranked),
                "admis": admitted,
                "attente": len(ranked) - admitted,
                "changements": changes[:AUDIT_CHANGES_MAX],
                "changements_non_detailles": max(0, len(changes) - AUDIT_CHANGES_MAX),
            },
        )
    return ranked
