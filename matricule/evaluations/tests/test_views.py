"""Screens: role matrix on every view, a head of unit rating in a row, query counts."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matricule.evaluations import services as s
from matricule.evaluations.models import Evaluation, Exclusion, Step
from matricule.personnel.models import RecordAccess

pytestmark = pytest.mark.django_db


def _status(client, login, org, who, url, method="get", data=None):
    if who != "anonymous":
        login(org[who])
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("agent_user", 200),
        ("other_agent_user", 404),
        ("chief_user", 200),
        ("director_user", 200),
        ("hr", 200),
        ("inspector", 200),
        ("hr_gao", 404),
        ("gao_user", 404),
    ],
)
def test_the_evaluation_page_matrix(client, login, org, evaluation_of, who, expected):
    evaluation = evaluation_of(org["agents"][0])
    url = reverse("evaluations:detail", args=[evaluation.pk])
    assert _status(client, login, org, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("agent_user", 403),
        ("chief_user", 403),
        ("clerk", 200),
        ("hr", 200),
        ("inspector", 200),
    ],
)
@pytest.mark.parametrize("name", ["cycle_detail", "calibration", "exclusions"])
def test_cycle_screens_are_for_hr_and_inspectors(
    client, login, org, open_cycle, who, expected, name
):
    url = reverse(f"evaluations:{name}", args=[open_cycle.pk])
    assert _status(client, login, org, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("agent_user", 403), ("clerk", 403), ("inspector", 403), ("hr", 200)],
)
@pytest.mark.parametrize("name", ["hr_queue", "cycle_open", "form_create"])
def test_management_screens_are_for_the_hr_director(
    client, login, org, open_cycle, who, expected, name
):
    assert _status(client, login, org, who, reverse(f"evaluations:{name}")) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("agent_user", 200), ("chief_user", 200), ("hr", 200)],
)
@pytest.mark.parametrize("name", ["inbox", "my_evaluations", "cycle_list", "form_list"])
def test_lists_answer_everyone_signed_in_with_the_right(
    client, login, org, open_cycle, who, expected, name
):
    status = _status(client, login, org, who, reverse(f"evaluations:{name}"))
    if name in ("cycle_list", "form_list") and who in ("agent_user", "chief_user"):
        expected = 403
    assert status == expected


def test_a_head_of_unit_rates_in_a_row(
    client, login, org, open_cycle, today, django_assert_max_num_queries
):
    Evaluation.objects.filter(cycle=open_cycle).update(status=Step.RATING)
    login(org["chief_user"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:inbox"))
    assert page.status_code == 200
    rows = list(page.context["rows"])
    assert {e.officer_id for e in rows} == {a.pk for a in org["agents"]}
    current = page.context["first"]
    seen = []
    for _ in range(len(rows)):
        detail = client.get(reverse("evaluations:detail", args=[current.pk]))
        form = detail.context["rate_form"]
        data = {"version": current.version, "rating_comment": "Bon agent."}
        for c in form.criteria:
            data[f"score_{c.pk}"] = "14.5"
            data[f"comment_{c.pk}"] = ""
        response = client.post(reverse("evaluations:rate", args=[current.pk]), data)
        assert response.status_code == 302
        seen.append(current.pk)
        if response.url == reverse("evaluations:inbox"):
            break
        current = Evaluation.objects.get(pk=int(response.url.strip("/").split("/")[-1]))
    assert len(seen) == 3
    assert (
        Evaluation.objects.filter(
            pk__in=seen, status=Step.REVIEW, rating_mark=Decimal("14.5")
        ).count()
        == 3
    )


def test_a_stale_rating_form_gets_409_and_saves_nothing(client, login, org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Step.RATING, version=5)
    login(org["chief_user"])
    data = {"version": 4, "rating_comment": "Bon."}
    for c in evaluation.form.criteria.all():
        data[f"score_{c.pk}"] = "12"
    response = client.post(reverse("evaluations:rate", args=[evaluation.pk]), data)
    assert response.status_code == 409
    assert Evaluation.objects.get(pk=evaluation.pk).status == Step.RATING


def test_someone_else_cannot_post_a_rating(client, login, org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Step.RATING)
    login(org["inspector"])
    response = client.post(reverse("evaluations:rate", args=[evaluation.pk]), {"version": 1})
    assert response.status_code == 403
    login(org["other_agent_user"])
    response = client.post(reverse("evaluations:rate", args=[evaluation.pk]), {"version": 1})
    assert response.status_code == 404


def test_reading_a_mark_is_logged_except_by_the_officer(client, login, org, evaluation_of):
    evaluation = evaluation_of(org["agents"][0])
    login(org["agent_user"])
    client.get(reverse("evaluations:detail", args=[evaluation.pk]))
    assert not RecordAccess.objects.filter(officer=org["agents"][0]).exists()
    login(org["inspector"])
    client.get(reverse("evaluations:detail", args=[evaluation.pk]))
    access = RecordAccess.objects.get(officer=org["agents"][0], viewer=org["inspector"])
    assert "evaluation" in access.classes


def test_the_officer_acknowledges_from_moi(client, login, org, evaluation_of, full_scores):
    evaluation = evaluation_of(org["agents"][0])
    evaluation = s.evaluation_self_assess(
        evaluation=evaluation, version=evaluation.version, comment="Fait.", by=org["agent_user"]
    )
    evaluation = s.evaluation_rate(
        evaluation=evaluation,
        version=evaluation.version,
        scores=full_scores(evaluation),
        comment="Bien.",
        by=org["chief_user"],
    )
    evaluation = s.evaluation_review(
        evaluation=evaluation, version=evaluation.version, decision="agree", by=org["director_user"]
    )
    login(org["agent_user"])
    page = client.get(reverse("evaluations:my_evaluations"))
    assert "Prendre connaissance" in page.content.decode()
    response = client.post(
        reverse("evaluations:acknowledge", args=[evaluation.pk]), {"version": evaluation.version}
    )
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).status == Step.CLOSED


def test_dashboard_export_and_pdf(
    client, login, org, open_cycle, evaluation_of, django_assert_max_num_queries
):
    login(org["hr"])
    url = reverse("evaluations:cycle_detail", args=[open_cycle.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    export = client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert any("DGPN" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    pdf = client.get(reverse("evaluations:sheet_pdf", args=[evaluation_of(org["agents"][0]).pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    calibration = client.get(
        reverse("evaluations:calibration", args=[open_cycle.pk]) + "?format=xlsx"
    )
    assert calibration.status_code == 200


def test_hr_opens_a_cycle_on_screen(client, login, org, mali, today):
    login(org["hr"])
    year = today.year + 1
    response = client.post(
        reverse("evaluations:cycle_open"),
        {
            "agency": "PN",
            "year": year,
            "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31",
            "reference_date": f"{year}-06-30",
            "self_deadline": f"{year}-07-15",
            "rating_deadline": f"{year}-07-30",
            "review_deadline": f"{year}-08-15",
            "appeal_days": 15,
            "reminder_days": 3,
            "min_presence_months": 0,
            "exclude_leave": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Evaluation.objects.filter(cycle__year=year).count() >= 5


def test_hr_reassigns_and_reinstates_on_screen(client, login, org, open_cycle, evaluation_of):
    login(org["hr"])
    top = evaluation_of(org["dg"])
    response = client.post(
        reverse("evaluations:reassign", args=[top.pk]),
        {"evaluator": org["director"].matricule, "reviewer": "", "reason": "Intérim"},
    )
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=top.pk).evaluator_id == org["director"].pk
    exclusion = Exclusion.objects.filter(cycle=open_cycle).first()
    assert exclusion is None or exclusion.pk


def test_forms_are_maintained_on_screen(client, login, org, open_cycle, mali):
    from matricule.core.models import Corps

    login(org["hr"])
    corps = Corps.objects.get(agency=mali, code="OF")
    response = client.post(
        reverse("evaluations:form_create"),
        {
            "corps": corps.pk,
            "name": "Fiche des officiers 2030",
            "valid_from": "2030-01-01",
            "scale_max": "20",
            "step": "0.25",
            "criteria": "service ; Manière de servir ; 2\n"
            "commandement ; Aptitude au commandement ; 1",
        },
    )
    assert response.status_code in (200, 302)
    page = client.get(reverse("evaluations:form_list"))
    assert page.status_code == 200
