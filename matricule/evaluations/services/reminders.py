"""Daily reminders before each deadline and escalation of overdue steps.

Run by `manage.py evaluation_reminders` (cron, once a day). A reminder goes to the
current actor `reminder_days` before the step's deadline; an overdue step is escalated
to the next level the day after its deadline (the evaluator for a missing
self-assessment, the reviewer for a missing rating, HR for a missing review), then to HR
a week later. Past the appeal period, an evaluation not acknowledged is deemed
acknowledged and closed. One notice per evaluation, step and day, whatever the number
of runs (a unique constraint, checked before writing).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from matricule.accounts.models import User
from matricule.core.audit import AuditDraft, audit_record_many
from matricule.core.models import Unit
from matricule.evaluations.models import (
    CycleStatus,
    Evaluation,
    NoticeKind,
    Reminder,
    Step,
)
from matricule.evaluations.services.notices import hr_managers_for, tell, users_of_officers
from matricule.evaluations.services.steps import evaluation_acknowledge

SECOND_ESCALATION_DAYS = 7
ACTIVE = (Step.SELF, Step.RATING, Step.REVIEW, Step.ACKNOWLEDGEMENT)


@dataclass(frozen=True)
class Notice:
    evaluation_id: int
    step: str
    kind: str
    level: int
    recipients: str  # "officer", "evaluator", "reviewer", "hr"


@dataclass
class ReminderReport:
    notices: list[Notice] = field(default_factory=list)
    deemed: list[int] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for n in self.notices if n.kind == kind)


def _actor(evaluation: Evaluation) -> str:
    if evaluation.status in (Step.SELF, Step.ACKNOWLEDGEMENT):
        return "officer"
    if evaluation.status == Step.RATING:
        return "evaluator" if evaluation.evaluator_id else "hr"
    return "reviewer" if evaluation.reviewer_id else "hr"


def _escalation_target(evaluation: Evaluation, level: int) -> str:
    if level >= 2:
        return "hr"
    if evaluation.status == Step.SELF:
        return "evaluator" if evaluation.evaluator_id else "hr"
    if evaluation.status == Step.RATING:
        return "reviewer" if evaluation.reviewer_id else "hr"
    return "hr"


def plan(*, today: datetime.date) -> ReminderReport:
    """What today's run sends (read only: the dry run shows it)."""
    report = ReminderReport()
    sent_today = set(Reminder.objects.filter(day=today).values_list("evaluation_id", "step"))
    reminded = set(
        Reminder.objects.filter(
            kind=NoticeKind.REMINDER, evaluation__cycle__status=CycleStatus.OPEN
        ).values_list("evaluation_id", "step")
    )
    rows = (
        Evaluation.objects.filter(cycle__status=CycleStatus.OPEN, status__in=ACTIVE)
        .select_related("cycle")
        .only(
            "id",
            "status",
            "evaluator_id",
            "reviewer_id",
            "acknowledge_by",
            "escalation_level",
            "cycle__self_deadline",
            "cycle__rating_deadline",
            "cycle__review_deadline",
            "cycle__reminder_days",
        )
    )
    for evaluation in rows.iterator(chunk_size=2000):
        due = evaluation.due_date()
        if due is None or (evaluation.pk, evaluation.status) in sent_today:
            continue
        if today > due:
            if evaluation.status == Step.ACKNOWLEDGEMENT:
                report.deemed.append(evaluation.pk)
                continue
            level = 1 if evaluation.escalation_level == 0 else 2
            if evaluation.escalation_level >= 2:
                continue
            if level == 2 and (today - due).days <= SECOND_ESCALATION_DAYS:
                continue
            report.notices.append(
                Notice(
                    evaluation.pk,
                    evaluation.status,
                    NoticeKind.ESCALATION,
                    level,
                    _escalation_target(evaluation, level),
                )
            )
        elif (due - today).days <= evaluation.cycle.reminder_days:
            if (evaluation.pk, evaluation.status) in reminded:
                continue
            report.notices.append(
                Notice(evaluation.pk, evaluation.status, NoticeKind.REMINDER, 0, _actor(evaluation))
            )
    return report


