"""Cards of the OCS and the ministry: each agency's own name, colours and signatory."""

from __future__ import annotations

import datetime

import pytest

from matricule.cards.pdf import render_cards_pdf
from matricule.cards.selectors import verifier_names
from matricule.cards.services import card_claims
from matricule.cards.tokens import CardClaims
from matricule.core.models import Agency, Grade, Unit
from matricule.core.tests.pdf import pdf_text
from matricule.personnel.services import Act, officer_create
from matricule.personnel.tests.factories import ocs_member_for_test

pytestmark = pytest.mark.django_db


def _ministry_secretary():
    mspc = Agency.objects.get(code="MSPC")
    return officer_create(
        agency=mspc,
        identity={
            "family_name": "Sidibé",
            "given_names": "Fanta",
            "sex": "F",
            "birth_date": datetime.date(1990, 1, 5),
        },
        unit=Unit.objects.get(code="MSPC-SG"),
        grade=Grade.objects.get(statute__agency=mspc, code="SA1"),
        entry_date=datetime.date(2015, 2, 1),
        act=Act(kind="arrete", number="2015-0007/MSPC", date=datetime.date(2015, 1, 20)),
        by=None,
    )


@pytest.mark.parametrize(
    ("who", "says", "never"),
    [
        (
            "ocs",
            ["Office central des stupéfiants", "Inspecteur des douanes (Douanes)", "de l'OCS"],
            "Police nationale",
        ),
        (
            "mspc",
            ["Ministère de la Sécurité et de la Protection civile", "Secrétaire général"],
            "Police nationale",
        ),
        ("pn", ["Police nationale du Mali"], "stupéfiants"),
    ],
)
def test_card_carries_the_agencys_own_name_and_signatory(hire, issue_card, who, says, never):
    officer = {
        "ocs": lambda: ocs_member_for_test(origin="DOUANES", grade="INS"),
        "mspc": _ministry_secretary,
        "pn": lambda: hire(),
    }[who]()
    text = " ".join(pdf_text(render_cards_pdf([issue_card(officer)], layout="single")).split())
    for words in says:
        assert words in text
    assert never not in text


def test_an_ocs_card_names_the_origin_grade_and_ends_with_the_secondment(hire):
    member = ocs_member_for_test(
        origin="GEND", grade="ADC", secondment_end=datetime.date(2027, 6, 30)
    )
    member.refresh_from_db()
    from matricule.cards.models import Card

    claims: CardClaims = card_claims(
        Card(number="X", officer=member, agency=member.agency),
        member,
        issued_on=datetime.date(2026, 1, 5),
    )
    assert claims.grade_code == "GEND:ADC"
    assert claims.expires_on == datetime.date(2027, 6, 30)
    # The offline verifier reads that grade in the gendarmerie's ranks.
    assert verifier_names()["OCS"]["grades"]["GEND:ADC"] == "Adjudant-chef (Gendarmerie)"
