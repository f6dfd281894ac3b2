"""evaluation_reminders: reminders before deadlines, escalation, no duplicates."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from matricule.accounts.models import Notification
from matricule.evaluations.models import Evaluation, NoticeKind, Reminder, Step
from matricule.evaluations.services import reminders_send

pytestmark = pytest.mark.django_db


def test_a_reminder_before_the_deadline_once(org, open_cycle, today):
    day = open_cycle.self_deadline - datetime.timedelta(days=2)
    first = reminders_send(today=day)
    agent = org["agents"][0]
    mine = [n for n in first.notices if n.kind == NoticeKind.REMINDER and n.recipients == "officer"]
    assert len(mine) == Evaluation.objects.filter(cycle=open_cycle).count()
    assert (
        Notification.objects.filter(user=org["agent_user"], message__startswith="Rappel").count()
        == 1
    )
    # Again the same day, and the next day: nothing more for that step.
    assert reminders_send(today=day).notices == []
    assert reminders_send(today=day + datetime.timedelta(days=1)).notices == []
    assert Reminder.objects.filter(evaluation__officer=agent).count() == 1


def test_overdue_steps_escalate_to_the_next_level_then_hr(org, open_cycle):
    late = open_cycle.self_deadline + datetime.timedelta(days=1)
    report = reminders_send(today=late)
    agent_evaluation = Evaluation.objects.get(cycle=open_cycle, officer=org["agents"][0])
    notices = [n for n in report.notices if n.evaluation_id == agent_evaluation.pk]
    assert [(n.kind, n.level, n.recipients) for n in notices] == [
        (NoticeKind.ESCALATION, 1, "evaluator")
    ]
    assert Notification.objects.filter(
        user=org["chief_user"], message__startswith="Retard"
    ).exists()
    assert reminders_send(today=late).notices == []  # same day: nothing twice
    a_week = late + datetime.timedelta(days=8)
    second = [
        n for n in reminders_send(today=a_week).notices if n.evaluation_id == agent_evaluation.pk
    ]
    assert [(n.level, n.recipients) for n in second] == [(2, "hr")]
    assert Notification.objects.filter(user=org["hr"], message__startswith="Retard").exists()
    assert reminders_send(today=a_week + datetime.timedelta(days=1)).notices == []
    agent_evaluation.refresh_from_db()
    assert agent_evaluation.escalation_level == 2


def test_dry_run_sends_nothing(org, open_cycle):
    day = open_cycle.self_deadline - datetime.timedelta(days=1)
    out = io.StringIO()
    call_command("evaluation_reminders", "--dry-run", f"--date={day.isoformat()}", stdout=out)
    assert "[essai]" in out.getvalue() and "rappel" in out.getvalue()
    assert not Reminder.objects.exists()
    call_command("evaluation_reminders", f"--date={day.isoformat()}", stdout=out)
    assert Reminder.objects.count() == Evaluation.objects.filter(cycle=open_cycle).count()


def test_past_the_appeal_period_the_evaluation_is_deemed_acknowledged(org, open_cycle, today):
    evaluation = Evaluation.objects.get(cycle=open_cycle, officer=org["agents"][0])
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Step.ACKNOWLEDGEMENT,
        rating_mark=14,
        final_mark=14,
        acknowledge_by=today,
    )
    report = reminders_send(today=today + datetime.timedelta(days=1))
    assert evaluation.pk in report.deemed
    evaluation.refresh_from_db()
    assert evaluation.status == Step.CLOSED
