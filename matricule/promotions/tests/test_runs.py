"""The eligibility run: every officer, frozen inputs, versions and their diff, ranking."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from matricule.evaluations.tests.factories import closed_evaluation_for_test
from matricule.personnel.models import EventKind, Status
from matricule.personnel.services import Act, disciplinary_case_open, event_record
from matricule.promotions.models import Eligibility, EligibilityPhrase, EligibilityRun
from matricule.promotions.selectors.campaigns import phrased, run_diff
from matricule.promotions.services.runs import eligibility_run

pytestmark = pytest.mark.django_db


def _act(n: str) -> Act:
    return Act(kind="decision", number=n, date=datetime.date(2024, 1, 10))


def rows(run):
    return {e.matricule: e for e in phrased(Eligibility.objects.filter(run=run))}


def test_every_officer_has_a_row_with_each_criterion(make_rule, make_campaign, sergeants, hire):
    make_rule(min_average_mark=Decimal(12))
    commissaire = hire(family_name="Maïga", grade="COM", entry_date=datetime.date(2015, 1, 5))
    campaign = make_campaign()
    run = eligibility_run(campaign=campaign, by=None)
    found = rows(run)
    assert set(found) == {o.matricule for o in [*sergeants, commissaire]}
    assert run.officers == 5 and run.version == 1 and run.is_current
    row = found[sergeants[0].matricule]
    assert [c["code"] for c in row.criteria] == [
        "source_grade",
        "years_in_grade",
        "average_mark",
        "sanctions",
        "pending_case",
    ]
    # No rule starts from Commissaire here: the officer is listed, not eligible, and told why.
    other = found[commissaire.matricule]
    assert not other.eligible and other.rule_id is None
    assert "Aucune règle" in other.criteria[0]["text"]


def test_marks_from_evaluations_and_ranking(make_rule, make_campaign, sergeants):
    make_rule(min_average_mark=Decimal(12))
    campaign = make_campaign()
    year = campaign.year - 1
    for officer, mark in zip(
        sergeants, [Decimal(11), Decimal(16), Decimal(14), Decimal(14)], strict=True
    ):
        closed_evaluation_for_test(officer=officer, year=year, mark=mark)
    run = eligibility_run(campaign=campaign, by=None)
    found = rows(run)
    first, second, third, fourth = sergeants
    assert not found[first.matricule].eligible  # 11/20 < 12/20
    ranked = sorted((e for e in found.values() if e.eligible), key=lambda e: e.rank)
    # Third and fourth have the same mark: more years in grade first (third entered earlier).
    assert [e.matricule for e in ranked] == [second.matricule, third.matricule, fourth.matricule]
    assert found[second.matricule].inputs["marks"][0] == [year, "16.00"]


def test_inputs_are_frozen_and_a_rerun_is_a_new_version_with_its_diff(
    make_rule, make_campaign, sergeants, today
):
    make_rule()
    campaign = make_campaign()
    first = eligibility_run(campaign=campaign, by=None)
    officer = sergeants[0]
    assert rows(first)[officer.matricule].eligible
    event_record(
        officer=officer,
        kind=EventKind.SANCTION,
        effective_date=campaign.reference_date - datetime.timedelta(days=40),
        detail="mise à pied de 8 jours",
        sanction_group=2,
        act=_act("2026-77/DGPN"),
        by=None,
    )
    # The published version does not change by itself.
    assert rows(first)[officer.matricule].eligible
    with pytest.raises(ValidationError):
        eligibility_run(campaign=campaign, by=None)  # a re-run needs its reason
    second = eligibility_run(campaign=campaign, by=None, reason="Sanction enregistrée")
    assert second.version == 2 and second.is_current
    assert not EligibilityRun.objects.get(pk=first.pk).is_current
    assert not rows(second)[officer.matricule].eligible
    assert rows(first)[officer.matricule].eligible
    with translation.override("fr"):
        diff = run_diff(viewer=_nobody(), run=second)
    assert [(d.matricule, d.change) for d in diff] == [(officer.matricule, "left")]
    assert "Sanctions" in diff[0].why[0] and "mise à pied" in diff[0].why[0]


def _nobody():
    from matricule.accounts.models import User

    return User(username="x")


def test_suspension_and_pending_case_count(make_rule, make_campaign, hire, today):
    make_rule()
    campaign = make_campaign(reference_date=datetime.date(2026, 10, 1))
    officer = hire(family_name="Dembélé", entry_date=datetime.date(2022, 6, 1))
    event_record(
        officer=officer,
        kind=EventKind.STATUS,
        status=Status.SUSPENDED,
        effective_date=datetime.date(2023, 1, 1),
        act=_act("S-1"),
        by=None,
    )
    event_record(
        officer=officer,
        kind=EventKind.STATUS,
        status=Status.ACTIVE,
        effective_date=datetime.date(2023, 1, 31),
        act=_act("S-2"),
        by=None,
    )
    disciplinary_case_open(
        officer=officer,
        opened_on=datetime.date(2026, 5, 1),
        reference="CD-2026-12",
        subject="Absence",
        by=None,
    )
    row = rows(eligibility_run(campaign=campaign, by=None))[officer.matricule]
    assert row.inputs["excluded_grade_days"] == 30
    by_code = {c["code"]: c for c in row.criteria}
    assert by_code["years_in_grade"]["value"] == "4 ans et 3 mois"
    assert not by_code["pending_case"]["met"]


def test_query_count_does_not_grow_with_officers(
    make_rule, make_campaign, hire, django_assert_max_num_queries
):
    make_rule()
    for i in range(6):
        hire(family_name=f"Agent{'abcdefgh'[i]}")
    campaign = make_campaign()
    with django_assert_max_num_queries(40):
        run = eligibility_run(campaign=campaign, by=None)
    assert run.officers == 6


def test_ocs_member_of_another_corps_is_out_and_a_seconded_police_officer_is_in(
    make_rule, make_campaign, sergeants
):
    """The police campaign counts the OCS marks of a sergeant seconded to the OCS; an OCS
    member from customs is promoted by customs, in no campaign of Matricule."""
    from matricule.core.models import Agency, Unit
    from matricule.personnel.tests.factories import ocs_member_for_test
    from matricule.promotions.services.runs import campaign_create

    make_rule(min_average_mark=Decimal(12))
    seconded = sergeants[1]
    event_record(
        officer=seconded,
        kind=EventKind.SECONDMENT,
        effective_date=datetime.date(2021, 3, 1),
        unit=Unit.objects.get(code="OCS-AIB"),
        act=_act("2021-0301/DET"),
        by=None,
    )
    seconded.refresh_from_db()
    customs = ocs_member_for_test(origin="DOUANES")
    campaign = make_campaign()
    # Rated at the OCS antenna (the host unit), in the police's cycle.
    mark = closed_evaluation_for_test(officer=seconded, year=campaign.year - 1, mark=Decimal(15))
    assert mark.unit.agency.code == "OCS"
    found = rows(eligibility_run(campaign=campaign, by=None))
    assert seconded.matricule in found and customs.matricule not in found
    assert found[seconded.matricule].inputs["marks"][0] == [campaign.year - 1, "15.00"]
    ocs_campaign = campaign_create(
        agency=Agency.objects.get(code="OCS"),
        year=campaign.year,
        name="OCS",
        reference_date=campaign.reference_date,
        effective_date=campaign.effective_date,
        by=None,
    )
    assert customs.matricule not in rows(eligibility_run(campaign=ocs_campaign, by=None))


def test_a_run_freezes_each_sentence_once_in_french_and_english(
    make_rule, make_campaign, sergeants, django_assert_num_queries
):
    make_rule()
    campaign = make_campaign()
    # Asked from an English screen, the run still freezes French first, English beside it.
    with translation.override("en"):
        run = eligibility_run(campaign=campaign, by=None)
    stored = list(EligibilityPhrase.objects.filter(run=run))
    listed = list(Eligibility.objects.filter(run=run))
    numbers = [n for e in listed for n in [*e.criteria_ids, *e.component_ids]]
    # The sergeants share facts (same pending case, same sanctions window…): one phrase each.
    assert len(stored) == len(set(numbers)) < len(numbers)
    with django_assert_num_queries(1):
        french = {e.matricule: e for e in phrased(listed)}
    first = french[sergeants[0].matricule]
    years = next(c for c in first.criteria if c["code"] == "years_in_grade")
    assert "dans le grade (minimum" in years["text"] and years["text"].endswith(": rempli")
    with translation.override("en"):
        english = {e.matricule: e for e in phrased(Eligibility.objects.filter(run=run))}
    years = next(
        c for c in english[sergeants[0].matricule].criteria if c["code"] == "years_in_grade"
    )
    assert "in grade (minimum" in years["text"] and years["text"].endswith(": met")
    assert "ans" not in years["value"] and "year" in years["value"]


def test_the_cohort_is_the_school_promotion_when_recruited_through_matricule(
    make_rule, make_campaign, sergeants
):
    """Recruited through a concours, an officer's cohort is their school promotion
    (recruitment fills the personnel hook); a record from before Matricule keeps its year."""
    from matricule.core.models import Unit
    from matricule.recruitment.models import Cohort, CohortMember
    from matricule.recruitment.tests.factories import candidate_for_test, intake_for_test

    make_rule()
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    candidate.officer = sergeants[0]
    candidate.save(update_fields=["officer"])
    cohort = Cohort.objects.create(
        intake=intake,
        number=42,
        parrain="Commissaire Fanta Diallo",
        school=Unit.objects.filter(agency__code="PN").order_by("path").first(),
        starts_on=datetime.date(2018, 1, 8),
        ends_on=datetime.date(2018, 12, 21),
    )
    CohortMember.objects.create(cohort=cohort, candidate=candidate)
    found = rows(eligibility_run(campaign=make_campaign(), by=None))
    assert found[sergeants[0].matricule].cohort == "42e promotion « Commissaire Fanta Diallo »"
    assert found[sergeants[1].matricule].cohort == str(sergeants[1].entry_date.year)
