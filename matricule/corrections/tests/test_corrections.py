from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from matricule.accounts.models import Notification
from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry
from matricule.core.tests.pdf import tiny_pdf
from matricule.corrections.models import CorrectionRequest
from matricule.corrections.selectors import accesses_for
from matricule.corrections.services import (
    Upload,
    correction_approve,
    correction_file,
    correction_is_stale,
    correction_reject,
    correction_withdraw,
)
from matricule.personnel.models import CareerEvent, EventKind, Officer
from matricule.personnel.services import officer_update

pytestmark = pytest.mark.django_db
PDF = Upload(name="acte.pdf", data=tiny_pdf())


@pytest.fixture
def cast(hire, make_user):
    """Two officers of Bamako with their accounts, one of Gao; clerks on each side."""
    oumou = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    oumou.email = "oumou.traore@example.ml"
    oumou.save(update_fields=["email"])
    moussa = hire(unit="BKO-CA02", family_name="Keïta", given_names="Moussa")
    gao = hire(unit="GAO-CC", family_name="Maïga", given_names="Hamidou")
    return {
        "oumou": oumou,
        "moussa": moussa,
        "gao": gao,
        "oumou_user": make_user(Role.OFFICER, username=oumou.matricule, officer=oumou),
        "moussa_user": make_user(Role.OFFICER, username=moussa.matricule, officer=moussa),
        "clerk_bamako": make_user(Role.HR_CLERK, "DR-BKO"),
        "clerk_gao": make_user(Role.HR_CLERK, "DR-GAO"),
        "inspector": make_user(Role.INSPECTOR),
    }


def _birth_place(cast, value="Kati"):
    return correction_file(
        officer=cast["oumou"],
        by=cast["oumou_user"],
        field_name="birth_place",
        proposed={"value": value},
        justification="Erreur de saisie à l'entrée",
        uploads=[PDF],
    )


def test_an_approved_request_changes_exactly_the_requested_field(
    cast, django_capture_on_commit_callbacks
):
    request = _birth_place(cast)
    before = Officer.objects.filter(pk=cast["oumou"].pk).values().get()
    with django_capture_on_commit_callbacks(execute=True):
        correction_approve(request=request, by=cast["clerk_bamako"])
    after = Officer.objects.filter(pk=cast["oumou"].pk).values().get()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"birth_place", "version", "updated_at"}
    assert after["birth_place"] == "Kati"
    entry = AuditEntry.objects.filter(action="officer.update").order_by("-id")[0]
    assert entry.after["source"] == {"correction_request": request.pk}
    request.refresh_from_db()
    assert request.state == CorrectionRequest.State.APPROVED
    assert Notification.objects.filter(user=cast["oumou_user"]).count() == 1
    assert mail.outbox and mail.outbox[0].to == ["oumou.traore@example.ml"]


def test_a_rejected_request_changes_nothing(cast):
    request = _birth_place(cast)
    before = Officer.objects.filter(pk=cast["oumou"].pk).values().get()
    with pytest.raises(ValidationError, match="motif"):
        correction_reject(request=request, by=cast["clerk_bamako"], reason="")
    correction_reject(
        request=request,
        by=cast["clerk_bamako"],
        reason="Acte illisible, déposez une copie certifiée",
    )
    assert Officer.objects.filter(pk=cast["oumou"].pk).values().get() == before
    request.refresh_from_db()
    assert request.state == CorrectionRequest.State.REJECTED
    assert "Acte illisible" in Notification.objects.get(user=cast["oumou_user"]).message


def test_a_request_whose_field_changed_since_is_stale(cast):
    request = _birth_place(cast)
    assert not correction_is_stale(request)
    officer = cast["oumou"]
    officer_update(
        officer=officer,
        data={"birth_place": "Koulikoro"},
        expected_version=officer.version,
        by=cast["clerk_bamako"],
    )
    request.refresh_from_db()
    assert correction_is_stale(request)
    with pytest.raises(ValidationError, match="a changé depuis la demande"):
        correction_approve(request=request, by=cast["clerk_bamako"])
    correction_approve(request=request, by=cast["clerk_bamako"], confirm_stale=True)
    officer.refresh_from_db()
    assert officer.birth_place == "Kati"


