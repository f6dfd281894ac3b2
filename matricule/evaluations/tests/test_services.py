"""Resolution of raters, cycle opening with exclusions, and every step of the machine."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from matricule.core.audit_labels import action_label
from matricule.core.models import AuditEntry, Unit
from matricule.evaluations import services as s
from matricule.evaluations.models import Evaluation, Exclusion, ExclusionReason, Step
from matricule.evaluations.selectors import hr_queue, inbox, next_in_inbox
from matricule.personnel.models import EventKind, Status
from matricule.personnel.services import Act, ConflictError, event_record

pytestmark = pytest.mark.django_db
D = datetime.date


# --- who rates whom ---------------------------------------------------------------------


def test_an_agent_is_rated_by_the_head_of_unit_and_reviewed_by_the_level_above(org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    assert evaluation.evaluator_id == org["chief"].pk
    assert evaluation.reviewer_id == org["director"].pk
    assert evaluation.status == Step.SELF


def test_the_head_is_rated_by_the_head_of_the_parent_unit(org, evaluation_of):
    evaluation = evaluation_of(org["chief"])
    assert evaluation.evaluator_id == org["director"].pk
    assert evaluation.reviewer_id == org["dg"].pk


def test_the_top_of_the_tree_lands_in_the_hr_queue(org, evaluation_of):
    top = evaluation_of(org["dg"])
    assert top.evaluator_id is None and top.reviewer_id is None
    director = evaluation_of(org["director"])
    assert director.evaluator_id == org["dg"].pk and director.reviewer_id is None
    queued = set(hr_queue(viewer=org["hr"]).values_list("officer_id", flat=True))
    assert {org["dg"].pk, org["director"].pk} <= queued
    assert org["agents"][0].pk not in queued
    assert not hr_queue(viewer=org["hr_gao"]).filter(officer=org["dg"]).exists()


def test_a_vacant_unit_sends_its_staff_to_the_hr_queue(org, open_cycle, evaluation_of):
    gao = evaluation_of(org["gao_officer"])
    assert gao.evaluator_id is None
    assert hr_queue(viewer=org["hr"]).filter(pk=gao.pk).exists()


def test_a_seconded_officer_is_rated_in_the_host_unit(org, hire, appoint, mali, today):
    host = Unit.objects.get(code="OCS-ANT-GAO")
    seconded = hire(unit="BKO-CA02", family_name="Sangare", given_names="Ali")
    host_head = hire(unit="BKO-CA03", family_name="Toure", given_names="Amadou", grade="CNE")
    for officer in (seconded, host_head):
        event_record(
            officer=officer,
            kind=EventKind.SECONDMENT,
            effective_date=D(2021, 3, 1),
            unit=host,
            act=Act(kind="arrete", number="DET-1", date=D(2021, 2, 1)),
            by=None,
        )
    appoint(host_head, "OCS-ANT-GAO", D(2021, 3, 2))
    raters = s.raters_for(officer_id=seconded.pk, unit_id=host.pk, on=today)
    assert raters.evaluator_id == host_head.pk
    cycle = s.cycle_open(
        agency=mali,
        year=today.year,
        unit=Unit.objects.get(code="BKO-CA02"),
        period_start=D(today.year, 1, 1),
        period_end=D(today.year, 12, 31),
        reference_date=today,
        self_deadline=today + datetime.timedelta(days=5),
        rating_deadline=today + datetime.timedelta(days=6),
        review_deadline=today + datetime.timedelta(days=7),
        by=None,
    ).cycle
    evaluation = Evaluation.objects.get(cycle=cycle, officer=seconded)
    assert evaluation.unit_id == host.pk and evaluation.evaluator_id == host_head.pk


def test_hr_reassigns_with_a_reason_and_nobody_rates_themselves(org, evaluation_of):
    top = evaluation_of(org["dg"])
    with pytest.raises(ValidationError) as caught:
        s.evaluation_reassign(
            evaluation=top, evaluator=org["dg"], reason="Désignation", by=org["hr"]
        )
    assert "evaluator" in caught.value.message_dict
    with pytest.raises(ValidationError):
        s.evaluation_reassign(
            evaluation=top,
            evaluator=org["director"],
            reviewer=org["director"],
            reason="Désignation",
            by=org["hr"],
        )
    with pytest.raises(ValidationError):
        s.evaluation_reassign(evaluation=top, evaluator=org["director"], reason=" ", by=org["hr"])
    with pytest.raises(PermissionDenied):
        s.evaluation_reassign(
            evaluation=top, evaluator=org["director"], reason="Désignation", by=org["hr_gao"]
        )
    done = s.evaluation_reassign(
        evaluation=top, evaluator=org["director"], reason="Intérim du DG", by=org["hr"]
    )
    assert done.evaluator_id == org["director"].pk
    entry = AuditEntry.objects.filter(action="evaluation.reassign").latest("id")
    assert entry.after["reason"] == "Intérim du DG"
    assert action_label("evaluation.reassign") != "evaluation.reassign"


def test_the_database_refuses_self_rating(org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(evaluator=org["agents"][0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(reviewer=org["chief"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(status="bogus")


# --- cycles and exclusions --------------------------------------------------------------


def test_opening_excludes_with_reasons_and_hr_may_reinstate(org, hire, mali, today):
    newcomer = hire(
        unit="BKO-CA01",
        family_name="Nouveau",
        given_names="Issa",
        entry_date=today - datetime.timedelta(days=60),
        birth_date=D(2000, 1, 1),
    )
    suspended = hire(unit="BKO-CA01", family_name="Suspendu", given_names="Ali")
    on_leave = hire(unit="BKO-CA01", family_name="Conge", given_names="Fanta", sex="F")
    event_record(
        officer=suspended,
        kind=EventKind.STATUS,
        status=Status.SUSPENDED,
        effective_date=today - datetime.timedelta(days=20),
        by=None,
    )
    event_record(
        officer=on_leave,
        kind=EventKind.STATUS,
        status=Status.LEAVE,
        effective_date=today - datetime.timedelta(days=200),
        by=None,
    )
    report = s.cycle_open(
        agency=mali,
        year=today.year,
        period_start=D(today.year, 1, 1),
        period_end=D(today.year, 12, 31),
        reference_date=today,
        self_deadline=today + datetime.timedelta(days=10),
        rating_deadline=today + datetime.timedelta(days=20),
        review_deadline=today + datetime.timedelta(days=30),
        by=org["hr"],
    )
    reasons = dict(Exclusion.objects.filter(cycle=report.cycle).values_list("officer_id", "reason"))
    assert reasons == {
        newcomer.pk: ExclusionReason.PRESENCE,
        suspended.pk: ExclusionReason.SUSPENDED,
        on_leave.pk: ExclusionReason.LEAVE,
    }
    assert report.excluded == {"presence": 1, "suspended": 1, "leave": 1}
    assert report.created == Evaluation.objects.filter(cycle=report.cycle).count() == 7
    exclusion = Exclusion.objects.get(officer=newcomer)
    assert "mois de présence" in exclusion.detail
    evaluation = s.exclusion_reinstate(exclusion=exclusion, reason="Présence réelle", by=org["hr"])
    assert evaluation.officer_id == newcomer.pk and evaluation.evaluator_id == org["chief"].pk
    with pytest.raises(ValidationError):
        s.exclusion_reinstate(exclusion=exclusion, reason="Encore", by=org["hr"])


def test_a_cycle_opens_once_per_year_and_only_for_hr_of_the_agency(org, open_cycle, mali, today):
    kwargs = {
        "agency": mali,
        "year": today.year,
        "period_start": D(today.year, 1, 1),
        "period_end": D(today.year, 12, 31),
        "reference_date": today,
        "self_deadline": today,
        "rating_deadline": today,
        "review_deadline": today,
    }
    with pytest.raises(ValidationError):
        s.cycle_open(**kwargs, by=None)
    with pytest.raises(PermissionDenied):
        s.cycle_open(**{**kwargs, "year": today.year + 1}, by=org["hr_gao"])
    with pytest.raises(PermissionDenied):
        s.cycle_open(**{**kwargs, "year": today.year + 1}, by=org["clerk"])


def test_extending_and_reopening_are_audited(org, open_cycle, today):
    later = today + datetime.timedelta(days=40)
    cycle = s.cycle_extend(
        cycle=open_cycle,
        version=open_cycle.version,
        self_deadline=later,
        rating_deadline=later,
        review_deadline=later,
        reason="Élections",
        by=org["hr"],
    )
    with pytest.raises(ConflictError):
        s.cycle_extend(
            cycle=open_cycle,
            version=open_cycle.version,
            self_deadline=later,
            rating_deadline=later,
            review_deadline=later,
            reason="Encore",
            by=org["hr"],
        )
    s.cycle_close(cycle=cycle, by=org["hr"])
    s.cycle_reopen(cycle=cycle, reason="Recours tardifs", by=org["hr"])
    actions = list(
        AuditEntry.objects.filter(object_id=str(cycle.pk), action__startswith="evaluation.cycle")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "evaluation.cycle.extend",
        "evaluation.cycle.close",
        "evaluation.cycle.reopen",
    ]


# --- the steps ----------------------------------------------------------------------------


def _rate(org, evaluation, full_scores, value="15"):
    return s.evaluation_rate(
        evaluation=evaluation,
        version=evaluation.version,
        scores=full_scores(evaluation, value),
        comment="Agent sérieux.",
        by=org["chief_user"],
    )


def test_a_cycle_runs_end_to_end_with_an_appeal(org, evaluation_of, full_scores):
    evaluation = evaluation_of(org["agents"][0])
    evaluation = s.evaluation_self_assess(
        evaluation=evaluation,
        version=evaluation.version,
        comment="Mon année.",
        by=org["agent_user"],
    )
    assert evaluation.status == Step.RATING
    evaluation = _rate(org, evaluation, full_scores, "15")
    assert evaluation.status == Step.REVIEW and evaluation.rating_mark == Decimal("15.00")
    evaluation = s.evaluation_review(
        evaluation=evaluation,
        version=evaluation.version,
        decision="adjust",
        mark=Decimal("14.5"),
        justification="Ramené à la moyenne de la direction.",
        by=org["director_user"],
    )
    assert evaluation.status == Step.ACKNOWLEDGEMENT and evaluation.final_mark == Decimal("14.5")
    evaluation = s.evaluation_appeal(
        evaluation=evaluation,
        version=evaluation.version,
        reason="Mes résultats de l'année justifient la note initiale.",
        by=org["agent_user"],
    )
    assert evaluation.status == Step.APPEAL
    evaluation = s.evaluation_appeal_decide(
        evaluation=evaluation,
        version=evaluation.version,
        decision="revised",
        mark=Decimal("15"),
        reasons="La commission retient la note du supérieur.",
        by=org["hr"],
    )
    assert evaluation.status == Step.CLOSED and evaluation.final_mark == Decimal("15")
    actions = set(
        AuditEntry.objects.filter(object_id=str(evaluation.pk)).values_list("action", flat=True)
    )
    assert {
        "evaluation.self_assess",
        "evaluation.rate",
        "evaluation.review",
        "evaluation.appeal",
        "evaluation.appeal_decide",
    } <= actions
    from matricule.accounts.models import Notification

    assert Notification.objects.filter(user=org["agent_user"]).exists()
    assert Notification.objects.filter(user=org["director_user"]).exists()


def test_the_weighted_mark_follows_the_weights(org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    criteria = list(evaluation.form.criteria.all())
    scores = {c.pk: Decimal("20") if c.weight == 2 else Decimal("10") for c in criteria}
    # Weights 2, 2, 1, 1, 1: (20*4 + 10*3) / 7 = 15.714…
    assert s.weighted_mark(scores, criteria, Decimal("20")) == Decimal("15.71")


@pytest.mark.parametrize("who", ["agent_user", "director_user", "hr", "other_agent_user"])
def test_only_the_evaluator_rates(org, evaluation_of, full_scores, who, today):
    evaluation = evaluation_of(org["agents"][0])
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Step.RATING)
    evaluation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        s.evaluation_rate(
            evaluation=evaluation,
            version=evaluation.version,
            scores=full_scores(evaluation),
            comment="x",
            by=org[who],
        )
    assert Evaluation.objects.get(pk=evaluation.pk).status == Step.RATING


def test_wrong_step_and_stale_form_are_refused(org, evaluation_of, full_scores):
    evaluation = evaluation_of(org["agents"][0])
    # Rating before the self-assessment deadline: still the officer's step.
    with pytest.raises(ValidationError):
        _rate(org, evaluation, full_scores)
    with pytest.raises(ValidationError):
        s.evaluation_acknowledge(
            evaluation=evaluation, version=evaluation.version, by=org["agent_user"]
        )
    stale = evaluation.version
    s.evaluation_self_assess(
        evaluation=evaluation, version=stale, comment="Fait.", by=org["agent_user"]
    )
    with pytest.raises(ConflictError):
        s.evaluation_rate(
            evaluation=evaluation,
            version=stale,
            scores=full_scores(evaluation),
            comment="Bien.",
            by=org["chief_user"],
        )
    assert Evaluation.objects.get(pk=evaluation.pk).status == Step.RATING


def test_scores_follow_the_form(org, evaluation_of, full_scores):
    evaluation = evaluation_of(org["agents"][0])
    evaluation = s.evaluation_self_assess(
        evaluation=evaluation, version=evaluation.version, comment="Fait.", by=org["agent_user"]
    )
    scores = full_scores(evaluation)
    first = next(iter(scores))
    scores[first] = s.ScoreInput(Decimal("15.3"), "")
    with pytest.raises(ValidationError) as caught:
        s.evaluation_rate(
            evaluation=evaluation,
            version=evaluation.version,
            scores=scores,
            comment="",
            by=org["chief_user"],
        )
    assert f"score_{first}" in caught.value.message_dict
    assert "rating_comment" in caught.value.message_dict
    scores.pop(first)
    with pytest.raises(ValidationError):
        s.evaluation_rate(
            evaluation=evaluation,
            version=evaluation.version,
            scores=scores,
            comment="Bien.",
            by=org["chief_user"],
        )


def test_a_low_mark_needs_a_comment_when_the_form_says_so(org, evaluation_of, full_scores):
    evaluation = evaluation_of(org["agents"][0])
    form = evaluation.form
    form.comment_below = Decimal("8")
    form.save(update_fields=["comment_below"])
    evaluation = s.evaluation_self_assess(
        evaluation=evaluation, version=evaluation.version, comment="Fait.", by=org["agent_user"]
    )
    scores = {c.pk: s.ScoreInput(Decimal("6"), "") for c in form.criteria.all()}
    with pytest.raises(ValidationError) as caught:
        s.evaluation_rate(
            evaluation=evaluation,
            version=evaluation.version,
            scores=scores,
            comment="Insuffisant.",
            by=org["chief_user"],
        )
    assert any(key.startswith("comment_") for key in caught.value.message_dict)


def test_an_adjustment_needs_a_justification_and_the_evaluator_cannot_review(
    org, evaluation_of, full_scores
):
    evaluation = evaluation_of(org["agents"][0])
    evaluation = s.evaluation_self_assess(
        evaluation=evaluation, version=evaluation.version, comment="Fait.", by=org["agent_user"]
    )
    evaluation = _rate(org, evaluation, full_scores)
    with pytest.raises(ValidationError) as caught:
        s.evaluation_review(
            evaluation=evaluation,
            version=evaluation.version,
            decision="adjust",
            mark=Decimal("12"),
            by=org["director_user"],
        )
    assert "review_justification" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        s.evaluation_review(
            evaluation=evaluation,
            version=evaluation.version,
            decision="agree",
            by=org["chief_user"],
        )
    with pytest.raises(PermissionDenied):
        s.evaluation_review(
            evaluation=evaluation, version=evaluation.version, decision="agree", by=org["hr"]
        )
    done = s.evaluation_review(
        evaluation=evaluation, version=evaluation.version, decision="agree", by=org["director_user"]
    )
    assert done.final_mark == Decimal("15.00")
    closed = s.evaluation_acknowledge(evaluation=done, version=done.version, by=org["agent_user"])
    assert closed.status == Step.CLOSED


def test_the_self_assessment_may_be_skipped_after_its_deadline(
    org, evaluation_of, full_scores, today
):
    evaluation = evaluation_of(org["agents"][0])
    with pytest.raises(ValidationError):
        s.evaluation_self_skip(
            evaluation=evaluation, version=evaluation.version, by=org["chief_user"]
        )
    cycle = evaluation.cycle
    type(cycle).objects.filter(pk=cycle.pk).update(self_deadline=today - datetime.timedelta(days=1))
    evaluation = evaluation_of(org["agents"][0])
    rated = _rate(org, evaluation, full_scores)
    assert rated.status == Step.REVIEW and rated.self_skipped


def test_an_appeal_after_the_period_is_refused(org, evaluation_of, full_scores, today):
    evaluation = evaluation_of(org["agents"][0])
    evaluation = s.evaluation_self_assess(
        evaluation=evaluation, version=evaluation.version, comment="Fait.", by=org["agent_user"]
    )
    evaluation = _rate(org, evaluation, full_scores)
    evaluation = s.evaluation_review(
        evaluation=evaluation, version=evaluation.version, decision="agree", by=org["director_user"]
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(
        acknowledge_by=today - datetime.timedelta(days=1)
    )
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError):
        s.evaluation_appeal(
            evaluation=evaluation,
            version=evaluation.version,
            reason="Trop tard mais je tente.",
            by=org["agent_user"],
        )


def test_the_inbox_lists_what_to_rate_and_review_and_moves_on(
    org, evaluation_of, full_scores, today
):
    for agent in org["agents"]:
        e = evaluation_of(agent)
        s.evaluation_self_assess(
            evaluation=e,
            version=e.version,
            comment="Fait.",
            by=next(
                u for u in (org["agent_user"], org["other_agent_user"]) if u.officer_id == agent.pk
            ),
        ) if agent.pk in (
            org["agent_user"].officer_id,
            org["other_agent_user"].officer_id,
        ) else None
    rows = list(inbox(viewer=org["chief_user"]))
    assert {e.officer_id for e in rows} == {a.pk for a in org["agents"]}
    first = evaluation_of(org["agents"][0])
    following = next_in_inbox(viewer=org["chief_user"], after=first)
    assert following is not None and following.officer_id == org["agents"][1].pk
    assert list(inbox(viewer=org["agent_user"])) == []
