"""Badge office screens and the officer's own card page: who may do what, and outcomes."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from matricule.accounts.roles import Role
from matricule.cards.models import Card, CardStatus
from matricule.cards.services import card_request, cards_print
from matricule.core.models import AuditEntry
from matricule.personnel.tests.factories import letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(hire, make_user, issue_card):
    bamako = hire(unit="BKO-CA01", family_name="Traoré", given_names="Moussa")
    gao = hire(unit="GAO-CC", family_name="Maïga", given_names="Fatoumata", sex="F")
    return {
        "bamako": bamako,
        "gao": gao,
        "card": issue_card(bamako),
        "gao_card": issue_card(gao),
        "badge": make_user(Role.BADGE_OFFICER),
        "badge_bamako": make_user(Role.BADGE_OFFICER, "DR-BKO"),
        "badge_gao": make_user(Role.BADGE_OFFICER, "DR-GAO"),
        "clerk": make_user(Role.HR_CLERK, "DR-BKO"),
        "officer": make_user(Role.OFFICER, officer=bamako),
    }


def _get(client, login, cast, who, url):
    if who != "anonymous":
        login(cast[who])
    return client.get(url)


LIST_URLS = [
    "cards:card_list",
    "cards:batch_request",
    "cards:batch_print",
    "cards:missing_report",
    "cards:missing_export",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 403), ("clerk", 403), ("badge_gao", 200), ("badge", 200)],
)
@pytest.mark.parametrize("name", LIST_URLS)
def test_badge_screens_are_for_badge_officers(client, login, cast, who, expected, name):
    assert _get(client, login, cast, who, reverse(name)).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("clerk", 403),
        ("badge_gao", 404),
        ("badge_bamako", 200),
        ("badge", 200),
    ],
)
@pytest.mark.parametrize(
    "name", ["card_detail", "card_pdf", "card_hand_over", "card_activate", "card_withdraw"]
)
def test_a_card_is_reached_only_inside_the_scope(client, login, cast, who, expected, name):
    url = reverse(f"cards:{name}", args=[cast["card"].number])
    response = _get(client, login, cast, who, url)
    # The handover and activate screens send back to the card when the state does not fit.
    assert response.status_code == (
        302 if expected == 200 and name == "card_hand_over" else expected
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 403), ("clerk", 403), ("badge_gao", 404), ("badge", 200)],
)
def test_officer_card_tab(client, login, cast, who, expected):
    url = reverse("cards:officer_cards", args=[cast["bamako"].matricule])
    response = _get(client, login, cast, who, url)
    assert response.status_code == expected
    if expected == 200:
        assert cast["card"].number in response.content.decode()


def test_list_shows_only_cards_in_scope_with_constant_queries(
    client, login, cast, hire, issue_card, django_assert_max_num_queries
):
    login(cast["badge_gao"])
    response = client.get(reverse("cards:card_list"))
    text = response.content.decode()
    assert cast["gao_card"].number in text and cast["card"].number not in text
    login(cast["badge"])
    client.get(reverse("cards:card_list"))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("cards:card_list"))
    for i in range(8):
        issue_card(hire(family_name=f"Diallo {letters(i)}"))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("cards:card_list") + "?status=issued").status_code == 200


def test_detail_has_constant_queries(client, login, cast, django_assert_max_num_queries):
    login(cast["badge"])
    url = reverse("cards:card_detail", args=[cast["card"].number])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_batch_request_then_print_then_hand_over(client, login, cast, hire):
    newcomers = [hire(unit="BKO-CA01", family_name=f"Konaté {letters(i)}") for i in range(3)]
    login(cast["badge_bamako"])
    preview = client.get(reverse("cards:batch_request") + "?unit=BKO-CA01")
    assert "3 agents" in preview.content.decode()
    response = client.post(reverse("cards:batch_request"), {"unit": "BKO-CA01"})
    assert response.status_code == 302
    requested = Card.objects.filter(status=CardStatus.REQUESTED)
    assert sorted(c.officer_id for c in requested) == sorted(o.pk for o in newcomers)

    page = client.get(reverse("cards:batch_print"))
    numbers = [c.number for c in requested]
    assert all(n in page.content.decode() for n in numbers)
    # The newcomers have no photo yet: printing them needs an explicit "print anyway".
    refused = client.post(reverse("cards:batch_print"), {"cards": numbers[:2]})
    assert "pas de photo du titulaire" in refused.content.decode()
    assert Card.objects.filter(status=CardStatus.PRINTED).count() == 0
    pdf = client.post(reverse("cards:batch_print"), {"cards": numbers[:2], "allow_no_photo": "on"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert Card.objects.filter(status=CardStatus.PRINTED).count() == 2

    card = Card.objects.filter(status=CardStatus.PRINTED).first()
    url = reverse("cards:card_hand_over", args=[card.number])
    refused = client.post(url, {"handed_to": "KONATÉ Awa"})  # confirmation not ticked
    assert "Cochez la case" in refused.content.decode()
    card.refresh_from_db()
    assert card.status == CardStatus.PRINTED
    client.post(url, {"handed_to": "KONATÉ Awa", "confirm": "on"})
    card.refresh_from_db()
    assert card.status == CardStatus.ISSUED and card.handed_to == "KONATÉ Awa"


def test_batch_request_refuses_a_unit_outside_the_scope(client, login, cast):
    login(cast["badge_bamako"])
    before = Card.objects.count()
    response = client.post(reverse("cards:batch_request"), {"unit": "GAO-CC"})
    assert response.status_code == 200
    assert "Choisissez une unité de votre périmètre" in response.content.decode()
    assert Card.objects.count() == before


def test_print_without_any_card_ticked_writes_nothing(client, login, cast, hire):
    card_request(officer=hire(), by=None)
    login(cast["badge"])
    audits = AuditEntry.objects.count()
    response = client.post(reverse("cards:batch_print"), {})
    assert "Cochez au moins une carte" in response.content.decode()
    assert AuditEntry.objects.count() == audits
    assert not Card.objects.filter(status=CardStatus.PRINTED).exists()


def test_withdraw_needs_confirmation_then_revokes(client, login, cast):
    login(cast["badge"])
    card = cast["card"]
    url = reverse("cards:card_withdraw", args=[card.number])
    assert 'value="stolen" selected' in client.get(url + "?motif=stolen").content.decode()
    client.post(url, {"reason": "stolen"})
    card.refresh_from_db()
    assert card.status == CardStatus.ISSUED
    client.post(url, {"reason": "stolen", "detail": "PV n° 45", "confirm": "on"})
    card.refresh_from_db()
    assert card.status == CardStatus.STOLEN and "PV n° 45" in card.end_reason


def test_single_card_pdf_and_print_from_detail(client, login, cast, hire):
    login(cast["badge"])
    response = client.get(reverse("cards:card_pdf", args=[cast["card"].number]))
    assert response["Content-Type"] == "application/pdf"
    requested = card_request(officer=hire(), by=None)
    assert client.get(reverse("cards:card_pdf", args=[requested.number])).status_code == 404
    asked = client.post(reverse("cards:card_pdf", args=[requested.number]))
    assert "sans photo" in asked.content.decode()
    requested.refresh_from_db()
    assert requested.status == CardStatus.REQUESTED
    printed = client.post(reverse("cards:card_pdf", args=[requested.number]), {"confirme": "oui"})
    assert printed["Content-Type"] == "application/pdf"
    requested.refresh_from_db()
    assert requested.status == CardStatus.PRINTED


def test_missing_report_counts_and_export(client, login, cast, hire):
    hire(unit="BKO-CA01", family_name="Sanscarte")
    pending = hire(unit="BKO-CA01", family_name="Enattente")
    cards_print(cards=[card_request(officer=pending, by=None)], by=None)
    login(cast["badge_bamako"])
    text = client.get(reverse("cards:missing_report")).content.decode()
    assert "Commissariat du 1er arrondissement" in text
    export = client.get(reverse("cards:missing_export") + "?unit=BKO-CA01")
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][2] == "Matricule"
    names = {r[3]: r[6] for r in rows[1:]}
    assert names == {"Sanscarte": "non", "Enattente": "oui"}


def test_officer_sees_own_card_and_declares_it_lost(client, login, cast):
    login(cast["officer"])
    card = cast["card"]
    page = client.get(reverse("cards:my_card")).content.decode()
    assert card.number in page and "Déclarer perdue" in page
    url = reverse("cards:my_card_action", args=[card.number, "perdue"])
    assert client.get(url).status_code == 200
    client.post(url, {})
    card.refresh_from_db()
    assert card.status == CardStatus.ISSUED
    client.post(url, {"confirm": "on"})
    card.refresh_from_db()
    assert card.status == CardStatus.LOST
    assert (
        "Vous n'avez pas de carte valide" in client.get(reverse("cards:my_card")).content.decode()
    )


def test_officer_cannot_act_on_someone_elses_card(client, login, cast):
    login(cast["officer"])
    other = cast["gao_card"]
    url = reverse("cards:my_card_action", args=[other.number, "perdue"])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    other.refresh_from_db()
    assert other.status == CardStatus.ISSUED


def test_officer_confirms_receipt(client, login, cast):
    login(cast["officer"])
    card = cast["card"]
    client.post(reverse("cards:my_card_action", args=[card.number, "recue"]), {"confirm": "on"})
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_user_without_officer_record_gets_an_explanation(client, login, cast):
    login(cast["clerk"])
    text = client.get(reverse("cards:my_card")).content.decode()
    assert "relié à aucun dossier" in text


def test_request_from_the_officer_record(client, login, cast):
    login(cast["badge"])
    url = reverse("cards:officer_cards", args=[cast["gao"].matricule])
    client.post(url)
    assert Card.objects.filter(officer=cast["gao"], status=CardStatus.REQUESTED).count() == 1
    client.post(url)  # a second request is refused with a message
    assert Card.objects.filter(officer=cast["gao"], status=CardStatus.REQUESTED).count() == 1


def test_report_and_my_card_have_constant_queries(
    client, login, cast, hire, django_assert_max_num_queries
):
    login(cast["badge"])
    client.get(reverse("cards:missing_report"))
    with django_assert_max_num_queries(10) as first:
        client.get(reverse("cards:missing_report"))
    for i in range(5):
        hire(unit="GAO-CC", family_name=f"Touré {letters(i)}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("cards:missing_report"))
    login(cast["officer"])
    client.get(reverse("cards:my_card"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("cards:my_card")).status_code == 200


@pytest.mark.django_db
def test_badge_officer_of_a_host_agency_cannot_touch_a_seconded_officers_card(
    client, login, make_user, hire, issue_card
):
    import datetime

    from django.urls import reverse

    from matricule.accounts.models import RoleGrant
    from matricule.accounts.roles import Role
    from matricule.core.models import Unit
    from matricule.personnel.models import EventKind
    from matricule.personnel.services import Act, event_record

    officer = hire(unit="BKO-CA01", family_name="Coulibaly", given_names="Drissa")
    card = issue_card(officer)
    host = Unit.objects.get(agency__code="OCS", code="OCS-DOP")
    event_record(
        officer=officer,
        kind=EventKind.SECONDMENT,
        effective_date=datetime.date(2024, 1, 2),
        unit=host,
        act=Act(number="D-OCS-1", date=datetime.date(2023, 12, 20)),
        by=None,
    )
    ocs_badge = make_user(username="cartes.ocs")
    RoleGrant.objects.create(user=ocs_badge, role=Role.BADGE_OFFICER, agency=host.agency)
    login(ocs_badge)
    assert client.get(reverse("cards:card_detail", args=[card.number])).status_code == 404
    assert client.get(reverse("cards:officer_cards", args=[officer.matricule])).status_code == 404


def test_missing_export_writes_a_formula_name_as_text_and_logs_once(client, login, cast, hire):
    from matricule.core.tests.test_exports import (
        FORMULA,
        assert_csv_neutralised,
        assert_xlsx_holds_text,
    )
    from matricule.personnel.models import RecordAccess

    officer = hire(unit="BKO-CA01", family_name="Sanscarte")
    type(officer).objects.filter(pk=officer.pk).update(family_name=FORMULA)
    login(cast["badge_bamako"])
    url = reverse("cards:missing_export") + "?unit=BKO-CA01"
    assert_csv_neutralised(client.get(url).getvalue().decode("utf-8-sig"))
    assert_xlsx_holds_text(client.get(url + "&format=xlsx").content)
    logs = RecordAccess.objects.filter(viewer=cast["badge_bamako"], channel="export")
    assert logs.count() == 2
    assert all(f",{officer.pk}," in r.officer_ids and r.officer_id is None for r in logs)