def test_author_and_out_of_scope_clerks_cannot_decide(cast, make_user, hire):
    request = _birth_place(cast)
    with pytest.raises(ValidationError, match="propre dossier"):
        correction_approve(request=request, by=cast["oumou_user"])
    with pytest.raises(ValidationError, match="périmètre"):
        correction_approve(request=request, by=cast["clerk_gao"])
    # A clerk who is also an officer cannot approve a request on their own record.
    clerk_officer = hire(unit="BKO-CA03", family_name="Diarra", given_names="Awa", sex="F")
    clerk_self = make_user(Role.HR_CLERK, "DR-BKO", officer=clerk_officer, username="rh.awa")
    own = correction_file(
        officer=clerk_officer,
        by=clerk_self,
        field_name="birth_place",
        proposed={"value": "Nioro"},
        justification="Erreur manifeste ici",
        uploads=[PDF],
    )
    with pytest.raises(ValidationError, match="propre dossier"):
        correction_approve(request=own, by=clerk_self)
    assert CorrectionRequest.objects.filter(state="pending").count() == 2


def test_bad_requests_are_refused_in_french_and_write_nothing(cast):
    count = CorrectionRequest.objects.count()
    with pytest.raises(ValidationError) as error:
        correction_file(
            officer=cast["oumou"],
            by=cast["oumou_user"],
            field_name="birth_date",
            proposed={"value": "31/02/1990"},
            justification="court",
            uploads=[Upload(name="virus.exe", data=b"MZ\x90\x00")],
        )
    messages = error.value.message_dict
    assert "10 caractères" in messages["justification"][0]
    assert "ni un PDF" in messages["files"][0]
    assert messages["proposed"]
    with pytest.raises(ValidationError, match="Seul l'agent concerné"):
        correction_file(
            officer=cast["moussa"],
            by=cast["oumou_user"],
            field_name="birth_place",
            proposed={"value": "Kati"},
            justification="Pas mon dossier du tout",
            uploads=[PDF],
        )
    assert CorrectionRequest.objects.count() == count


def test_event_correction_supersedes_the_event(cast):
    officer = cast["oumou"]
    entry = officer.events.get()
    request = correction_file(
        officer=officer,
        by=cast["oumou_user"],
        event=entry,
        proposed={"act_number": "2012-0999/DGPN"},
        justification="Le numéro de la décision est erroné",
        uploads=[PDF],
    )
    correction_approve(request=request, by=cast["clerk_bamako"])
    entry.refresh_from_db()
    assert entry.is_superseded
    new = CareerEvent.objects.get(officer=officer, is_superseded=False)
    assert new.act_number == "2012-0999/DGPN" and new.supersedes == entry
    assert new.kind == EventKind.ENTRY and new.unit == entry.unit


def test_officer_withdraws_a_pending_request(cast):
    request = _birth_place(cast)
    with pytest.raises(ValidationError):
        correction_withdraw(request=request, by=cast["moussa_user"])
    correction_withdraw(request=request, by=cast["oumou_user"])
    request.refresh_from_db()
    assert request.state == CorrectionRequest.State.WITHDRAWN
    with pytest.raises(ValidationError, match="déjà été traitée"):
        correction_approve(request=request, by=cast["clerk_bamako"])


def test_leaving_the_service_disables_the_account(cast):
    from matricule.personnel.services import Act, event_record

    event_record(
        officer=cast["oumou"],
        kind=EventKind.EXIT,
        effective_date=datetime.date(2025, 1, 31),
        status="resigned",
        act=Act(number="D-1", date=datetime.date(2025, 1, 20)),
        by=cast["clerk_bamako"],
    )
    cast["oumou_user"].refresh_from_db()
    assert not cast["oumou_user"].is_active


# --- Screens -----------------------------------------------------------------------------


