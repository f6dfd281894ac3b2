"""Vacancies, boards, decisions against the ranking, fairness, publication, effect, appeals."""

from __future__ import annotations

import datetime
from math import comb

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matricule.core.tests.pdf import tiny_pdf
from matricule.personnel.models import CareerEvent, EventKind, Officer
from matricule.promotions.models import AppealStatus, CampaignStatus, Decision, Eligibility
from matricule.promotions.selectors.fairness import campaign_fairness, fairness_rows
from matricule.promotions.services import appeals, boards, publication, vacancies
from matricule.promotions.services.runs import eligibility_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(make_rule, make_campaign, sergeants, board_for):
    """A campaign before its board: four eligible sergeants, two posts."""
    make_rule()
    campaign = make_campaign()
    run = eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=2, reason="Budget 2026 : deux postes", by=None)
    board = board_for(campaign)
    campaign.refresh_from_db()
    ranked = list(
        Eligibility.objects.filter(run=run, eligible=True)
        .order_by("rank")
        .select_related("officer")
    )
    return campaign, board, [e.officer for e in ranked]


def decide(campaign, officer, outcome="promoted", by=None, **kw):
    return boards.decision_record(campaign=campaign, officer=officer, outcome=outcome, by=by, **kw)


def test_vacancy_proposal_is_stated_and_fixing_needs_a_reason(make_rule, make_campaign, sergeants):
    make_rule()
    campaign = make_campaign()
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    assert set(vacancy.proposal_detail) == {"authorised", "actual", "retirements", "proposed"}
    detail = vacancy.proposal_detail
    assert (
        vacancy.proposed == max(0, detail["authorised"] - detail["actual"]) + detail["retirements"]
    )
    with pytest.raises(ValidationError):
        vacancies.vacancy_fix(vacancy=vacancy, fixed=3, reason=" ", by=None)


def test_promotions_never_exceed_the_vacancies(sitting):
    campaign, _board, ranked = sitting
    decide(campaign, ranked[0])
    decide(campaign, ranked[1])
    with pytest.raises(boards.VacanciesFull):
        decide(campaign, ranked[2], justification="Mérite particulier au service")
    assert Decision.objects.filter(campaign=campaign, outcome="promoted").count() == 2


def test_a_deviation_without_justification_is_refused(sitting):
    campaign, _board, ranked = sitting
    with pytest.raises(ValidationError) as error:
        decide(campaign, ranked[1])  # over the first, still undecided
    assert "justification" in error.value.message_dict
    assert not Decision.objects.exists()
    decision = decide(campaign, ranked[1], justification="Manière de servir exemplaire au Nord")
    assert decision.deviation
    # Passing over an officer ranked above one already promoted is a deviation too.
    with pytest.raises(ValidationError):
        decide(campaign, ranked[0], outcome="not_promoted")
    assert decide(
        campaign, ranked[0], outcome="deferred", justification="Dossier incomplet, ajourné"
    ).deviation


def test_in_order_decisions_need_no_justification(sitting):
    campaign, _board, ranked = sitting
    assert not decide(campaign, ranked[0]).deviation
    assert not decide(campaign, ranked[1]).deviation
    assert not decide(campaign, ranked[3], outcome="not_promoted").deviation


def test_a_member_never_decides_their_own_case(sitting, make_user):
    campaign, board, ranked = sitting
    member = make_user("promotion_board", officer=ranked[0], username="membre-concerne")
    boards.board_member_add(board=board, user=member, by=None)
    with pytest.raises(PermissionDenied):
        decide(campaign, ranked[0], by=member)
    assert decide(campaign, ranked[1], by=member, justification="Le premier est ajourné plus tard")
    outsider = make_user("promotion_board", username="pas-membre")
    with pytest.raises(PermissionDenied):
        decide(campaign, ranked[2], by=outsider, justification="Sans être membre de la commission")


def test_board_members_need_the_role(make_campaign, make_user, board_for):
    campaign = make_campaign()
    clerk = make_user("hr_clerk")
    with pytest.raises(ValidationError):
        board_for(campaign, chair=clerk)


