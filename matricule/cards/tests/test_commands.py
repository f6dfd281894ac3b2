"""card_keys, card_issue and card_revoke, as the badge office and scripts use them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from matricule.cards.models import Card, CardKey, CardStatus
from matricule.cards.selectors import card_check

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_card_issue_writes_the_pdf_and_prints_the_number_last(hire, tmp_path):
    officer = hire(family_name="Dembélé")
    target = tmp_path / "carte.pdf"
    out, _err = _run("card_issue", officer.matricule, "--pdf", str(target))
    number = out.strip().splitlines()[-1]
    card = Card.objects.get(number=number)
    assert card.officer == officer and card.status == CardStatus.ISSUED
    assert card.handed_to == f"DEMBÉLÉ {officer.given_names}"
    assert target.read_bytes().startswith(b"%PDF")
    assert card_check(token=card.token).result == "valid"


def test_card_issue_refuses_unknown_matricule_and_bad_folder(hire, tmp_path):
    with pytest.raises(CommandError, match="Matricule inconnu"):
        _run("card_issue", "PN999999Z", "--pdf", str(tmp_path / "x.pdf"))
    officer = hire()
    with pytest.raises(CommandError, match="Dossier introuvable"):
        _run("card_issue", officer.matricule, "--pdf", str(tmp_path / "absent" / "x.pdf"))
    assert not Card.objects.exists()


def test_card_revoke(hire, tmp_path):
    officer = hire()
    number = _run("card_issue", officer.matricule, "--pdf", str(tmp_path / "c.pdf"))[0].split()[-1]
    out, _ = _run("card_revoke", number, "--reason", "stolen", "--dry-run")
    assert "serait retirée" in out
    assert Card.objects.get(number=number).status == CardStatus.ISSUED
    _run("card_revoke", number, "--reason", "stolen", "--detail", "PV 12")
    card = Card.objects.get(number=number)
    assert card.status == CardStatus.STOLEN
    assert card_check(token=card.token).result == "revoked"
    with pytest.raises(CommandError, match="Impossible"):
        _run("card_revoke", number, "--reason", "lost")
    with pytest.raises(CommandError, match="Carte inconnue"):
        _run("card_revoke", "PN-9999999", "--reason", "lost")


def test_card_keys_rotate_and_list(hire, tmp_path, card_keys_dir):
    officer = hire()
    number = _run("card_issue", officer.matricule, "--pdf", str(tmp_path / "c.pdf"))[0].split()[-1]
    first = Card.objects.get(number=number).kid
    out, err = _run("card_keys", "rotate")
    new = out.strip()
    assert new != first and (card_keys_dir / f"{new}.pem").exists()
    assert "Sauvegardez" in err
    listing = _run("card_keys", "list")[0]
    assert f"{first}  EdDSA" in listing and "retirée le" in listing and "1 carte(s)" in listing
    assert f"{new}  EdDSA" in listing and "en service" in listing
    assert _run("card_keys", "rotate", "--dry-run")[0].startswith("Une nouvelle clé")
    assert CardKey.objects.count() == 2
    assert card_check(token=Card.objects.get(number=number).token).result == "valid"


def test_card_expire_marks_cards_past_their_date(hire, issue_card, monkeypatch):
    from django.utils import timezone

    card = issue_card(hire())
    assert _run("card_expire")[0].startswith("0 carte")
    later = card.expires_on.replace(year=card.expires_on.year + 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    assert _run("card_expire", "--dry-run")[0].startswith("1 carte(s) seraient")
    assert Card.objects.get(pk=card.pk).status == CardStatus.ISSUED
    assert _run("card_expire")[0].startswith("1 carte(s) marquée(s)")
    assert Card.objects.get(pk=card.pk).status == CardStatus.EXPIRED
