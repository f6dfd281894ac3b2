from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from matricule.accounts.roles import Role
from matricule.core.models import Signatory, Unit
from matricule.core.tests.pdf import tiny_pdf
from matricule.personnel.models import CareerEvent, EventKind, Officer, OfficerPhoto
from matricule.personnel.services import Act, event_record
from matricule.personnel.tests.factories import letters

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cast(hire, make_user):
    """Officers of Bamako and Gao; clerks and readers on each side."""
    return {
        "bamako": hire(unit="BKO-CA01", family_name="Traoré", given_names="Moussa"),
        "gao": hire(unit="GAO-CC", family_name="Maïga", given_names="Fatoumata", sex="F"),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "clerk_gao": make_user(Role.HR_CLERK, "DR-GAO"),
        "inspector": make_user(Role.INSPECTOR),
        "officer": make_user(Role.OFFICER),
        "supervisor": make_user(Role.SUPERVISOR, "BKO-CA01"),
    }


def _url(name, officer, *extra):
    return reverse(f"personnel:{name}", args=[officer.matricule, *extra])


@pytest.mark.parametrize(
    ("who", "read", "edit"),
    [
        ("anonymous", 302, 302),
        ("officer", 404, 404),
        ("clerk_bamako", 200, 200),
        ("clerk_gao", 404, 404),
        ("inspector", 200, 403),
        ("supervisor", 200, 403),
    ],
)
@pytest.mark.parametrize(
    ("read_url", "edit_url"),
    [
        ("officer_profile", "officer_edit"),
        ("officer_career", "event_create"),
        ("officer_documents", "photo_upload"),
    ],
)
def test_access_matrix_for_a_bamako_officer(
    client, login, cast, who, read, edit, read_url, edit_url
):
    if who != "anonymous":
        login(cast[who])
    officer = cast["bamako"]
    assert client.get(_url(read_url, officer)).status_code == read
    args = ["affectation"] if edit_url == "event_create" else []
    assert client.get(_url(edit_url, officer, *args)).status_code == edit


def test_clerk_of_bamako_cannot_post_an_event_for_gao(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["gao"]
    response = client.post(
        _url("event_create", officer, "affectation"),
        {
            "effective_date": "2024-01-02",
            "unit": Unit.objects.get(code="BKO-CA02").pk,
            "act_number": "X",
            "act_date": "2024-01-01",
        },
    )
    assert response.status_code == 404
    assert CareerEvent.objects.filter(officer=officer).count() == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("traore", "Traoré"),
        ("TRAORÉ", "Traoré"),
        ("maiga", "Maïga"),
        ("Mai\u0308ga", "Maïga"),
        ("fatou", "Maïga"),
        ("trao mou", "Traoré"),
    ],
)
def test_search_is_partial_and_ignores_accents_and_case(client, login, cast, query, found):
    login(cast["inspector"])
    page = client.get(reverse("personnel:officer_list"), {"q": query}).context["page"]
    assert [o.family_name for o in page] == [found]


def test_search_by_matricule_and_nina(client, login, cast):
    login(cast["inspector"])
    officer = cast["gao"]
    for q in (officer.matricule, officer.matricule[:5], officer.nina):
        page = client.get(reverse("personnel:officer_list"), {"q": q}).context["page"]
        assert officer in list(page), q


def test_list_is_scoped_filtered_and_sorted(client, login, cast, hire):
    hire(unit="BKO-CA02", family_name="Coulibaly", grade="SGC")
    login(cast["clerk_bamako"])
    page = client.get(reverse("personnel:officer_list")).context["page"]
    assert [o.family_name for o in page] == ["Coulibaly", "Traoré"]
    page = client.get(
        reverse("personnel:officer_list"), {"unit": "BKO-CA02", "sort": "-name"}
    ).context["page"]
    assert [o.family_name for o in page] == ["Coulibaly"]
    response = client.get(reverse("personnel:officer_list"), {"grade": "NOPE"})
    assert "Grade inconnu" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(
    client, login, cast, hire, django_assert_max_num_queries
):
    login(cast["inspector"])
    client.get(reverse("personnel:officer_list"))  # warms the per-process reference copy
    with django_assert_max_num_queries(10):
        client.get(reverse("personnel:officer_list"), {"unit": "DR-BKO"})
    for n in range(30):
        hire(unit="BKO-CA03", family_name=f"Diarra {letters(n)}")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("personnel:officer_list"), {"unit": "DR-BKO"})
    assert len(response.context["page"]) == 31


