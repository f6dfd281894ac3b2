"""Page weight on a 256 kbit/s link (SPEC §4): bytes on the wire, measured in Chromium.

Each main screen is loaded twice: once with an empty cache (the first load: HTML, style
sheet, script, icon, ≤ 150 KB) and once more as a later navigation (≤ 30 KB). The sizes
are what Chromium received, headers included (CDP `Network.loadingFinished`), so GZip on
the HTML is part of what is measured.
"""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page

from matricule.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIRST_LOAD_BUDGET = 150_000
LATER_BUDGET = 30_000
PASSWORD = "Mot-de-passe-2026"


class Meter:
    """Bytes received by the page's network stack between start() and total()."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.sizes: dict[str, int] = {}
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict[str, Any]) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def load(self, url: str, *, cold: bool) -> int:
        if cold:
            self.cdp.send("Network.clearBrowserCache")
        self.sizes = {}
        self.page.goto(url, wait_until="networkidle")
        return sum(self.sizes.values())


def sign_in(page: Page, url: str, username: str, device: Any = None) -> None:
    page.goto(url + "/compte/connexion/")
    page.get_by_label("Identifiant ou matricule").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state("networkidle")


def test_main_screens_stay_within_the_page_budgets(
    live_server, browser: Browser, make_user, make_officer, capsys
):
    from matricule.cards.services import card_issue_now, card_request
    from matricule.core.audit import audit_record

    officers = [
        make_officer(unit="BKO-CA01", family_name=f"Traoré{i:02d}", given_names="Aminata Fanta")
        for i in range(60)
    ]
    for officer in officers[:40]:
        card_issue_now(officer=officer, handed_to="le titulaire", by=None)
    for officer in officers[40:55]:
        card_request(officer=officer, by=None)
    for officer in officers[:50]:
        audit_record(
            by=None,
            action="officer.update",
            obj=officer,
            subject_officer_id=officer.pk,
            before={"birth_place": "Ségou", "phone": "+223 76 00 00 00"},
            after={"birth_place": "Kati", "phone": "+223 66 00 00 00"},
        )
    clerk = make_user(Role.HR_CLERK, "DR-BKO", username="rh.bko", password=PASSWORD)
    badge = make_user(Role.BADGE_OFFICER, "DR-BKO", username="cartes.bko", password=PASSWORD)
    make_user(Role.INSPECTOR, username="inspection", password=PASSWORD)
    devices = {
        user.username: TOTPDevice.objects.create(user=user, name="tél.", confirmed=True)
        for user in (clerk, badge)
    }
    card = officers[0].cards.get()
    profile = f"/agents/{officers[0].matricule}/"
    screens = {
        "rh.bko": [
            "/",
            "/agents/",
            profile,
            profile + "carriere/",
            "/corrections/",
            "/compte/agents/",
        ],
        "cartes.bko": [
            "/cartes/",
            "/cartes/impression/",
            f"/cartes/{card.number}/",
            "/cartes/sans-carte/",
        ],
        "inspection": ["/audit/", "/agents/"],
    }
    results = []
    for username, urls in screens.items():
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        sign_in(page, live_server.url, username, devices.get(username))
        meter = Meter(page)
        for path in urls:
            first = meter.load(live_server.url + path, cold=True)
            later = meter.load(live_server.url + path, cold=False)
            results.append((username, path, first, later))
        response = page.goto(live_server.url + urls[0])
        assert response is not None
        assert response.headers.get("content-encoding") == "gzip", "pages must travel compressed"
        context.close()

    with capsys.disabled():
        print("\nPoids des pages (octets reçus : premier chargement / navigation suivante)")
        for username, path, first, later in results:
            print(f"  {username:12} {path:40} {first:>8} / {later:>6}")
    too_heavy = [
        (u, p, f, later)
        for u, p, f, later in results
        if f > FIRST_LOAD_BUDGET or later > LATER_BUDGET
    ]
    assert not too_heavy, f"au-delà du budget (150 Ko / 30 Ko) : {too_heavy}"
    # The measure is real: the first load includes the style sheet and the script.
    assert all(first > later for _u, _p, first, later in results)
