"""Campaigns and their eligibility runs: every officer, every criterion, frozen, versioned."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.bulk import JsonText, bulk_insert, bulk_insert_rows, in_chunks
from matricule.core.models import Agency, Grade
from matricule.personnel import hooks
from matricule.personnel.career import grade_in_force
from matricule.personnel.models import (
    CareerEvent,
    DisciplinaryCase,
    EventKind,
    Officer,
    Status,
)
from matricule.promotions.engine import (
    OfficerInputs,
    Result,
    RuleSpec,
    Sanction,
    evaluate,
    no_rule_result,
    rank_key,
)
from matricule.promotions.marks import marks_for
from matricule.promotions.models import (
    Campaign,
    CampaignStatus,
    Eligibility,
    EligibilityPhrase,
    EligibilityRun,
    ExamScore,
    PromotionRule,
    Route,
)
from matricule.promotions.wording import Words
from matricule.training.selectors import certificates_valid_on

if TYPE_CHECKING:
    from matricule.accounts.models import User

BATCH_ROWS = 2000


def campaign_create(
    *,
    agency: Agency,
    year: int,
    name: str,
    reference_date: datetime.date,
    effective_date: datetime.date,
    appeal_days: int = 30,
    by: User | None,
) -> Campaign:
    with transaction.atomic():
        campaign = Campaign(
            agency=agency,
            year=year,
            name=name.strip(),
            reference_date=reference_date,
            effective_date=effective_date,
            appeal_days=appeal_days,
            created_by=by,
        )
        campaign.full_clean()
        campaign.save()
        audit_record(
            by=by, action="promotion.campaign.create", obj=campaign, after=model_snapshot(campaign)
        )
    return campaign


def rules_in_force(agency_id: int, on: datetime.date) -> list[PromotionRule]:
    """The rule versions in force on `on` (exceptional promotions are decided case by case)."""
    return list(
        PromotionRule.objects.filter(agency_id=agency_id, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .exclude(route=Route.EXCEPTIONAL)
        .select_related("target_grade")
        .prefetch_related("source_grades", "required_courses", "components")
        .order_by("target_grade__order", "route")
    )


def rule_spec(rule: PromotionRule) -> RuleSpec:
    sources = sorted(rule.source_grades.all(), key=lambda g: g.order)
    return RuleSpec(
        id=rule.pk,
        target_grade_id=rule.target_grade_id,
        target_grade_name=rule.target_grade.name,
        route=rule.route,
        source_grade_ids=frozenset(g.pk for g in sources),
        source_grade_names=", ".join(g.name for g in sources),
        min_years_in_grade=rule.min_years_in_grade,
        min_years_of_service=rule.min_years_of_service,
        min_average_mark=rule.min_average_mark,
        mark_cycles=rule.mark_cycles,
        missing_cycles=rule.missing_cycles,
        required_courses=tuple(
            (c.pk, c.title_fr) for c in sorted(rule.required_courses.all(), key=lambda c: c.code)
        ),
        max_sanction_group=rule.max_sanction_group,
        sanction_years=rule.sanction_years,
        no_pending_case=rule.no_pending_case,
        max_age=rule.max_age,
        min_exam_score=rule.min_exam_score,
        service_cap_years=rule.service_cap_years,
        components=tuple((c.code, c.weight, c.cap) for c in rule.components.all()),
    )


def _excluded_days(periods: list[tuple[datetime.date, datetime.date]], since: datetime.date) -> int:
    return sum(max(0, (end - max(start, since)).days) for start, end in periods if end > since)


def gather_inputs(campaign: Campaign, *, cycles: int) -> list[OfficerInputs]:
    """Every input of the run in a fixed number of queries, whatever the size of the force."""
    ref = campaign.reference_date
    agency_id = campaign.agency_id
    # Officers seconded in from another corps (an OCS member from the gendarmerie,
    # customs…) are promoted by their corps of origin, never by the agency's campaign.
    officers = (
        Officer.objects.filter(agency_id=agency_id, corps__agency_id=agency_id, entry_date__lte=ref)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gt=ref))
        .values_list(
            "id",
            "matricule",
            "family_name",
            "given_names",
            "sex",
            "birth_date",
            "entry_date",
            "grade_id",
            "corps__name",
            "unit__region__name",
        )
        .order_by("id")
    )
    live = CareerEvent.objects.filter(
        officer__agency_id=agency_id, is_superseded=False, effective_date__lte=ref
    )
    # The grade held on the date and since when: the officer's last grade-setting event.
    # Unordered (no sort of the force's events): the latest by (date, id) is kept.
    latest: dict[int, tuple[datetime.date, int, int]] = {}
    for officer_id, on, event_id, grade_id in (
        live.filter(kind__in=[EventKind.ENTRY, EventKind.GRADE], grade_id__isnull=False)
        .order_by()
        .values_list("officer_id", "effective_date", "id", "grade_id")
    ):
        seen = latest.get(officer_id)
        if seen is None or (on, event_id) > seen[:2]:
            latest[officer_id] = (on, event_id, grade_id)
    grades = {officer_id: (on, grade_id) for officer_id, (on, _id, grade_id) in latest.items()}
    sanctions: dict[int, list[Sanction]] = defaultdict(list)
    decorations: dict[int, int] = defaultdict(int)
    for officer_id, kind, on, detail, group in (
        live.filter(kind__in=[EventKind.SANCTION, EventKind.DECORATION])
        .order_by("officer_id", "effective_date", "id")
        .values_list("officer_id", "kind", "effective_date", "detail", "sanction_group")
    ):
        if kind == EventKind.SANCTION:
            sanctions[officer_id].append(Sanction(on=on, group=group, detail=detail))
        else:
            decorations[officer_id] += 1
    # Time suspended or on leave without pay does not count (SPEC §3.5). A span runs to its
    # end date, else to the officer's next change of position: the positions are read only
    # for the few officers who were ever in such a span.
    suspended, leave = Status.SUSPENDED, Status.LEAVE
    not_counted = Q(status=suspended) | Q(status=leave, detail__icontains="sans solde")
    periods: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    open_since: dict[int, datetime.date] = {}
    spanned = sorted(set(live.filter(not_counted).order_by().values_list("officer_id", flat=True)))
    positions = [
        row
        for chunk in in_chunks(spanned)
        for row in CareerEvent.objects.filter(
            officer_id__in=chunk,
            is_superseded=False,
            effective_date__lte=ref,
            kind__in=[EventKind.STATUS, EventKind.SECONDMENT, EventKind.EXIT],
        )
        .order_by("officer_id", "effective_date", "id")
        .values_list("officer_id", "effective_date", "status", "detail", "end_date")
    ]
    for officer_id, on, status, detail, end in positions:
        started = open_since.pop(officer_id, None)
        if started is not None:
            periods[officer_id].append((started, on))
        if status == suspended or (status == leave and "sans solde" in detail.lower()):
            if end is not None:
                periods[officer_id].append((on, min(end, ref)))
            else:
                open_since[officer_id] = on
    for officer_id, started in open_since.items():
        periods[officer_id].append((started, ref))
    cases = dict(
        DisciplinaryCase.objects.filter(officer__agency_id=agency_id, opened_on__lte=ref)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=ref))
        .values_list("officer_id", "reference")
    )
    courses: dict[int, set[int]] = defaultdict(set)
    for officer_id, course_id in (
        certificates_valid_on(agency_id=agency_id, on=ref)
        .order_by()
        .values_list("officer_id", "course_id")
    ):
        courses[officer_id].add(course_id)
    marks = marks_for(
        officer_ids=None, agency_id=agency_id, up_to_year=campaign.year - 1, count=cycles
    )
    exams = dict(ExamScore.objects.filter(campaign=campaign).values_list("officer_id", "score"))
    grade_names = dict(Grade.objects.values_list("id", "name"))
    school: dict[int, str] = {}
    for provider in hooks.school_cohorts:
        school.update(provider(agency_id))
    in_force: dict[int, int] = {}
    inputs = []
    for oid, mat, family, given, sex, birth, entry, snap_grade, corps, region in officers:
        since, grade_id = grades.get(oid, (entry, snap_grade))
        mapped = in_force.get(grade_id)
        if mapped is None:
            mapped = in_force[grade_id] = grade_in_force(grade_id, ref)
        grade_id = mapped
        spans = periods.get(oid, [])
        inputs.append(
            OfficerInputs(
                officer_id=oid,
                matricule=mat,
                full_name=f"{family.upper()} {given}",
                sex=sex,
                birth_date=birth,
                entry_date=entry,
                grade_id=grade_id,
                grade_name=grade_names.get(grade_id, ""),
                grade_since=since,
                corps_name=corps or "",
                region_name=region or "",
                school_cohort=school.get(oid, ""),
                excluded_service_days=_excluded_days(spans, entry) if spans else 0,
                excluded_grade_days=_excluded_days(spans, since) if spans else 0,
                marks=marks.get(oid, []),
                courses=courses.get(oid, set()),
                decorations=decorations.get(oid, 0),
                sanctions=sanctions.get(oid, []),
                pending_case=cases.get(oid, ""),
                exam_score=exams.get(oid),
            )
        )
    return inputs


def compute(
    campaign: Campaign, rules: list[RuleSpec], inputs: list[OfficerInputs], words: Words
) -> list[tuple[OfficerInputs, RuleSpec | None, Result]]:
    """Evaluate each officer against each rule that starts from their grade, then rank."""
    ref = campaign.reference_date
    by_source: dict[int, list[RuleSpec]] = defaultdict(list)
    for rule in rules:
        for grade_id in rule.source_grade_ids:
            by_source[grade_id].append(rule)
    out: list[tuple[OfficerInputs, RuleSpec | None, Result]] = []
    for o in inputs:
        applicable = by_source.get(o.grade_id)
        if not applicable:
            out.append((o, None, no_rule_result(o.grade_name, words)))
            continue
        for rule in applicable:
            result = evaluate(o, rule, ref, words)
            out.append((o, rule, result))
    return out


def ranks(rows: list[tuple[OfficerInputs, RuleSpec | None, Result]]) -> dict[int, int]:
    """Rank of each eligible row (by index) within its rule, by points then tie-breaks."""
    groups: dict[int, list[int]] = defaultdict(list)
    for index, (_o, rule, result) in enumerate(rows):
        if rule is not None and result.eligible:
            groups[rule.id].append(index)
    ranked: dict[int, int] = {}
    for indexes in groups.values():
        indexes.sort(
            key=lambda i: rank_key(rows[i][2].points, rows[i][2].tie, rows[i][0].matricule)
        )
        for position, index in enumerate(indexes, start=1):
            ranked[index] = position
    return ranked


def eligibility_run(*, campaign: Campaign, by: User | None, reason: str = "") -> EligibilityRun:
    """Compute the whole agency's eligibility as a new version of the campaign's run.

    The rows are written in batches (the database stays free between them) under a version
    that is not yet retained; the last transaction makes it the current version. A failure
    leaves the previous version current and removes the incomplete one.
    """
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.BOARD):
        raise ValidationError(_("Le tableau est publié : l'éligibilité ne se recalcule plus."))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        previous = locked.runs.order_by("-version").first()
        if previous is not None and not reason.strip():
            raise ValidationError(
                {
                    "reason": _(
                        "Un nouveau calcul est motivé (règle corrigée, dossiers mis à jour…)."
                    )
                }
            )
        run = EligibilityRun.objects.create(
            campaign=locked,
            version=(previous.version + 1) if previous else 1,
            is_current=False,
            computed_at=timezone.now(),
            computed_by=by,
            reason=reason.strip(),
        )
    try:
        rules = [rule_spec(r) for r in rules_in_force(campaign.agency_id, campaign.reference_date)]
        cycles = max((r.mark_cycles for r in rules), default=0)
        inputs = gather_inputs(campaign, cycles=cycles)
        # Frozen in French, phrased in English alongside, whatever the asker's language.
        with translation.override("fr"):
            words = Words(also=("en",))
            rows = compute(campaign, rules, inputs, words)
        ranked = ranks(rows)
        encoder = _Encoder(run.pk, words)
        payload = [
            _row(run.pk, o, rule, result, ranked.get(i), encoder)
            for i, (o, rule, result) in enumerate(rows)
        ]
        with transaction.atomic():
            bulk_insert(EligibilityPhrase, encoder.phrases())
        for start in range(0, len(payload), BATCH_ROWS):
            with transaction.atomic():
                bulk_insert_rows(Eligibility, ROW_COLUMNS, payload[start : start + BATCH_ROWS])
        eligible = len({o.officer_id for o, _r, res in rows if res.eligible})
        with transaction.atomic():
            EligibilityRun.objects.filter(campaign=campaign, is_current=True).update(
                is_current=False
            )
            EligibilityRun.objects.filter(pk=run.pk).update(
                is_current=True, officers=len(inputs), eligible=eligible
            )
            audit_record(
                by=by,
                action="promotion.run",
                obj=campaign,
                after={
                    "version": run.version,
                    "officers": len(inputs),
                    "eligible": eligible,
                    "reason": reason.strip(),
                },
            )
    except BaseException:
        Eligibility.objects.filter(run=run).delete()
        EligibilityPhrase.objects.filter(run=run).delete()
        run.delete()
        raise
    run.refresh_from_db()
    return run


class _Encoder:
    """The numbers of the rows' criteria and components, and the run's phrases they point to.

    By identity: the engine hands out the same dict for the same facts (Words), and every
    dict stays alive in the run's results while the encoder is used.
    """

    def __init__(self, run_id: int, words: Words) -> None:
        self._run_id = run_id
        self._words = words
        self._numbers: dict[int, int] = {}
        self._items: list[dict[str, Any]] = []
        # The rows of one officer follow each other (one per rule that applies).
        self._inputs_of: OfficerInputs | None = None
        self._inputs = JsonText("{}")

    def numbers(self, items: list[dict[str, Any]]) -> JsonText:
        numbers = self._numbers
        out = []
        for item in items:
            found = numbers.get(id(item))
            if found is None:
                self._items.append(item)
                found = numbers[id(item)] = len(self._items)
            out.append(str(found))
        return JsonText("[" + ",".join(out) + "]")

    def phrases(self) -> list[dict[str, Any]]:
        """Each numbered dict in French and English (components carry no words)."""
        translations = self._words.translations
        out = []
        for number, item in enumerate(self._items, start=1):
            fr = json.dumps(item, ensure_ascii=False)
            other = translations.get(id(item))
            en = json.dumps(other["en"], ensure_ascii=False) if other else fr
            out.append(
                {"run_id": self._run_id, "number": number, "fr": JsonText(fr), "en": JsonText(en)}
            )
        return out

    def inputs(self, o: OfficerInputs) -> JsonText:
        """The officer's frozen inputs, encoded once for all the rules that apply to them."""
        if self._inputs_of is not o:
            self._inputs_of = o
            self._inputs = JsonText(o.frozen_json())
        return self._inputs