def test_fairness_against_a_hand_checked_fixture():
    # 10 women eligible, 2 promoted; 20 men eligible, 10 promoted.
    eligible = {}
    for i in range(30):
        eligible[i] = {
            "sex": "Féminin" if i < 10 else "Masculin",
            "region": "Gao" if i % 3 == 0 else "Bamako",
            "corps": "Sous-officiers",
            "cohort": "2012",
        }
    selected = {0, 1, *range(10, 20)}
    rows = {(r.dimension, r.group): r for r in fairness_rows(eligible=eligible, selected=selected)}
    women, men = rows[("sex", "Féminin")], rows[("sex", "Masculin")]
    assert (women.eligible, women.selected, women.rate) == (10, 2, 0.2)
    assert (men.eligible, men.selected, men.rate) == (20, 10, 0.5)
    assert women.impact_ratio == 0.4 and women.flagged
    assert men.impact_ratio == 1.0 and not men.flagged

    # Two-sided Fisher p-value by hand: tables with the women's count as likely or less.
    def prob(k):
        return comb(10, k) * comb(20, 12 - k) / comb(30, 12)

    observed = prob(2)
    expected = sum(prob(k) for k in range(0, 11) if prob(k) <= observed * (1 + 1e-7))
    assert women.fisher_p == pytest.approx(expected, abs=1e-6)
    assert women.fisher_p == pytest.approx(0.2353, abs=1e-4)
    assert rows[("corps", "Sous-officiers")].fisher_p is None  # no rest to compare with


def test_publication_needs_the_chairs_acknowledgement_then_effect_records_grades(
    sitting, make_user, today
):
    campaign, board, ranked = sitting
    decide(campaign, ranked[0])
    decide(campaign, ranked[2], justification="Mérite exceptionnel lors de la crise de Ménaka")
    with pytest.raises(ValidationError):
        publication.campaign_publish(campaign=campaign, by=None)
    with pytest.raises(PermissionDenied):
        boards.audit_acknowledge(
            board=board, comment="Vu", fairness=[], by=make_user("promotion_board")
        )
    rows = [r.as_dict() for r in campaign_fairness(campaign)]
    boards.audit_acknowledge(
        board=board, comment="Écart femmes/hommes noté.", fairness=rows, by=board.chair
    )
    publication.campaign_publish(campaign=campaign, by=None)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED and campaign.fairness_snapshot
    done = publication.campaign_effect(campaign=campaign, by=None, today=today)
    assert done == 2
    sgc = Decision.objects.filter(campaign=campaign, outcome="promoted").first().target_grade
    for officer in (ranked[0], ranked[2]):
        officer = Officer.objects.get(pk=officer.pk)
        assert officer.grade == sgc
        event = CareerEvent.objects.get(officer=officer, kind=EventKind.GRADE)
        assert (
            event.act_number.endswith("/PN/AV") and event.effective_date == campaign.effective_date
        )
    assert Officer.objects.get(pk=ranked[1].pk).grade != sgc
    assert publication.campaign_effect(campaign=campaign, by=None, today=today) == 0


def test_effect_waits_for_the_effective_date(sitting, today):
    campaign, _board, _ranked = sitting
    campaign.effective_date = today + datetime.timedelta(days=5)
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save()
    with pytest.raises(ValidationError):
        publication.campaign_effect(campaign=campaign, by=None, today=today)


def test_an_appeal_within_the_delay_granted_produces_a_decision(sitting, make_user, today):
    campaign, board, ranked = sitting
    decide(campaign, ranked[0])
    boards.audit_acknowledge(board=board, comment="Rien à signaler.", fairness=[], by=board.chair)
    publication.campaign_publish(campaign=campaign, by=None)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        appeals.appeal_file(
            campaign=campaign, officer=ranked[1], reason="court", scan=b"x", by=None
        )
    appeal = appeals.appeal_file(
        campaign=campaign,
        officer=ranked[1],
        reason="Mon ancienneté est mal comptée : voir l'arrêté joint.",
        scan=tiny_pdf(),
        by=None,
    )
    late = today + datetime.timedelta(days=campaign.appeal_days + 1)
    with pytest.raises(ValidationError):
        appeals.appeal_file(
            campaign=campaign,
            officer=ranked[2],
            reason="Trop tard pour ce recours.",
            scan=tiny_pdf(),
            by=None,
            today=late,
        )
    director = make_user("hr_director")
    appeals.appeal_decide(
        appeal=appeal, granted=True, answer="Ancienneté recalculée : recours fondé.", by=director
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.GRANTED
    decision = Decision.objects.get(campaign=campaign, officer=ranked[1])
    assert decision.outcome == "promoted" and decision.from_appeal and decision.act_number


def test_the_daily_command_puts_due_promotions_into_effect(sitting):
    import io

    from django.core.management import call_command

    campaign, board, ranked = sitting
    decide(campaign, ranked[0])
    boards.audit_acknowledge(board=board, comment="Rien à signaler.", fairness=[], by=board.chair)
    publication.campaign_publish(campaign=campaign, by=None)
    out = io.StringIO()
    call_command("promotions_effect_due", "--dry-run", stdout=out)
    assert "1 avancement(s) à prononcer." in out.getvalue()
    assert not CareerEvent.objects.filter(officer=ranked[0], kind=EventKind.GRADE).exists()
    call_command("promotions_effect_due", stdout=out)
    assert CareerEvent.objects.filter(officer=ranked[0], kind=EventKind.GRADE).exists()