def _other_officer_urls(cast):
    """Every URL that takes an identifier, filled with another officer's identifiers."""
    moussa = cast["moussa"]
    photo_event = moussa.events.get()
    other_request = correction_file(
        officer=moussa,
        by=cast["moussa_user"],
        field_name="birth_place",
        proposed={"value": "Kayes"},
        justification="Mauvais lieu de naissance",
        uploads=[PDF],
    )
    evidence = other_request.evidence.get()
    return [
        reverse("personnel:officer_profile", args=[moussa.matricule]),
        reverse("personnel:officer_career", args=[moussa.matricule]),
        reverse("personnel:officer_documents", args=[moussa.matricule]),
        reverse("personnel:officer_edit", args=[moussa.matricule]),
        reverse("personnel:event_create", args=[moussa.matricule, "affectation"]),
        reverse("personnel:event_correct", args=[moussa.matricule, photo_event.pk]),
        reverse("personnel:photo_upload", args=[moussa.matricule]),
        reverse("personnel:line_add", args=[moussa.matricule, "enfant"]),
        reverse("corrections:new_event", args=[photo_event.pk]),
        reverse("corrections:withdraw", args=[other_request.pk]),
        reverse("corrections:evidence", args=[other_request.pk, evidence.pk]),
        reverse("corrections:review", args=[other_request.pk]),
    ]


def test_an_officer_reaches_nothing_of_another_officer(client, cast, login):
    urls = _other_officer_urls(cast)
    login(cast["oumou_user"])
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("moussa_user", 404),
        ("oumou_user", 200),
    ],
)
def test_my_pages_are_for_the_officer_only(client, cast, login, who, expected):
    if who != "anonymous":
        login(cast[who])
    request = _birth_place(cast)
    for url in (reverse("corrections:withdraw", args=[request.pk]),):
        assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("oumou_user", 403),
        ("clerk_bamako", 200),
        ("clerk_gao", 200),
        ("inspector", 403),
    ],
)
def test_queue_access(client, cast, login, who, expected):
    _birth_place(cast)
    if who != "anonymous":
        login(cast[who])
    response = client.get(reverse("corrections:queue"))
    assert response.status_code == expected
    if who == "clerk_gao":
        assert response.context["page"].paginator.count == 0


def test_clerk_of_gao_gets_404_on_a_bamako_request(client, cast, login):
    request = _birth_place(cast)
    login(cast["clerk_gao"])
    assert client.get(reverse("corrections:review", args=[request.pk])).status_code == 404
    assert (
        client.post(reverse("corrections:review", args=[request.pk]), {"approve": "1"}).status_code
        == 404
    )
    request.refresh_from_db()
    assert request.state == "pending"