def reminders_send(*, today: datetime.date, dry_run: bool = False) -> ReminderReport:
    """Send today's reminders and escalations (and close what is deemed acknowledged)."""
    report = plan(today=today)
    if dry_run:
        return report
    for evaluation_id in report.deemed:
        evaluation = Evaluation.objects.get(pk=evaluation_id)
        evaluation_acknowledge(
            evaluation=evaluation, version=None, by=None, deemed=True, today=today
        )
    for start in range(0, len(report.notices), 1000):
        _send_batch(report.notices[start : start + 1000], today)
    return report


def _send_batch(notices: list[Notice], today: datetime.date) -> None:
    with transaction.atomic():
        evaluations = {
            e.pk: e
            for e in Evaluation.objects.select_for_update(of=("self",))
            .select_related("officer", "cycle", "unit")
            .filter(pk__in=[n.evaluation_id for n in notices])
        }
        already = set(
            Reminder.objects.filter(evaluation_id__in=list(evaluations), day=today).values_list(
                "evaluation_id", "step"
            )
        )
        fresh = [
            n
            for n in notices
            if (n.evaluation_id, n.step) not in already
            and n.evaluation_id in evaluations
            and evaluations[n.evaluation_id].status == n.step
        ]
        Reminder.objects.bulk_create(
            [
                Reminder(
                    evaluation_id=n.evaluation_id,
                    step=n.step,
                    day=today,
                    kind=n.kind,
                    level=n.level,
                )
                for n in fresh
            ]
        )
        escalated = [n for n in fresh if n.kind == NoticeKind.ESCALATION]
        for n in escalated:
            Evaluation.objects.filter(pk=n.evaluation_id).update(escalation_level=n.level)
        audit_record_many(
            by=None,
            drafts=[
                AuditDraft(
                    action="evaluation.escalate",
                    obj=evaluations[n.evaluation_id],
                    subject_officer_id=evaluations[n.evaluation_id].officer_id,
                    after={"step": n.step, "level": n.level, "to": n.recipients},
                )
                for n in escalated
            ],
        )
        _notify(fresh, evaluations)


def _notify(notices: list[Notice], evaluations: dict[int, Evaluation]) -> None:
    by_person: dict[int, list[tuple[Notice, Evaluation]]] = defaultdict(list)
    hr: dict[int, list[tuple[Notice, Evaluation]]] = defaultdict(list)
    for n in notices:
        e = evaluations[n.evaluation_id]
        person = {
            "officer": e.officer_id,
            "evaluator": e.evaluator_id,
            "reviewer": e.reviewer_id,
        }.get(n.recipients)
        if person:
            by_person[person].append((n, e))
        else:
            hr[e.unit_id].append((n, e))
    users = {u.officer_id: u for u in users_of_officers(list(by_person))}
    for person, items in by_person.items():
        user = users.get(person)
        if user is not None:
            _tell_items([user], items)
    units = Unit.objects.in_bulk(list(hr))
    for unit_id, items in hr.items():
        _tell_items(hr_managers_for(units[unit_id]), items)


def _tell_items(users: list[User], items: list[tuple[Notice, Evaluation]]) -> None:
    for n, e in items:
        due = e.due_date()
        when = f"{due:%d/%m/%Y}" if due else ""
        if n.kind == NoticeKind.REMINDER:
            message = _(
                "Rappel : « %(step)s » de l'évaluation de %(name)s attendue avant le %(date)s."
            )
        else:
            message = _(
                "Retard : « %(step)s » de l'évaluation de %(name)s attendue depuis le %(date)s."
            )
        tell(
            users=users,
            message=message
            % {"step": e.get_status_display(), "name": e.officer.full_name, "date": when},
            url=f"/evaluations/{e.pk}/",
        )
