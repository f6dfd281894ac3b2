"""Import screens: who may use them, upload, report, progress and the real import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.core.models import Agency
from matricule.personnel.models import ImportJob, Officer
from matricule.personnel.tests.importing.support import HEADER, csv_file, new_row

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "agents.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def clerk_client(make_user, login):
    return login(make_user(Role.HR_CLERK, username="rh.bamako"))


def make_job(agency_code: str = "PN", **values) -> ImportJob:
    from matricule.accounts.models import User

    user = User.objects.create_user(username=f"auteur-{ImportJob.objects.count()}")
    defaults = {
        "filename": "a.csv",
        "file": "imports/a.csv",
        "mode": ImportJob.Mode.DRY_RUN,
        "state": ImportJob.State.DONE,
        "created_by": user,
    }
    return ImportJob.objects.create(
        agency=Agency.objects.get(code=agency_code), **{**defaults, **values}
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), (Role.OFFICER, 403), (Role.HR_CLERK, 200), (Role.INSPECTOR, 403)],
)
@pytest.mark.parametrize("name", ["personnel:import_list", "personnel:import_new"])
def test_import_screens_access(client, make_user, login, who, expected, name):
    if who != "anonymous":
        login(make_user(who))
    response = client.get(reverse(name))
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), (Role.OFFICER, 403), (Role.HR_CLERK, 200), (Role.INSPECTOR, 403)],
)
def test_import_report_access(client, make_user, login, who, expected):
    job = make_job()
    if who != "anonymous":
        login(make_user(who))
    assert client.get(reverse("personnel:import_detail", args=[job.pk])).status_code == expected


def test_import_of_another_agency_is_not_found(clerk_client):
    job = make_job("OCS")
    assert clerk_client.get(reverse("personnel:import_detail", args=[job.pk])).status_code == 404
    assert clerk_client.get(reverse("personnel:import_progress", args=[job.pk])).status_code == 404


def test_dry_run_upload_shows_the_report_and_writes_no_officer(
    clerk_client, django_capture_on_commit_callbacks
):
    data = csv_file([HEADER, new_row(1), new_row(2, Grade="Sergant")])
    # The request stores the file and queues the job; the worker (here, on commit) parses it.
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            reverse("personnel:import_new"),
            {"file": upload(data), "mode": "dry_run", "mapping": "", "kind": "officers"},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("personnel:import_detail", args=[job.pk])
    assert not Officer.objects.filter(family_name="Diarra").exists()
    body = clerk_client.get(response["Location"]).content.decode()
    assert (
        "Essai terminé — à créer : 1, à mettre à jour : 0, inchangés : 0, lignes en erreur : 1."
        in body
    )
    assert "« Sergant »" in body and "Grade inconnu" in body
    assert "Importer pour de bon" in body
    assert 'hx-trigger="every 1s"' not in body


def test_real_import_after_a_dry_run_goes_through_a_confirmation(
    clerk_client, django_capture_on_commit_callbacks
):
    data = csv_file([HEADER, new_row(1), new_row(2, Grade="Sergant")])
    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(
            reverse("personnel:import_new"),
            {"file": upload(data), "mode": "dry_run", "kind": "officers"},
        )
    trial = ImportJob.objects.get()
    url = reverse("personnel:import_confirm", args=[trial.pk])
    page = clerk_client.get(url).content.decode()
    assert "Confirmer l'import" in page and 'value="valid_rows"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(url, {"mode": "valid_rows"})
    real = ImportJob.objects.exclude(pk=trial.pk).get()
    assert response["Location"] == reverse("personnel:import_detail", args=[real.pk])
    assert (real.mode, real.state, real.created_count, real.error_count) == (
        "valid_rows",
        "done",
        1,
        1,
    )
    assert real.file.name == trial.file.name
    assert Officer.objects.filter(family_name="Diarra").count() == 1
    # A real import cannot itself be "imported for good" again.
    again = clerk_client.post(
        reverse("personnel:import_confirm", args=[real.pk]), {"mode": "atomic"}
    )
    assert again.status_code == 302 and ImportJob.objects.count() == 2


def test_upload_refuses_other_formats_and_fake_workbooks(clerk_client):
    url = reverse("personnel:import_new")
    response = clerk_client.post(url, {"file": upload(b"x", "agents.pdf"), "mode": "dry_run"})
    assert "Seuls les fichiers .xlsx, .csv et .csv.gz sont acceptés." in response.content.decode()
    response = clerk_client.post(
        url, {"file": upload(b"PK\x03\x04 faux", "agents.xlsx"), "mode": "dry_run"}
    )
    assert "n'est pas un classeur XLSX valide" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_upload_refuses_files_over_the_configured_size(clerk_client, settings):
    settings.MATRICULE_IMPORT_MAX_BYTES = 1024 * 1024
    data = b"Nom;Prenom\r\n" + b"x" * (1024 * 1024)
    response = clerk_client.post(
        reverse("personnel:import_new"), {"file": upload(data), "mode": "dry_run"}
    )
    assert "Le fichier dépasse 1 Mo" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_bad_mapping_line_is_explained(clerk_client):
    data = csv_file([HEADER, new_row(1)])
    response = clerk_client.post(
        reverse("personnel:import_new"),
        {
            "file": upload(data),
            "mode": "dry_run",
            "mapping": "Religion=religion",
            "kind": "officers",
        },
    )
    assert "champ « religion » inconnu" in response.content.decode()


def test_upload_is_queued_unread_and_the_page_polls_for_progress(clerk_client):
    rows = [HEADER] + [new_row(n) for n in range(1, 1003)]
    # on_commit callbacks do not run inside the test transaction: the job stays queued,
    # and nothing of the file was parsed by the request.
    response = clerk_client.post(
        reverse("personnel:import_new"),
        {"file": upload(csv_file(rows)), "mode": "dry_run", "kind": "officers"},
    )
    job = ImportJob.objects.get()
    assert (job.state, job.total_rows, job.report) == (ImportJob.State.PENDING, 0, [])
    body = clerk_client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in body and "<progress" in body
    assert "En attente de traitement en arrière-plan" in body


def test_progress_partial_polls_while_running_and_stops_when_done(clerk_client):
    job = make_job(state=ImportJob.State.RUNNING, total_rows=2000, processed_rows=400)
    url = reverse("personnel:import_progress", args=[job.pk])
    running = clerk_client.get(url, headers={"HX-Request": "true"})
    body = running.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert f'<progress id="import-bar-{job.pk}" max="100" value="20">' in body
    assert "Ligne 400 sur 2000" in body
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE, processed_rows=2000)
    done = clerk_client.get(url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode()
    assert done["HX-Refresh"] == "true"


def test_list_shows_the_agency_imports_newest_first_in_few_queries(
    clerk_client, django_assert_max_num_queries
):
    older = make_job(filename="ancien.csv")
    newer = make_job(filename="recent.csv")
    make_job("OCS", filename="ocs.csv")
    with django_assert_max_num_queries(10):
        response = clerk_client.get(reverse("personnel:import_list"))
    assert list(response.context["page"]) == [newer, older]
    assert "ocs.csv" not in response.content.decode()


def test_clerk_of_a_region_sees_only_their_own_imports(client, make_user, login):
    regional = make_user(Role.HR_CLERK, "DR-BKO")
    theirs = make_job(created_by=regional)
    others = make_job()
    login(regional)
    assert list(client.get(reverse("personnel:import_list")).context["page"]) == [theirs]
    assert client.get(reverse("personnel:import_detail", args=[others.pk])).status_code == 404


def test_report_page_reads_in_few_queries(clerk_client, django_assert_max_num_queries):
    report = [
        {
            "row": n,
            "column": "NINA",
            "value": "1234",
            "message": "Le NINA comporte…",
            "level": "error",
        }
        for n in range(2, 400)
    ]
    job = make_job(report=report, error_count=398, total_rows=398)
    with django_assert_max_num_queries(10):
        response = clerk_client.get(reverse("personnel:import_detail", args=[job.pk]))
    assert len(response.context["page"]) == 200
