"""Evaluation and promotion sections: completion and marks, eligible against promoted, fairness."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

COMPONENTS = [
    ("years_in_grade", Decimal("2"), None),
    ("years_of_service", Decimal("1"), Decimal("30")),
]


@pytest.fixture
def marked(force: dict[str, Any]) -> Any:
    from matricule.evaluations.tests.factories import closed_evaluation_for_test

    year = timezone.localdate().year - 1
    closed_evaluation_for_test(officer=force["awa"], year=year, mark=Decimal("15.5"))
    closed_evaluation_for_test(officer=force["bakary"], year=year, mark=Decimal("11"))
    return closed_evaluation_for_test(officer=force["cheick"], year=year, mark=Decimal("7"))


@pytest.fixture
def campaign(mali: Any, hire: Any, make_user: Any) -> Any:
    from matricule.core.models import Grade
    from matricule.promotions.services import boards, vacancies
    from matricule.promotions.services.boards import board_create
    from matricule.promotions.services.rules import rule_version_create
    from matricule.promotions.services.runs import campaign_create, eligibility_run

    today = timezone.localdate()
    grades = {
        g.code: g
        for g in Grade.objects.filter(statute__agency=mali, statute__effective_to__isnull=True)
    }
    for i, name in enumerate(["Diarra", "Keita", "Coulibaly", "Sidibé"]):
        hire(
            family_name=name,
            given_names="Awa" if i % 2 else "Moussa",
            sex="F" if i % 2 else "M",
            entry_date=datetime.date(2012 + i, 10, 1),
        )
    rule_version_create(
        agency=mali,
        target_grade=grades["SGC"],
        route="choice",
        valid_from=datetime.date(2020, 1, 1),
        source_grades=[grades["SGT"]],
        required_courses=(),
        components=COMPONENTS,
        values={
            "min_years_in_grade": 4,
            "min_years_of_service": 0,
            "min_average_mark": None,
            "mark_cycles": 3,
            "missing_cycles": "skip",
            "max_sanction_group": 1,
            "sanction_years": 3,
            "no_pending_case": True,
            "max_age": None,
            "min_exam_score": None,
            "service_cap_years": 30,
            "note": "",
        },
        by=None,
    )
    ref = today - datetime.timedelta(days=30)
    campaign = campaign_create(
        agency=mali,
        year=ref.year,
        name=f"Tableau d'avancement {ref.year}",
        reference_date=ref,
        effective_date=today,
        by=None,
    )
    run = eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=1, reason="Budget : un poste", by=None)
    board_create(
        campaign=campaign,
        name="Commission",
        chair=make_user("promotion_board", username="president"),
        members=(),
        by=None,
    )
    campaign.refresh_from_db()
    first = run.rows.filter(eligible=True).order_by("rank").first()
    boards.decision_record(campaign=campaign, officer=first.officer, outcome="promoted", by=None)
    return campaign


def test_evaluation_report_counts_completion_and_marks_per_corps(marked, cast):
    from matricule.reports.selectors.careers import evaluation_report

    report = evaluation_report(viewer=cast["director"], cycle=marked.cycle)
    assert report.completion.totals.total == 3
    (dist,) = report.marks
    assert dict(zip(["< 8", "8–10", "10–12", "12–14", "14–16"], dist.counts, strict=False)) == {
        "< 8": 1,
        "8–10": 0,
        "10–12": 1,
        "12–14": 0,
        "14–16": 1,
    }


def test_a_bamako_clerk_sees_bamako_evaluations_only(marked, cast):
    from matricule.reports.selectors.careers import evaluation_report

    report = evaluation_report(viewer=cast["kayes_clerk"], cycle=marked.cycle)
    assert sum(d.total for d in report.marks) == 1  # Bakary, in Kayes today


@pytest.mark.parametrize(
    ("who", "expected"),
    [("director", 200), ("inspector", 200), ("bamako_clerk", 200), ("officer", 403)],
)
def test_evaluations_screen_role_matrix(client, login, marked, cast, who, expected):
    login(cast[who])
    response = client.get(reverse("reports:evaluations"))
    assert response.status_code == expected
    if expected == 200:
        assert "<svg" in response.content.decode()


def test_unknown_cycle_is_not_found(client, login, marked, cast):
    login(cast["director"])
    assert client.get(reverse("reports:evaluations") + "?cycle=999999").status_code == 404
    assert client.get(reverse("reports:evaluations") + "?cycle=abc").status_code == 404


def test_promotion_report_eligible_promoted_and_fairness(campaign, cast):
    from matricule.reports.selectors.careers import promotion_report

    report = promotion_report(viewer=cast["director"], campaign=campaign)
    (grade,) = report.grades
    assert (grade.eligible, grade.promoted) == (4, 1)
    assert {r.dimension for r in report.fairness} >= {"sex"}
    assert sum(r.selected for r in report.fairness if r.dimension == "sex") == 1


@pytest.mark.parametrize(
    ("who", "expected"),
    [("director", 200), ("inspector", 200), ("bamako_clerk", 403), ("officer", 403)],
)
def test_promotions_screen_role_matrix(client, login, campaign, cast, who, expected):
    login(cast[who])
    response = client.get(reverse("reports:promotions"))
    assert response.status_code == expected
    if expected == 200:
        assert 'data-testid="fairness-table"' in response.content.decode()


def test_the_dashboard_alerts_on_overdue_evaluations(client, login, force, cast):
    login(cast["director"])
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "évaluation" in html and "en retard" in html


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_evaluation_and_promotion_reports_export(client, login, marked, campaign, cast, fmt):
    login(cast["director"])
    for report, param in (("evaluations", f"cycle={marked.cycle_id}"), ("promotions", "")):
        url = reverse("reports:export", args=[report, fmt]) + "?" + param
        response = client.get(url)
        assert response.status_code == 200, report
        assert response.content[:4] in (b"%PDF", b"PK\x03\x04")


def test_section_exports_refuse_who_may_not_read_them(client, login, marked, cast):
    login(cast["bamako_clerk"])
    assert client.get(reverse("reports:export", args=["promotions", "xlsx"])).status_code == 403
    assert client.get(reverse("reports:export", args=["deployments", "xlsx"])).status_code == 403
    url = reverse("reports:export", args=["evaluations", "xlsx"]) + "?cycle=99999999"
    assert client.get(url).status_code == 404