def test_profile_and_career_query_counts_are_bounded(
    client, login, cast, django_assert_max_num_queries
):
    officer = cast["bamako"]
    for year in range(2014, 2024):
        event_record(
            officer=officer,
            kind=EventKind.POSTING,
            effective_date=D(year, 5, 1),
            unit=Unit.objects.get(code=f"BKO-CA{year - 2010:02d}"),
            act=Act(number=f"{year}-1", date=D(year, 4, 1)),
            by=None,
        )
    login(cast["clerk_bamako"])
    client.get(_url("officer_profile", officer))  # warms the per-process reference copy
    with django_assert_max_num_queries(15):
        client.get(_url("officer_profile", officer))
    with django_assert_max_num_queries(15):
        response = client.get(_url("officer_career", officer))
    assert len(response.context["events"]) == 11
    with django_assert_max_num_queries(15):
        client.get(_url("officer_career", officer) + "?as_of=2019-06-30")


def test_export_is_what_is_shown(client, login, cast):
    login(cast["clerk_bamako"])
    response = client.get(reverse("personnel:officer_export", args=["csv"]), {"q": "traore"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Matricule", "Nom", "Prénom(s)"]
    assert [r[1] for r in rows[1:]] == ["Traoré"]
    response = client.get(reverse("personnel:officer_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Traoré"]  # the Gao officer is out of the clerk's scope


def test_edit_with_a_stale_version_is_refused(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    form = client.get(_url("officer_edit", officer)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "birth_date": "1985-03-14",
            "phone": "+223 76 00 00 01",
            "version": form.fields["version"].initial,
        }
    )
    first = client.post(_url("officer_edit", officer), data)
    assert first.status_code == 302, first.context["form"].errors
    data["phone"] = "+223 66 99 99 99"
    second = client.post(_url("officer_edit", officer), data)  # same old version
    assert second.status_code == 409
    assert (
        "modifié par quelqu&#x27;un d&#x27;autre" in second.content.decode()
        or "modifié par quelqu'un d'autre" in second.content.decode()
    )
    officer.refresh_from_db()
    assert officer.phone == "+223 76 00 00 01"


def test_clerk_records_a_posting_and_sees_the_past(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    target = Unit.objects.get(code="BKO-CA07")
    response = client.post(
        _url("event_create", officer, "affectation"),
        {
            "effective_date": "2024-02-01",
            "unit": target.pk,
            "act_kind": "decision",
            "act_number": "2024-0815/DGPN-DRH",
            "act_date": "2024-01-20",
            "act_signatory": Signatory.objects.filter(agency=officer.agency, is_active=True)
            .first()
            .pk,
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.unit == target
    career = client.get(_url("officer_career", officer)).content.decode()
    assert "Décision n° 2024-0815/DGPN-DRH du 20/01/2024" in career
    past = client.get(_url("officer_career", officer) + "?as_of=2023-12-31")
    assert past.context["situation"].unit.code == "BKO-CA01"
    assert "2024-0815" not in past.content.decode()


def test_event_form_errors_are_french_and_nothing_is_written(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    response = client.post(
        _url("event_create", officer, "affectation"),
        {"effective_date": "2010-01-01", "unit": Unit.objects.get(code="BKO-CA07").pk},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "précède l&#x27;entrée en service" in body or "précède l'entrée en service" in body
    assert CareerEvent.objects.filter(officer=officer).count() == 1


def test_sanctions_are_hidden_from_roles_without_the_discipline_class(client, login, cast):
    officer = cast["bamako"]
    event_record(
        officer=officer,
        kind=EventKind.SANCTION,
        effective_date=D(2020, 3, 3),
        detail="Blâme",
        act=Act(number="S-1", date=D(2020, 3, 1)),
        by=None,
    )
    login(cast["supervisor"])
    assert "Blâme" not in client.get(_url("officer_career", officer)).content.decode()
    client.logout()
    login(cast["inspector"])
    assert "Blâme" in client.get(_url("officer_career", officer)).content.decode()


def test_nina_is_shown_only_to_identity_roles(client, login, cast):
    officer = cast["bamako"]
    login(cast["supervisor"])
    assert officer.nina not in client.get(_url("officer_profile", officer)).content.decode()
    client.logout()
    login(cast["clerk_bamako"])
    assert officer.nina in client.get(_url("officer_profile", officer)).content.decode()


def _png(width=600, height=800):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 60)).save(out, "PNG")
    return out.getvalue()


def test_photo_is_cropped_reencoded_and_becomes_current(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    response = client.post(
        _url("photo_upload", officer), {"photo": SimpleUploadedFile("moi.png", _png(), "image/png")}
    )
    assert response.status_code == 302
    photo = OfficerPhoto.objects.get(officer=officer)
    with Image.open(photo.image.open("rb")) as image:
        assert image.format == "JPEG"
        assert image.size == (413, 531)
        assert not image.getexif()
    shown = client.get(_url("photo_file", officer, photo.pk))
    assert shown["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_an_image_is_refused(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    response = client.post(
        _url("photo_upload", officer),
        {"photo": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg")},
    )
    assert "pas une image lisible" in response.content.decode()
    assert not OfficerPhoto.objects.filter(officer=officer).exists()


def test_documents_are_checked_by_content(client, login, cast):
    from matricule.core.models import DocumentType

    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    doc_type = DocumentType.objects.get(code="diploma")
    bad = client.post(
        _url("officer_documents", officer),
        {
            "doc_type": doc_type.pk,
            "title": "BEPC",
            "date": "2001-06-30",
            "file": SimpleUploadedFile("bepc.pdf", b"<html>not a pdf", "application/pdf"),
        },
    )
    assert "Seuls les fichiers PDF, JPEG et PNG" in bad.content.decode()
    good = client.post(
        _url("officer_documents", officer),
        {
            "doc_type": doc_type.pk,
            "title": "BEPC",
            "date": "2001-06-30",
            "file": SimpleUploadedFile("bepc.pdf", tiny_pdf(), "application/pdf"),
        },
    )
    assert good.status_code == 302
    document = officer.documents.get()
    assert document.content_type == "application/pdf"
    response = client.get(_url("document_download", officer, document.pk))
    assert response.status_code == 200


def test_hr_clerk_creates_a_record(client, login, cast):
    from matricule.core.models import Grade

    login(cast["clerk_bamako"])
    grade = Grade.objects.get(statute__code="S2023", code="GP")
    response = client.post(
        reverse("personnel:officer_create"),
        {
            "family_name": "Ould Sidi",
            "given_names": "Mohamed El Moctar",
            "sex": "M",
            "birth_date": "2001-07-04",
            "birth_place": "Tombouctou",
            "nationality": "malienne",
            "unit": Unit.objects.get(code="BKO-CA03").pk,
            "grade": grade.pk,
            "entry_date": "2025-10-01",
            "act_kind": "decision",
            "act_number": "2025-0001/DGPN",
            "act_date": "2025-09-15",
            "act_signatory": Signatory.objects.filter(agency__code="PN", is_active=True).first().pk,
        },
    )
    assert response.status_code == 302
    officer = Officer.objects.get(family_name="Ould Sidi")
    assert officer.events.get().kind == EventKind.ENTRY


def test_establishment_shows_over_and_under_strength(client, login, cast):
    login(cast["clerk_bamako"])
    response = client.get(reverse("personnel:establishment"), {"unit": "BKO-CA01"})
    rows = response.context["rows"]
    assert any(r.gap < 0 for r in rows)
    assert "sous-effectif" in response.content.decode()


def test_clerk_adds_and_removes_a_child_with_confirmation(client, login, cast):
    from matricule.core.models import AuditEntry

    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    url = reverse("personnel:line_add", args=[officer.matricule, "enfant"])
    response = client.post(url, {"name": "Awa Traoré", "birth_date": "2015-02-03", "sex": "F"})
    assert response.status_code == 302
    child = officer.children.get()
    remove = reverse("personnel:line_remove", args=[officer.matricule, "enfant", child.pk])
    assert "Confirmer le retrait" in client.get(remove).content.decode()
    assert officer.children.exists()
    client.post(remove)
    assert not officer.children.exists()
    assert AuditEntry.objects.filter(
        action="child.remove", subject_officer_id=officer.pk, before__name="Awa Traoré"
    ).exists()


def test_a_language_cannot_be_listed_twice(client, login, cast):
    from matricule.core.models import Language

    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    url = reverse("personnel:line_add", args=[officer.matricule, "langue"])
    bambara = Language.objects.get(code="bm")
    assert client.post(url, {"language": bambara.pk, "spoken": 4}).status_code == 302
    again = client.post(url, {"language": bambara.pk, "spoken": 2})
    assert again.status_code == 200
    assert officer.languages.count() == 1


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","Clic")', "+22376000000"])
def test_a_formula_is_refused_as_a_name_on_creation_and_edit(client, login, cast, hire, name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        hire(family_name=name)
    assert "family_name" in refused.value.message_dict
    officer = cast["bamako"]
    login(cast["clerk_bamako"])
    form = client.get(_url("officer_edit", officer)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    response = client.post(
        _url("officer_edit", officer), {**data, "family_name": name, "birth_date": "1985-03-14"}
    )
    assert response.status_code == 200
    assert "family_name" in response.context["form"].errors
    assert Officer.objects.get(pk=officer.pk).family_name == "Traoré"


# --- One-time form tokens (core.once): a double click writes once -----------------------


def _token(page) -> str:
    import re

    found = re.search(r'name="_once" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def _posting_form(officer, token):
    return {
        "effective_date": "2024-02-01",
        "unit": Unit.objects.get(code="BKO-CA07").pk,
        "act_kind": "note",
        "act_number": "2024-0815/DGPN-DRH",
        "act_date": "2024-01-20",
        "_once": token,
    }


def test_an_event_form_sent_twice_writes_once_and_shows_the_result(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    url = _url("event_create", officer, "affectation")
    data = _posting_form(officer, _token(client.get(url)))
    first = client.post(url, data)
    assert first.status_code == 302
    again = client.post(url, data, follow=True)
    assert again.redirect_chain[0][0] == first["Location"]
    assert "déjà été envoyé et enregistré" in again.content.decode()
    assert CareerEvent.objects.filter(officer=officer, kind=EventKind.POSTING).count() == 1


def test_a_form_returned_with_errors_keeps_its_token_for_the_correction(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    url = _url("event_create", officer, "affectation")
    token = _token(client.get(url))
    wrong = client.post(url, {**_posting_form(officer, token), "effective_date": "2010-01-01"})
    assert wrong.status_code == 200
    assert _token(wrong) == token
    assert client.post(url, _posting_form(officer, token)).status_code == 302
    assert CareerEvent.objects.filter(officer=officer, kind=EventKind.POSTING).count() == 1


@pytest.mark.parametrize("token", ["forge", "other-user"])
def test_a_forged_or_foreign_token_writes_nothing(client, login, cast, token):
    from matricule.core.once import once_token

    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    url = _url("event_create", officer, "affectation")
    value = once_token(cast["clerk_gao"]) if token == "other-user" else "forge"
    response = client.post(url, _posting_form(officer, value), follow=True)
    assert "plus valable" in response.content.decode()
    assert CareerEvent.objects.filter(officer=officer, kind=EventKind.POSTING).count() == 0


def test_an_officer_record_created_twice_by_a_double_click_exists_once(client, login, cast):
    from matricule.core.models import Grade

    login(cast["clerk_bamako"])
    url = reverse("personnel:officer_create")
    data = {
        "family_name": "Ould Sidi",
        "given_names": "Mohamed El Moctar",
        "sex": "M",
        "birth_date": "2001-07-04",
        "birth_place": "Tombouctou",
        "nationality": "malienne",
        "unit": Unit.objects.get(code="BKO-CA03").pk,
        "grade": Grade.objects.get(statute__code="S2023", code="GP").pk,
        "entry_date": "2025-10-01",
        "act_kind": "note",
        "act_number": "2025-0001/DGPN",
        "act_date": "2025-09-15",
        "_once": _token(client.get(url)),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Officer.objects.filter(family_name="Ould Sidi").count() == 1


def test_an_identity_edit_sent_twice_is_saved_once_without_a_conflict(client, login, cast):
    login(cast["clerk_bamako"])
    officer = cast["bamako"]
    page = client.get(_url("officer_edit", officer))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "birth_date": "1985-03-14",
            "phone": "+223 76 00 00 02",
            "version": form.fields["version"].initial,
            "_once": _token(page),
        }
    )
    first, second = client.post(_url("officer_edit", officer), data), None
    second = client.post(_url("officer_edit", officer), data)
    assert first.status_code == second.status_code == 302  # not a 409: the same submission
    officer.refresh_from_db()
    assert officer.phone == "+223 76 00 00 02"
    assert officer.version == form.fields["version"].initial + 1