ROW_COLUMNS = (
    "run_id",
    "officer_id",
    "rule_id",
    "target_grade_id",
    "route",
    "eligible",
    "points",
    "rank",
    "criteria_ids",
    "component_ids",
    "inputs",
    "sex",
    "region_name",
    "corps_name",
    "cohort",
    "matricule",
    "full_name",
    "grade_name",
)


def _row(
    run_id: int,
    o: OfficerInputs,
    rule: RuleSpec | None,
    result: Result,
    rank: int | None,
    encoder: _Encoder,
) -> tuple[Any, ...]:
    """One Eligibility row, in ROW_COLUMNS order."""
    return (
        run_id,
        o.officer_id,
        rule.id if rule else None,
        rule.target_grade_id if rule else None,
        rule.route if rule else "",
        result.eligible,
        result.points,
        rank,
        encoder.numbers(result.criteria),
        encoder.numbers(result.components),
        encoder.inputs(o),
        o.sex,
        o.region_name,
        o.corps_name,
        # The school promotion when known, else the year of entry (legacy records).
        o.school_cohort or str(o.entry_date.year),
        o.matricule,
        o.full_name,
        o.grade_name,
    )


def exam_score_set(
    *, campaign: Campaign, officer: Officer, score: Decimal, by: User | None
) -> ExamScore:
    with transaction.atomic():
        if officer.agency_id != campaign.agency_id:
            raise ValidationError(_("Cet agent n'appartient pas à l'agence de la campagne."))
        if officer.origin is not None:
            raise ValidationError(
                _("Cet agent est promu par son corps d'origine (%(origin)s), pas par la campagne.")
                % {"origin": officer.origin.short_name}
            )
        row, created = ExamScore.objects.select_for_update().get_or_create(
            campaign=campaign, officer=officer, defaults={"score": score}
        )
        before = None if created else str(row.score)
        row.score = score
        row.full_clean()
        row.save()
        audit_record(
            by=by,
            action="promotion.exam.score",
            obj=row,
            subject_officer_id=officer.pk,
            before={"score": before},
            after={"score": str(score)},
        )
    return row
