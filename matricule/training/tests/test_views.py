from __future__ import annotations

import datetime
import io
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from matricule.accounts.roles import Role
from matricule.core.models import Skill
from matricule.core.tests.pdf import pdf_page_image, qr_codes
from matricule.personnel.tests.factories import letters
from matricule.training import services as s
from matricule.training.models import Certificate, Enrolment, Result, TrainingSession

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cast(hire, make_user, make_session):
    """A Bamako officer with a passed course, and every kind of caller."""
    trainer = make_user(Role.TRAINING_OFFICER, username="formation.test")
    officer = hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa", sex="F")
    session = make_session("PSC1", start=D(2025, 9, 1), days=2)
    enrolment = s.enrolment_nominate(session=session, officer=officer, by=trainer)
    s.result_record(enrolment=enrolment, result=Result.PASSED, score=Decimal("14"), by=trainer)
    s.session_close(session=session, by=trainer)
    return {
        "officer_record": officer,
        "session": session,
        "certificate": Certificate.objects.get(officer=officer),
        "training_officer": trainer,
        "own_officer": make_user(Role.OFFICER, officer=officer),
        "other_officer": make_user(Role.OFFICER),
        "head_bamako": make_user(Role.SUPERVISOR, "BKO-CA01"),
        "head_gao": make_user(Role.SUPERVISOR, "GAO-CC"),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "clerk_gao": make_user(Role.HR_CLERK, "DR-GAO"),
    }


def _get(client, login, cast, who, url):
    if who != "anonymous":
        login(cast[who])
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_officer", 403),
        ("clerk_bamako", 403),
        ("head_gao", 200),
        ("head_bamako", 200),
        ("training_officer", 200),
    ],
)
@pytest.mark.parametrize("name", ["session_list", "course_list", "expiring", "coverage"])
def test_training_screens_matrix(client, login, cast, who, expected, name):
    assert _get(client, login, cast, who, reverse(f"training:{name}")) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_officer", 403),
        ("head_bamako", 403),
        ("clerk_bamako", 403),
        ("training_officer", 200),
    ],
)
@pytest.mark.parametrize("what", ["session_create", "results", "attendance", "course_create"])
def test_management_screens_are_for_training_officers(client, login, cast, who, expected, what):
    session = cast["session"]
    url = {
        "session_create": reverse("training:session_create"),
        "course_create": reverse("training:course_create"),
        "results": reverse("training:results", args=[session.pk]),
        "attendance": reverse("training:attendance", args=[session.pk, "2025-09-01"]),
    }[what]
    assert _get(client, login, cast, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_officer", 403),
        ("own_officer", 403),
        ("clerk_bamako", 200),
        ("clerk_gao", 404),
        ("head_bamako", 200),
        ("training_officer", 200),
    ],
)
def test_officer_training_tab_matrix(client, login, cast, who, expected):
    url = reverse("training:officer_training", args=[cast["officer_record"].matricule])
    assert _get(client, login, cast, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_officer", 404),
        ("own_officer", 200),
        ("clerk_bamako", 200),
        ("clerk_gao", 404),
        ("head_gao", 404),
        ("head_bamako", 200),
    ],
)
def test_certificate_download_matrix(client, login, cast, who, expected):
    url = reverse("training:certificate_pdf", args=[cast["certificate"].number])
    assert _get(client, login, cast, who, url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("own_officer", 200), ("other_officer", 404), ("clerk_bamako", 404)],
)
def test_my_training_matrix(client, login, cast, who, expected):
    """Only an account linked to an officer has a "Mes formations" page."""
    assert _get(client, login, cast, who, reverse("training:my_training")) == expected


def test_my_training_shows_the_new_skill_and_certificate(client, login, cast):
    login(cast["own_officer"])
    page = client.get(reverse("training:my_training")).content.decode()
    assert "Premiers secours" in page and cast["certificate"].number in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [("head_gao", 404), ("clerk_bamako", 403), ("head_bamako", 200), ("training_officer", 200)],
)
def test_session_detail_scope(client, login, cast, who, expected):
    url = reverse("training:session_detail", args=[cast["session"].pk])
    if who == "head_gao":
        # A unit head elsewhere sees the agency's session, to nominate, but not Bamako's trainees.
        login(cast[who])
        response = client.get(url)
        assert response.status_code == 200
        assert "Traoré".upper() not in response.content.decode()
        return
    assert _get(client, login, cast, who, url) == expected


def test_unit_head_cannot_close_or_record_results(client, login, cast):
    login(cast["head_bamako"])
    session = cast["session"]
    assert client.post(reverse("training:session_close", args=[session.pk])).status_code == 403
    assert (
        client.post(
            reverse("training:session_status", args=[session.pk]), {"status": "open"}
        ).status_code
        == 403
    )