def test_my_record_shows_everything_and_prints(client, cast, login, django_assert_max_num_queries):
    login(cast["oumou_user"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("corrections:my_record"))
    body = response.content.decode()
    assert "Traoré" in body.upper() or "TRAORÉ" in body
    assert cast["oumou"].matricule in body
    assert "Corriger" in body
    pdf = client.get(reverse("corrections:my_record_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_views_by_others_are_logged_and_shown_to_the_officer(client, cast, login):
    login(cast["clerk_bamako"])
    client.get(reverse("personnel:officer_profile", args=[cast["oumou"].matricule]))
    client.get(reverse("personnel:officer_export", args=["csv"]), {"q": "traore"})
    access = accesses_for(officer=cast["oumou"]).order_by("id")
    assert [a.channel for a in access] == ["screen", "export"]
    assert "identity" in access[0].classes  # the clerk sees the NINA
    # The export is one row for all the officers it listed, naming each of them.
    assert access[1].officer_id is None
    assert f",{cast['oumou'].pk}," in access[1].officer_ids
    client.logout()
    login(cast["oumou_user"])
    client.get(reverse("corrections:my_record"))  # own views are not logged
    assert accesses_for(officer=cast["oumou"]).count() == 2
    page = client.get(reverse("corrections:my_accesses")).context["page"]
    assert len(page) == 2


def test_hr_opens_accounts_for_a_unit_and_first_login_forces_a_new_password(
    client, cast, login, hire
):
    newcomer = hire(unit="BKO-CA01", family_name="Sidibé", given_names="Awa", sex="F")
    login(cast["clerk_bamako"])
    unit = newcomer.unit
    response = client.post(reverse("officer_accounts"), {"unit": unit.pk})
    assert response["Content-Type"] == "application/pdf"
    from matricule.accounts.models import User

    account = User.objects.get(username=newcomer.matricule)
    assert account.officer == newcomer and account.must_change_password
    assert (
        not User.objects.filter(username=cast["oumou"].matricule)
        .exclude(pk=cast["oumou_user"].pk)
        .exists()
    )


def test_a_correction_cannot_propose_a_formula_as_a_name(hire, make_user):
    officer = hire(family_name="Traoré")
    account = make_user(username=officer.matricule, officer=officer)
    with pytest.raises(ValidationError) as refused:
        correction_file(
            officer=officer,
            by=account,
            field_name="family_name",
            proposed={"value": '=HYPERLINK("http://x","Clic")'},
            justification="Erreur de saisie sur le nom",
            uploads=[PDF],
        )
    assert "proposed" in refused.value.message_dict
    assert not CorrectionRequest.objects.exists()


def test_html_starting_with_pdf_is_not_evidence(hire, make_user):
    from matricule.core.tests.test_filetypes import HTML_PDF

    officer = hire()
    account = make_user(username=officer.matricule, officer=officer)
    with pytest.raises(ValidationError) as refused:
        correction_file(
            officer=officer,
            by=account,
            field_name="birth_place",
            proposed={"value": "Kati"},
            justification="Erreur sur le lieu de naissance",
            uploads=[Upload(name="acte.pdf", data=HTML_PDF)],
        )
    assert "ni un PDF" in refused.value.message_dict["files"][0]
    assert not CorrectionRequest.objects.exists()


def test_approving_a_proposed_unit_outside_the_clerks_scope_is_refused(cast):
    officer = cast["oumou"]
    entry = officer.events.get()
    request = correction_file(
        officer=officer,
        by=cast["oumou_user"],
        event=entry,
        proposed={"unit": "GAO-CC"},
        justification="Ma première affectation était à Gao",
        uploads=[PDF],
    )
    with pytest.raises(ValidationError) as refused:
        correction_approve(request=request, by=cast["clerk_bamako"])
    assert "hors de votre périmètre" in refused.value.message_dict["unit"][0]
    request.refresh_from_db()
    assert request.state == CorrectionRequest.State.PENDING
    assert not officer.events.get().is_superseded


# --- One pending request per field, and one-time form tokens ---------------------------


def test_a_second_pending_request_on_the_same_field_is_refused_in_french(cast):
    _birth_place(cast)
    with pytest.raises(ValidationError) as refused:
        _birth_place(cast, value="Koulikoro")
    assert "déjà en attente" in str(refused.value)
    assert CorrectionRequest.objects.filter(officer=cast["oumou"]).count() == 1


def test_the_database_refuses_a_second_pending_request_even_past_the_service(cast):
    from django.db import IntegrityError, transaction

    first = _birth_place(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(
            officer=cast["oumou"],
            target="field",
            field_name="birth_place",
            current=first.current,
            proposed={"value": "Koulikoro"},
            justification="doublon",
            created_by=cast["oumou_user"],
        )
    # Once decided, a new request on the field is welcome again.
    correction_withdraw(request=first, by=cast["oumou_user"])
    assert _birth_place(cast, value="Koulikoro").state == CorrectionRequest.State.PENDING


def test_the_constraint_is_checked_with_its_french_message():
    constraint = next(
        c
        for c in CorrectionRequest._meta.constraints
        if c.name == "correction_one_pending_per_field"
    )
    assert "déjà en attente" in str(constraint.violation_error_message)


def test_a_correction_form_sent_twice_files_one_request(client, cast, login):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    login(cast["oumou_user"])
    url = reverse("corrections:new_field", args=["birth_place"])
    page = client.get(url).content.decode()
    token = re.search(r'name="_once" value="([^"]+)"', page).group(1)

    def send():
        return client.post(
            url,
            {
                "value": "Kati",
                "justification": "Erreur de saisie sur le lieu de naissance",
                "scans": [SimpleUploadedFile("acte.pdf", PDF.data, "application/pdf")],
                "_once": token,
            },
        )

    first, second = send(), send()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert CorrectionRequest.objects.filter(officer=cast["oumou"]).count() == 1
