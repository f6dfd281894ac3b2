from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from matricule.core.tests.pdf import tiny_pdf
from matricule.recruitment import services
from matricule.recruitment.models import (
    Candidate,
    Intake,
    IntakeStatus,
    StageKind,
    StageResult,
)
from matricule.recruitment.services.ranking import intake_rank
from matricule.recruitment.tests.factories import (
    candidate_for_test,
    intake_for_test,
    pass_all,
    stages_by_kind,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ranked(mali):
    """A published intake with five ranked candidates."""
    intake = intake_for_test(posts=2)
    candidates = [candidate_for_test(intake, sex="M" if i % 2 else "F") for i in range(5)]
    for i, c in enumerate(candidates):
        pass_all(c, written=(str(10 + i), "12"))
    Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.CLOSED)
    intake.refresh_from_db()
    intake_rank(intake=intake, by=None)
    return intake, candidates


def _read_urls(intake, candidate):
    stage = intake.stages.get(kind=StageKind.WRITTEN)
    return [
        reverse("recruitment:intake_detail", args=[intake.pk]),
        reverse("recruitment:candidate_list", args=[intake.pk]),
        reverse("recruitment:candidate_detail", args=[intake.pk, candidate.application_number]),
        reverse("recruitment:stage_results", args=[intake.pk, stage.pk]),
        reverse("recruitment:stage_config", args=[intake.pk, stage.pk]),
        reverse("recruitment:ranking", args=[intake.pk]),
        reverse("recruitment:funnel", args=[intake.pk]),
        reverse("recruitment:funnel_export", args=[intake.pk]),
        reverse("recruitment:cohort", args=[intake.pk]),
        reverse("recruitment:stage_template", args=[intake.pk, stage.pk]),
        reverse("recruitment:results_pdf", args=[intake.pk, "admission"]),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("clerk", 403),
        ("recruiter", 200),
        ("inspector", 200),
        ("outsider", 404),
    ],
)
def test_read_screens_answer_by_role(client, login, cast, ranked, who, status):
    intake, candidates = ranked
    if who != "anonymous":
        login(cast[who])
    for url in _read_urls(intake, candidates[0]):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("recruiter", 200),
        ("inspector", 403),
        ("outsider", 404),
    ],
)
def test_edit_screens_answer_by_role(client, login, cast, ranked, who, status):
    intake, _candidates = ranked
    stage = intake.stages.get(kind=StageKind.WRITTEN)
    if who != "anonymous":
        login(cast[who])
    urls = [
        reverse("recruitment:intake_edit", args=[intake.pk]),
        reverse("recruitment:result_entry", args=[intake.pk, stage.pk]),
        reverse("recruitment:candidate_create", args=[intake.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("officer", 403), ("inspector", 403), ("outsider", 404)],
)
def test_ranking_post_is_refused_to_others_and_changes_nothing(
    client, login, cast, ranked, who, status
):
    intake, _c = ranked
    if who != "anonymous":
        login(cast[who])
    response = client.post(reverse("recruitment:intake_publish", args=[intake.pk]))
    assert response.status_code == status
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.RANKED


def test_intake_list_shows_only_the_viewers_agency(client, login, cast, ranked):
    login(cast["outsider"])
    response = client.get(reverse("recruitment:intake_list"))
    assert response.status_code == 200
    assert ranked[0].title not in response.content.decode()
    login(cast["inspector"])
    assert ranked[0].title in client.get(reverse("recruitment:intake_list")).content.decode()


def test_list_views_use_constant_queries(
    client, login, cast, ranked, django_assert_max_num_queries
):
    intake, candidates = ranked
    login(cast["recruiter"])
    for url in _read_urls(intake, candidates[0])[:7]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    open_intake = intake_for_test()
    first = candidate_for_test(open_intake)
    urls = [
        reverse("recruitment:candidate_list", args=[open_intake.pk]),
        reverse("recruitment:candidate_detail", args=[open_intake.pk, first.application_number]),
    ]
    counts = []
    for _round in range(2):
        for url in urls:
            with django_assert_max_num_queries(14) as captured:
                client.get(url)
            counts.append(len(captured))
        for _ in range(6):
            pass_all(candidate_for_test(open_intake))
    assert counts[:2] == counts[2:]


def test_recruiter_creates_an_intake(client, login, cast, mali):
    login(cast["recruiter"])
    from matricule.core.models import Corps

    response = client.post(
        reverse("recruitment:intake_create"),
        {
            "corps": Corps.objects.get(agency=mali, code="SO").pk,
            "title": "Concours 2027",
            "posts_total": 100,
            "applications_open": "2027-01-01",
            "applications_close": "2026-12-01",
            "age_reference_date": "2027-12-31",
            "age_min": 18,
            "age_max": 25,
            "min_diploma": 4,
            "nationality_required": "malienne",
            "age_tie_break": "younger",
        },
    )
    assert response.status_code == 200
    assert "La clôture précède l&#x27;ouverture." in response.content.decode()
    assert not Intake.objects.exists()


def test_candidate_form_shows_ineligibility(client, login, cast, mali):
    intake = intake_for_test()
    login(cast["recruiter"])
    response = client.post(
        reverse("recruitment:candidate_create", args=[intake.pk]),
        {
            "application_number": "A-1",
            "family_name": "Diarra",
            "given_names": "Seydou",
            "sex": "M",
            "birth_date": "31/12/2000",
            "nina": "12345678901234A",
            "nationality": "malienne",
            "marital_status": "single",
            "diploma": 4,
            "centre": intake.centres.get(code="BKO").pk,
            "region": intake.centres.get(code="BKO").region_id,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "IRRECEVABLE" in page
    assert "26 ans au 31/12/2026" in page
    assert Candidate.objects.get().eligible is False


def test_result_entry_screen_eliminates(client, login, cast, mali):
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    stage = stages_by_kind(intake)[StageKind.DOCUMENTS]
    login(cast["recruiter"])
    url = reverse("recruitment:result_entry", args=[intake.pk, stage.pk])
    response = client.post(
        url, {"candidat": candidate.application_number, "avis": "inapte"}, follow=True
    )
    assert "le candidat est éliminé" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.eliminated_stage == stage


def test_import_screen_reports_the_bad_row_and_writes_nothing(client, login, cast, mali):
    intake = intake_for_test(kinds=(StageKind.WRITTEN,))
    c = candidate_for_test(intake)
    stage = stages_by_kind(intake)[StageKind.WRITTEN]
    book = Workbook()
    book.active.append(["Numéro", "FR", "CG"])
    book.active.append([c.application_number, "douze", 10])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "notes.xlsx"
    login(cast["recruiter"])
    response = client.post(
        reverse("recruitment:stage_import", args=[intake.pk, stage.pk]), {"file": data}
    )
    assert response.status_code == 400
    assert (
        "Ligne 2, colonne B (« FR ») : « douze » n&#x27;est pas une note."
        in response.content.decode()
    )
    assert not StageResult.objects.exists()


def test_results_pdf_is_a_pdf(client, login, cast, ranked):
    intake, _c = ranked
    login(cast["recruiter"])
    response = client.get(reverse("recruitment:results_pdf", args=[intake.pk, "merite"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_funnel_shows_impact_ratio(client, login, cast, ranked):
    intake, _c = ranked
    login(cast["inspector"])
    page = client.get(reverse("recruitment:funnel", args=[intake.pk])).content.decode()
    assert "<svg" in page
    assert "Ratio d'impact" in page


def test_public_lookup_shows_only_the_matching_candidate(client, ranked):
    intake, candidates = ranked
    services.intake_publish(intake=intake, by=None)
    target = candidates[4]
    response = client.post(
        reverse("recruitment_lookup"),
        {
            "intake": intake.pk,
            "application_number": target.application_number,
            "birth_date": "2003-05-17",
        },
    )
    page = response.content.decode()
    assert target.given_names in page
    assert "ADMIS" in page
    assert candidates[0].given_names not in page
    wrong = client.post(
        reverse("recruitment_lookup"),
        {
            "intake": intake.pk,
            "application_number": target.application_number,
            "birth_date": "2003-05-18",
        },
    )
    assert target.given_names not in wrong.content.decode()
    assert "Aucune candidature ne correspond" in wrong.content.decode()


def test_public_lookup_is_rate_limited(client, ranked, one_rate_window):
    from django.core.cache import cache

    cache.clear()
    intake, _c = ranked
    services.intake_publish(intake=intake, by=None)
    data = {"intake": intake.pk, "application_number": "X", "birth_date": "2003-05-17"}
    codes = [client.post(reverse("recruitment_lookup"), data).status_code for _ in range(11)]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429
    cache.clear()


def _published_cohort(client, login, cast, ranked):
    intake, _c = ranked
    services.intake_publish(intake=intake, by=None)
    login(cast["recruiter"])
    response = client.post(
        reverse("recruitment:cohort", args=[intake.pk]),
        {
            "number": "40",
            "parrain": "Inspecteur général Niamé Kéita",
            "starts_on": "2026-01-05",
            "ends_on": "2026-09-30",
        },
        follow=True,
    )
    assert "Promotion constituée" in response.content.decode()
    return intake


def test_assignment_table_import_then_graduation_through_the_screens(client, login, cast, ranked):
    from matricule.core.models import Unit
    from matricule.personnel.models import Officer
    from matricule.recruitment.models import CohortMember

    intake = _published_cohort(client, login, cast, ranked)
    members = list(CohortMember.objects.filter(cohort__intake=intake).select_related("candidate"))
    assert len(members) == 2
    book = Workbook()
    book.active.append(["Numéro", "Unité", "Moyenne"])
    book.active.append([members[0].candidate.application_number, "BKO-CA01", 14])
    book.active.append([members[1].candidate.application_number, "NULLE-PART", 12])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "affectations.xlsx"
    url = reverse("recruitment:cohort_assignments", args=[intake.pk])
    refused = client.post(url, {"file": data})
    assert refused.status_code == 400
    assert (
        "Ligne 3, colonne B : unité « NULLE-PART » inconnue ou fermée." in refused.content.decode()
    )
    assert not CohortMember.objects.filter(first_unit__isnull=False).exists()
    book.active["B3"] = "GAO-CC"
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "affectations.xlsx"
    assert client.post(url, {"file": data}).status_code == 302
    before = Officer.objects.count()
    response = client.post(
        reverse("recruitment:cohort_graduate", args=[intake.pk]),
        {"graduated_on": "2026-10-01", "act_number": "2026-1001/DGPN", "act_date": "2026-09-30"},
        follow=True,
    )
    assert "2 agents créés" in response.content.decode()
    assert Officer.objects.count() == before + 2
    assert set(
        Officer.objects.filter(candidacy__intake=intake).values_list("unit__code", flat=True)
    ) == {
        "BKO-CA01",
        "GAO-CC",
    }
    assert Unit.objects.filter(code="GAO-CC").exists()


def test_inspector_cannot_form_a_cohort(client, login, cast, ranked):
    intake, _c = ranked
    services.intake_publish(intake=intake, by=None)
    login(cast["inspector"])
    response = client.post(
        reverse("recruitment:cohort", args=[intake.pk]),
        {"number": "40", "parrain": "X", "starts_on": "2026-01-05", "ends_on": "2026-09-30"},
    )
    assert response.status_code == 403


def test_candidate_search_ignores_accents_and_case(client, login, cast, mali):
    intake = intake_for_test()
    candidate_for_test(intake, family_name="Traoré", given_names="Oumou")
    candidate_for_test(intake, family_name="Keïta", given_names="Modibo")
    login(cast["inspector"])
    url = reverse("recruitment:candidate_list", args=[intake.pk])
    page = client.get(url, {"q": "traore oum"}).content.decode()
    assert "TRAORÉ" in page and "KEÏTA" not in page
    assert "1 candidat" in client.get(url, {"q": "KEITA"}).content.decode()


def test_candidate_file_shows_the_same_persons_other_applications(client, login, cast, mali):
    first = intake_for_test(title="Concours 2025")
    second = intake_for_test(title="Concours 2026")
    candidate_for_test(first, nina="12345678901234A")
    again = candidate_for_test(second, nina="12345678901234A")
    login(cast["recruiter"])
    page = client.get(
        reverse("recruitment:candidate_detail", args=[second.pk, again.application_number])
    ).content.decode()
    assert "Concours 2025" in page


def test_scans_are_checked_by_content_and_read_only_in_scope(
    client, login, cast, settings, tmp_path, mali
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matricule.recruitment.models import CandidateDocument

    settings.MEDIA_ROOT = tmp_path
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    login(cast["recruiter"])
    url = reverse(
        "recruitment:candidate_document_upload", args=[intake.pk, candidate.application_number]
    )
    fake = SimpleUploadedFile("acte.pdf", b"ceci n'est pas un PDF", content_type="application/pdf")
    page = client.post(url, {"kind": "criminal", "file": fake}, follow=True).content.decode()
    assert "Seuls les fichiers PDF, JPEG et PNG lisibles sont acceptés." in page
    assert not CandidateDocument.objects.exists()
    real = SimpleUploadedFile("casier.pdf", tiny_pdf(), content_type="application/pdf")
    client.post(url, {"kind": "criminal", "file": real})
    document = CandidateDocument.objects.get()
    candidate.refresh_from_db()
    assert "criminal" in candidate.documents
    download = reverse(
        "recruitment:candidate_document",
        args=[intake.pk, candidate.application_number, document.pk],
    )
    assert client.get(download).status_code == 200
    login(cast["outsider"])
    assert client.get(download).status_code == 404
    login(cast["inspector"])
    assert client.get(download).status_code == 200
    assert client.post(url, {"kind": "criminal", "file": real}).status_code == 403


def test_recruitment_workbooks_write_formula_text_as_text(client, login, cast, ranked):
    from matricule.core.tests.test_exports import FORMULA, assert_xlsx_holds_text, xlsx_cells
    from matricule.recruitment.models import Candidate

    intake, candidates = ranked
    Intake.objects.filter(pk=intake.pk).update(title=FORMULA)
    Candidate.objects.filter(pk=candidates[0].pk).update(family_name=FORMULA)
    login(cast["recruiter"])
    funnel = client.get(reverse("recruitment:funnel_export", args=[intake.pk]))
    stage = intake.stages.get(kind=StageKind.WRITTEN)
    Candidate.objects.filter(pk=candidates[0].pk).update(eliminated_stage=None)
    template = client.get(reverse("recruitment:stage_template", args=[intake.pk, stage.pk]))
    assert_xlsx_holds_text(template.content)
    assert funnel.status_code == 200
    assert not [c for c in xlsx_cells(funnel.content) if c.data_type == "f"]