def test_unit_head_nominates_through_the_screen(client, login, cast, make_session, hire):
    session = make_session("MO", start=D(2099, 2, 1))
    mine = hire(unit="BKO-CA01", family_name="Coulibaly")
    gao = hire(unit="GAO-CC", family_name="Maïga")
    login(cast["head_bamako"])
    url = reverse("training:nominate", args=[session.pk])
    client.post(url, {"n-matricule": mine.matricule})
    response = client.post(url, {"n-matricule": gao.matricule}, follow=True)
    assert "introuvable dans votre périmètre" in response.content.decode()
    assert list(Enrolment.objects.filter(session=session).values_list("officer", "state")) == [
        (mine.pk, "nominated")
    ]


def test_session_detail_queries_do_not_grow_with_trainees(
    client, login, cast, make_session, hire, django_assert_max_num_queries
):
    session = make_session("MO", start=D(2099, 2, 1), capacity=40)
    trainer = cast["training_officer"]
    login(trainer)
    url = reverse("training:session_detail", args=[session.pk])
    for i in range(3):
        s.enrolment_nominate(
            session=session, officer=hire(family_name=f"Diarra {letters(i)}"), by=trainer
        )
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    for i in range(10):
        s.enrolment_nominate(
            session=session, officer=hire(family_name=f"Keïta {letters(i)}"), by=trainer
        )
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_list_and_officer_tab_query_counts(client, login, cast, django_assert_max_num_queries):
    login(cast["clerk_bamako"])
    url = reverse("training:officer_training", args=[cast["officer_record"].matricule])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    login(cast["training_officer"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("training:session_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("training:expiring")).status_code == 200


@pytest.mark.slow
def test_certificate_pdf_qr_decodes_to_a_working_verification(client, login, cast):
    login(cast["own_officer"])
    response = client.get(reverse("training:certificate_pdf", args=[cast["certificate"].number]))
    assert response["Content-Type"] == "application/pdf"
    image = pdf_page_image(response.content, dpi=150)
    assert image.width > image.height  # A4 landscape
    (link,) = qr_codes(image)
    url = urlparse(link)
    assert url.path.startswith("/certificats/verifier/")
    client.logout()
    cache.clear()
    page = client.get(url.path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Certificat authentique et VALIDE" in text and cast["certificate"].number in text


def test_verification_says_expired_and_refuses_forgeries(client, cast):
    cache.clear()
    from matricule.training.certificates import certificate_token

    cert = cast["certificate"]
    Certificate.objects.filter(pk=cert.pk).update(issued_on=D(2020, 1, 1), expires_on=D(2022, 1, 1))
    assert (
        "EXPIRÉ"
        in client.get(f"/certificats/verifier/{certificate_token(cert.number)}").content.decode()
    )
    forged = certificate_token(cert.number)[:-3] + "abc"
    assert client.get(f"/certificats/verifier/{forged}").status_code == 404
    assert client.get("/certificats/verifier/FORM-2025-000001").status_code == 404


def test_public_verification_is_rate_limited(client, cast, one_rate_window):
    cache.clear()
    from matricule.training.certificates import certificate_token

    url = f"/certificats/verifier/{certificate_token(cast['certificate'].number)}"
    codes = [client.get(url).status_code for _ in range(32)]
    assert codes[0] == 200 and codes[-1] == 429


def test_skill_search_screen_and_api(client, login, cast, make_user):
    login(cast["clerk_bamako"])
    response = client.get(reverse("training:skill_search"), {"c1": "first_aid", "n1": "1"})
    assert [o.matricule for o in response.context["page"]] == [cast["officer_record"].matricule]
    response = client.get(reverse("training:skill_search"), {"c1": "first_aid", "n1": "2"})
    assert list(response.context["page"]) == []

    from matricule.accounts.models import ApiToken, hash_token

    ApiToken.objects.create(user=cast["clerk_bamako"], prefix="abcd", key_hash=hash_token("k1"))
    ApiToken.objects.create(user=cast["clerk_gao"], prefix="abce", key_hash=hash_token("k2"))
    api = "/api/v1/officers"
    ok = client.get(api, {"skill": ["first_aid:1", "LANGUE-FR:1"]}, HTTP_AUTHORIZATION="Bearer k1")
    assert ok.status_code == 200 and ok.json()["count"] == 0  # no French recorded on the record
    ok = client.get(api, {"skill": "first_aid:1"}, HTTP_AUTHORIZATION="Bearer k1")
    assert [r["matricule"] for r in ok.json()["items"]] == [cast["officer_record"].matricule]
    gao = client.get(api, {"skill": "first_aid:1"}, HTTP_AUTHORIZATION="Bearer k2")
    assert gao.json()["count"] == 0
    bad = client.get(api, {"skill": "nope:1"}, HTTP_AUTHORIZATION="Bearer k1")
    assert bad.status_code == 400 and "Compétence inconnue" in bad.json()["errors"]["skill"][0]
    bad = client.get(api, {"skill": "first_aid:9"}, HTTP_AUTHORIZATION="Bearer k1")
    assert bad.status_code == 400
    later = client.get(
        api, {"skill": "first_aid:1", "valid_on": "2030-01-01"}, HTTP_AUTHORIZATION="Bearer k1"
    )
    assert later.json()["count"] == 0  # PSC1 is valid 24 months
    assert client.get(api, {"skill": "first_aid:1"}).status_code == 401


def test_declare_and_verify_a_skill_on_the_record(client, login, cast):
    officer = cast["officer_record"]
    url = reverse("training:officer_training", args=[officer.matricule])
    login(cast["head_bamako"])
    licence = Skill.objects.get(code="licence_b")
    data = {"skill": licence.pk, "level": 1, "source": "declared", "obtained_on": "2015-05-02"}
    assert client.post(url, data).status_code == 403
    login(cast["clerk_bamako"])
    response = client.post(url, {**data, "level": 4})
    assert response.status_code == 200 and "entre 1 et 1" in response.content.decode()
    assert not officer.skills.filter(skill=licence).exists()
    client.post(url, data)
    row = officer.skills.get(skill=licence)
    assert not row.confirmed
    client.post(url, {"verify": row.pk})
    row.refresh_from_db()
    assert row.confirmed and row.verified_by == cast["clerk_bamako"]


def test_coverage_report_and_export(client, login, cast, hire):
    officer = cast["officer_record"]  # SGT: TIR and PSC1 required; PSC1 passed
    login(cast["head_bamako"])
    response = client.get(reverse("training:coverage"), {"unit": "BKO-CA01"})
    rows = list(response.context["page"])
    assert {(r.officer.pk, r.course.code, r.state) for r in rows} == {
        (officer.pk, "TIR", "missing")
    }
    xlsx = client.get(reverse("training:coverage_export", args=["xlsx"]), {"unit": "BKO-CA01"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][6:8] == [
        "TIR",
        "non suivie",
    ]
    csv_text = (
        client.get(reverse("training:coverage_export", args=["csv"]), {"unit": "BKO-CA01"})
        .getvalue()
        .decode("utf-8-sig")
    )
    assert "TIR;non suivie" in csv_text


def test_bad_session_form_writes_nothing(client, login, cast, catalogue):
    login(cast["training_officer"])
    count = TrainingSession.objects.count()
    response = client.post(
        reverse("training:session_create"),
        {
            "course": catalogue["MO"].pk,
            "start_date": "2026-05-10",
            "end_date": "2026-05-01",
            "venue": "Bamako",
            "capacity": 10,
        },
    )
    assert response.status_code == 200
    assert "La date de fin précède la date de début." in response.content.decode()
    assert TrainingSession.objects.count() == count


def test_required_training_is_managed_by_the_training_officer(client, login, cast, catalogue):
    from matricule.training.models import RequiredTraining

    url = reverse("training:required")
    count = RequiredTraining.objects.count()
    login(cast["head_bamako"])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"course": catalogue["CYBER"].pk, "function": "Enquêteur"}).status_code
        == 403
    )
    login(cast["clerk_bamako"])
    assert client.get(url).status_code == 403
    login(cast["training_officer"])
    response = client.post(url, {"course": catalogue["CYBER"].pk})
    assert "Indiquez un grade ou une fonction" in response.content.decode()
    assert RequiredTraining.objects.count() == count
    client.post(url, {"course": catalogue["CYBER"].pk, "function": "Enquêteur cyber"})
    row = RequiredTraining.objects.get(function="Enquêteur cyber")
    client.post(url, {"remove": row.pk})
    assert RequiredTraining.objects.count() == count


def test_course_edit_keeps_the_code_and_refuses_bad_hours(client, login, cast, catalogue):
    url = reverse("training:course_edit", args=["MO"])
    login(cast["head_bamako"])
    assert client.get(url).status_code == 403
    login(cast["training_officer"])
    data = {
        "code": "XX",
        "title_fr": "Maintien et rétablissement de l'ordre",
        "title_en": "Public order",
        "category": "continuing",
        "hours": 0,
    }
    assert "supérieure ou égale à 1" in client.post(url, data).content.decode()
    client.post(url, {**data, "hours": 48, "validity_months": 36})
    course = catalogue["MO"].__class__.objects.get(code="MO")
    assert (course.title_fr, course.hours, course.validity_months) == (
        "Maintien et rétablissement de l'ordre",
        48,
        36,
    )


def test_coverage_export_writes_a_formula_name_as_text(client, login, cast):
    from matricule.core.tests.test_exports import (
        FORMULA,
        assert_csv_neutralised,
        assert_xlsx_holds_text,
    )
    from matricule.personnel.models import RecordAccess

    officer = cast["officer_record"]
    type(officer).objects.filter(pk=officer.pk).update(family_name=FORMULA)
    login(cast["head_bamako"])
    url = "training:coverage_export"
    assert_xlsx_holds_text(client.get(reverse(url, args=["xlsx"]), {"unit": "BKO-CA01"}).content)
    csv_response = client.get(reverse(url, args=["csv"]), {"unit": "BKO-CA01"})
    assert_csv_neutralised(csv_response.getvalue().decode("utf-8-sig"))
    logs = RecordAccess.objects.filter(viewer=cast["head_bamako"], channel="export")
    assert logs.count() == 2 and all(f",{officer.pk}," in r.officer_ids for r in logs)
