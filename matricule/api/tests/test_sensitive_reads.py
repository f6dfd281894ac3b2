"""Every page, file and API answer that shows a record writes exactly one access row.

The walk covers every address of the record (any URL taking a matricule or a card number)
and every API operation on an officer: a new one that shows a record without logging it,
or that nobody listed here, makes this test fail.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import Role
from matricule.cards.tests.factories import card_issue_for_test, photo_for_test
from matricule.core.models import DocumentType
from matricule.core.tests.pdf import tiny_pdf
from matricule.corrections.services import Upload, correction_file
from matricule.personnel.models import EventKind, RecordAccess
from matricule.personnel.services import Act, document_add, event_record
from matricule.personnel.services.discipline import disciplinary_case_open

pytestmark = pytest.mark.django_db

# URL names that take a matricule or a card number and show no record data by themselves
# (writes, confirmations, and pages of one's own): why they log nothing.
NOT_READS = {
    "personnel:event_create": "a form with the header only (a correction logs, below)",
    "personnel:line_add": "a form with the header only",
    "personnel:case_open": "a form with the header only (closing one logs, below)",
    "personnel:line_remove": "a confirmation naming one line",
    "personnel:photo_upload": "a form; its thumbnails are photo_file reads",
    "cards:card_hand_over": "a write",
    "cards:card_activate": "a write",
    "cards:card_withdraw": "a write",
    "cards:my_card_action": "the holder's own card",
    "training:certificate_pdf": "a certificate (no sensitive class), the holder's or HR's",
    "verify:check": "the public card check, rate-limited and logged as a verification",
    "verify:check_photo": "the public card check's photo, same",
    # Candidates are applicants, not officers: their file has no officer access log yet.
    "recruitment:candidate_detail": "a candidate's application, not an officer's record",
    "recruitment:candidate_document": "a candidate's scan, not an officer's record",
    "recruitment:candidate_document_upload": "a write on a candidate",
    "recruitment:candidate_withdraw": "a write on a candidate",
}


@pytest.fixture
def record(hire, make_user):
    officer = hire(unit="BKO-CA01", family_name="Diarra", given_names="Awa", sex="F")
    type(officer).objects.filter(pk=officer.pk).update(blood_group="O+")
    officer.refresh_from_db()
    photo = photo_for_test(officer)
    document = document_add(
        officer=officer,
        doc_type=DocumentType.objects.first(),
        title="Diplôme",
        date=datetime.date(2010, 6, 30),
        data=tiny_pdf(),
        filename="diplome.pdf",
        by=None,
    )
    sanction = event_record(
        officer=officer,
        kind=EventKind.SANCTION,
        effective_date=datetime.date(2015, 2, 1),
        detail="Blâme",
        act=Act(kind="decision", number="2015-7/DGPN", date=datetime.date(2015, 1, 20)),
        by=None,
    )
    card = card_issue_for_test(officer)
    account = make_user(Role.OFFICER, username=officer.matricule, officer=officer)
    correction = correction_file(
        officer=officer,
        by=account,
        field_name="nina",
        proposed={"value": "19900101000001Z"},
        justification="Mon NINA est mal recopié",
        uploads=[Upload(name="nina.pdf", data=tiny_pdf())],
    )
    reader = make_user(Role.HR_DIRECTOR, username="drh.lecteur")
    RoleGrant.objects.create(user=reader, role=Role.BADGE_OFFICER, agency=officer.agency)
    RoleGrant.objects.create(user=reader, role=Role.OPERATIONS_PLANNER, agency=officer.agency)
    out = io.StringIO()
    call_command("issue_token", reader.username, stdout=out, stderr=io.StringIO())
    return {
        "officer": officer,
        "photo": photo,
        "document": document,
        "sanction": sanction,
        "case": disciplinary_case_open(
            officer=officer,
            opened_on=datetime.date(2016, 3, 1),
            reference="CD-2016-3",
            subject="Absence",
            by=None,
        ),
        "card": card,
        "correction": correction,
        "reader": reader,
        "token": {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().split()[-1]}"},
    }


def _reads(r):
    """(URL name, address, classes the row must name) for every read of the record."""
    m = r["officer"].matricule
    n = r["card"].number
    c = r["correction"]
    return [
        (
            "personnel:officer_profile",
            reverse("personnel:officer_profile", args=[m]),
            {"record", "identity", "health"},
        ),
        (
            "personnel:officer_edit",
            reverse("personnel:officer_edit", args=[m]),
            {"record", "identity", "health"},
        ),
        (
            "personnel:officer_career",
            reverse("personnel:officer_career", args=[m]),
            {"career", "discipline"},
        ),
        (
            "personnel:event_correct",
            reverse("personnel:event_correct", args=[m, r["sanction"].pk]),
            {"career", "discipline"},
        ),
        (
            "personnel:officer_documents",
            reverse("personnel:officer_documents", args=[m]),
            {"documents"},
        ),
        (
            "personnel:document_download",
            reverse("personnel:document_download", args=[m, r["document"].pk]),
            {"documents"},
        ),
        (
            "personnel:photo_file",
            reverse("personnel:photo_file", args=[m, r["photo"].pk]),
            {"biometric"},
        ),
        ("training:officer_training", reverse("training:officer_training", args=[m]), {"training"}),
        ("cards:officer_cards", reverse("cards:officer_cards", args=[m]), {"card"}),
        (
            "deployments:officer_missions",
            reverse("deployments:officer_missions", args=[m]),
            {"career", "discipline"},
        ),
        ("cards:card_detail", reverse("cards:card_detail", args=[n]), {"card"}),
        ("cards:card_pdf", reverse("cards:card_pdf", args=[n]), {"card", "biometric"}),
        (
            "personnel:case_close",
            reverse("personnel:case_close", args=[m, r["case"].pk]),
            {"career", "discipline"},
        ),
        ("corrections:review", reverse("corrections:review", args=[c.pk]), {"record", "identity"}),
        ("corrections:queue", reverse("corrections:queue"), {"record", "identity"}),
        (
            "corrections:evidence",
            reverse("corrections:evidence", args=[c.pk, c.evidence.get().pk]),
            {"documents"},
        ),
        ("api:get_officer", f"/api/v1/officers/{m}", {"record", "identity", "health"}),
        ("api:list_events", f"/api/v1/officers/{m}/events", {"career", "discipline"}),
        ("api:queue", "/api/v1/corrections", {"record", "identity"}),
    ]


def test_every_read_of_a_sensitive_class_writes_one_access_row(client_for, record):
    client = client_for(record["reader"])
    for name, url, classes in _reads(record):
        before = set(RecordAccess.objects.values_list("pk", flat=True))
        headers = record["token"] if url.startswith("/api/") else {}
        response = client.get(url, **headers)
        assert response.status_code == 200, (name, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        new = list(RecordAccess.objects.exclude(pk__in=before))
        assert len(new) == 1, (name, [(a.channel, a.classes) for a in new])
        assert new[0].officer_id == record["officer"].pk, name
        assert classes <= set(new[0].classes.split(",")), (name, new[0].classes)
        assert new[0].viewer == record["reader"]


def test_one_sheet_of_cards_is_one_row_naming_every_holder(client_for, record, hire):
    from matricule.cards.services import card_request

    others = [hire(unit="BKO-CA01", family_name=name) for name in ("Keïta", "Touré")]
    for officer in others:
        card_request(officer=officer, by=None)
    client = client_for(record["reader"])
    waiting = client.get(reverse("cards:batch_print")).context["waiting"]
    before = RecordAccess.objects.count()
    pdf = client.post(
        reverse("cards:batch_print"),
        {"cards": [c.number for c in waiting], "allow_no_photo": "on"},
    )
    assert pdf["Content-Type"] == "application/pdf"
    rows = list(RecordAccess.objects.order_by("-id")[: RecordAccess.objects.count() - before])
    assert len(rows) == 1 and rows[0].channel == "pdf" and rows[0].officer_count == 2
    assert all(f",{o.pk}," in rows[0].officer_ids for o in others)


def _record_urls():
    """Every named URL whose address takes a matricule or a card number."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                route = str(entry.pattern)
                if "<str:matricule>" in route or "<str:number>" in route:
                    found.append(f"{namespace}:{entry.name}" if namespace else entry.name)
                elif "<str:token>" in route and namespace == "verify":
                    found.append(f"verify:{entry.name}")

    walk(get_resolver().url_patterns, "")
    return set(found)


def test_the_walk_covers_every_address_of_a_record(record):
    read = {name for name, _url, _classes in _reads(record)}
    missing = _record_urls() - read - set(NOT_READS)
    assert not missing, f"record addresses neither walked nor exempted: {sorted(missing)}"


def test_every_api_operation_on_an_officer_is_walked(client, record):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    walked = {url for _name, url, _classes in _reads(record) if url.startswith("/api/")}
    m = record["officer"].matricule
    for path, operations in paths.items():
        if "{matricule}" in path and "get" in operations:
            assert path.replace("{matricule}", m) in walked, path
