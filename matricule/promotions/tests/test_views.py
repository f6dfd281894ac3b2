"""The screens: a role matrix on every page, and a campaign walked from rules to effect."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import Role
from matricule.core.models import Agency
from matricule.core.tests.pdf import pdf_text, tiny_pdf
from matricule.promotions.models import Decision, Eligibility, PromotionRule
from matricule.promotions.services import boards, publication, vacancies
from matricule.promotions.services.runs import eligibility_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_rule, make_campaign, sergeants, make_user, board_for):
    make_rule()
    campaign = make_campaign()
    eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=2, reason="Deux postes budgétés", by=None)
    chair = make_user(Role.PROMOTION_BOARD, username="president")
    member = make_user(Role.PROMOTION_BOARD, username="membre", officer=sergeants[0])
    board = board_for(campaign, chair=chair, members=(member,))
    outsider = User.objects.create_user(username="drh-ocs", password="x")
    RoleGrant.objects.create(
        user=outsider, role=Role.HR_DIRECTOR, agency=Agency.objects.get(code="OCS")
    )
    return {
        "campaign": campaign,
        "board": board,
        "sergeants": sergeants,
        "director": make_user(Role.HR_DIRECTOR),
        "inspector": make_user(Role.INSPECTOR),
        "chair": chair,
        "member": member,
        "other_board": make_user(Role.PROMOTION_BOARD, username="autre-commission"),
        "clerk": make_user(Role.HR_CLERK),
        "officer": make_user(Role.OFFICER, officer=sergeants[1]),
        "outsider": outsider,
    }


PAGES = ["campaign_detail", "eligibility", "board", "fairness", "appeals"]
MATRIX = [
    ("anonymous", 302),
    ("officer", 403),
    ("clerk", 403),
    ("outsider", 404),
    ("other_board", 404),
    ("director", 200),
    ("inspector", 200),
    ("chair", 200),
    ("member", 200),
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "expected"), MATRIX)
def test_campaign_pages_role_matrix(client, login, cast, page, who, expected):
    if who != "anonymous":
        login(cast[who])
    assert (
        client.get(reverse(f"promotions:{page}", args=[cast["campaign"].pk])).status_code
        == expected
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 403), ("chair", 403), ("inspector", 403), ("director", 200)],
)
def test_rule_screens_are_for_the_hr_director(client, login, cast, who, expected):
    if who != "anonymous":
        login(cast[who])
    assert client.get(reverse("promotions:rule_list")).status_code == expected
    assert client.get(reverse("promotions:rule_create")).status_code == expected


def test_a_member_is_not_shown_their_own_case(client, login, cast, django_assert_max_num_queries):
    login(cast["member"])
    own = cast["sergeants"][0].matricule
    with django_assert_max_num_queries(25):
        page = client.get(reverse("promotions:board", args=[cast["campaign"].pk])).content.decode()
    assert cast["sergeants"][1].matricule in page and own not in page
    page = client.get(
        reverse("promotions:eligibility", args=[cast["campaign"].pk])
    ).content.decode()
    assert own not in page


def test_eligibility_list_query_count(client, login, cast, django_assert_max_num_queries):
    login(cast["director"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("promotions:eligibility", args=[cast["campaign"].pk]))
    assert "dans le grade (minimum 4 ans) : rempli" in response.content.decode()


def test_director_writes_a_rule_version(client, login, cast, grades):
    login(cast["director"])
    response = client.post(
        reverse("promotions:rule_create"),
        {
            "target_grade": grades["SGC"].pk,
            "route": "choice",
            "valid_from": "2026-01-01",
            "source_grades": [grades["SGT"].pk],
            "min_years_in_grade": 5,
            "min_years_of_service": 0,
            "mark_cycles": 3,
            "missing_cycles": "skip",
            "max_sanction_group": 1,
            "sanction_years": 3,
            "no_pending_case": "on",
            "service_cap_years": 30,
            "w_years_in_grade": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = PromotionRule.objects.filter(target_grade=grades["SGC"]).order_by("version")
    assert [(r.version, r.valid_to) for r in versions] == [
        (1, datetime.date(2026, 1, 1)),
        (2, None),
    ]


def test_board_decides_chair_acknowledges_director_publishes_and_effects(
    client, login, cast, client_for
):
    campaign = cast["campaign"]
    ranked = list(
        Eligibility.objects.filter(run__campaign=campaign, eligible=True).order_by("rank")
    )
    chair = client_for(cast["chair"])
    url = reverse("promotions:decision", args=[campaign.pk])
    chair.post(url, {"officer": ranked[0].officer_id, "outcome": "promoted"})
    response = chair.post(
        url, {"officer": ranked[2].officer_id, "outcome": "promoted"}, follow=True
    )
    assert "justifiez-la" in response.content.decode()
    chair.post(
        url,
        {
            "officer": ranked[2].officer_id,
            "outcome": "promoted",
            "justification": "Engagement remarquable à Gao",
        },
    )
    assert Decision.objects.filter(campaign=campaign, outcome="promoted").count() == 2
    director = client_for(cast["director"])
    refused = director.post(
        reverse("promotions:publish", args=[campaign.pk]), {"confirme": "oui"}, follow=True
    )
    assert "prendre acte" in refused.content.decode()
    fairness = chair.get(reverse("promotions:fairness", args=[campaign.pk])).content.decode()
    assert "<svg" in fairness and "Féminin" in fairness
    chair.post(reverse("promotions:fairness", args=[campaign.pk]), {"comment": "Écarts examinés."})
    director.post(reverse("promotions:publish", args=[campaign.pk]), {"confirme": "oui"})
    campaign.refresh_from_db()
    assert campaign.status == "published"
    pdf = director.get(reverse("promotions:tableau_pdf", args=[campaign.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Tableau d'avancement" in text and "Engagement remarquable" in text
    xlsx = director.get(reverse("promotions:tableau_xlsx", args=[campaign.pk]))
    assert xlsx.status_code == 200
    director.post(reverse("promotions:effect", args=[campaign.pk]), {"confirme": "oui"})
    campaign.refresh_from_db()
    assert campaign.status == "effected"
    assert Decision.objects.filter(campaign=campaign, event__isnull=False).count() == 2


def test_officer_reads_their_breakdown_and_appeals(client, login, cast):
    campaign = cast["campaign"]
    login(cast["officer"])
    page = client.get(reverse("promotions:my_promotion")).content.decode()
    assert "Éligible" in page and "Années dans le grade" in page and "rang" in page
    boards.audit_acknowledge(board=cast["board"], comment="Vu.", fairness=[], by=cast["chair"])
    publication.campaign_publish(campaign=campaign, by=None)
    page = client.get(reverse("promotions:my_promotion")).content.decode()
    assert "Former un recours" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("promotions:my_appeal"),
        {
            "reason": "Ma note de 2025 manque au calcul.",
            "scan": SimpleUploadedFile("r.pdf", tiny_pdf(), "application/pdf"),
        },
    )
    assert campaign.appeals.count() == 1


def test_an_officer_without_campaign_sees_a_plain_message(client, login, hire, make_user):
    login(make_user(Role.OFFICER, officer=hire(family_name="Sangaré")))
    assert "Aucune campagne" in client.get(reverse("promotions:my_promotion")).content.decode()


def test_director_constitutes_the_board_on_screen(
    client, login, make_campaign, make_user, make_rule
):
    make_rule()
    campaign = make_campaign(
        reference_date=datetime.date(2025, 6, 30), effective_date=datetime.date(2025, 12, 31)
    )
    chair = make_user(Role.PROMOTION_BOARD, username="presidente")
    login(make_user(Role.HR_DIRECTOR))
    page = client.get(reverse("promotions:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Constituer la commission" in page and "presidente" in page
    client.post(
        reverse("promotions:board_create", args=[campaign.pk]),
        {"name": "Commission des sous-officiers", "chair": chair.pk, "members": [chair.pk]},
    )
    campaign.refresh_from_db()
    assert campaign.board.chair == chair and campaign.status == "board"


def test_an_exceptional_promotion_needs_its_justification_and_act(client_for, cast, grades):
    campaign = cast["campaign"]
    chair = client_for(cast["chair"])
    url = reverse("promotions:exceptional", args=[campaign.pk])
    target = cast["sergeants"][3]
    data = {"matricule": target.matricule, "target_grade": grades["SGC"].pk, "act_number": ""}
    chair.post(url, {**data, "justification": "Acte de bravoure à Ménaka"})
    assert not Decision.objects.filter(officer=target).exists()
    chair.post(
        url, {**data, "justification": "Acte de bravoure à Ménaka", "act_number": "2026-7/PR"}
    )
    decision = Decision.objects.get(officer=target)
    assert decision.route == "exceptional" and decision.act_number == "2026-7/PR"
    assert (
        "Acte de bravoure"
        in chair.get(reverse("promotions:board", args=[campaign.pk])).content.decode()
    )
