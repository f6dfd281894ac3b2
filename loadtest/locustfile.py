"""Locust scenario of `make loadtest`: officers, HR clerks and unit heads at work.

Run by loadtest/run.py, never imported by Django (locust's gevent would break it). Each
simulated user signs in with its own account (loadtest_accounts): password, then, for
the roles that need it, the TOTP code computed from its device's secret, as a phone
would. Requests go to gunicorn as nginx would pass them: `X-Forwarded-Proto: https`
(docs/deployment.md §5.2), so the production settings' HTTPS rules all apply.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"]).read())
PASSWORD = ACCOUNTS["password"]
# The records each role may open: the Bamako region for clerks, their unit for its head.
RECORDS = {"hr_clerk": ACCOUNTS["bamako"], "supervisor": ACCOUNTS["ca01"] or ACCOUNTS["bamako"]}
_next_account = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ONCE = re.compile(r'name="_once" value="([^"]+)"')


class BehindTls(RequestsCookieJar):
    """nginx terminates TLS: the browser sends the Secure cookies, so do we over loopback.

    (A cookie policy would not do: requests copies the jar into a default one per request.)
    """

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def totp(key_hex: str, at: float | None = None) -> str:
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.account = ACCOUNTS["users"][next(_next_account) % len(ACCOUNTS["users"])]
        self.role = self.account["role"]
        self.client.cookies = BehindTls()
        origin = self.host.replace("http://", "https://")
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "X-Real-IP": "127.0.0.1", "Origin": origin}
        )
        page = self.client.get("/compte/connexion/", name="connexion (page)")
        response = self.client.post(
            "/compte/connexion/",
            {
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            headers={"Referer": f"{origin}/compte/connexion/"},
            name="connexion (mot de passe)",
        )
        if self.account["totp"] and "double-authentification" in response.url:
            response = self.client.post(
                response.url,
                {"token": totp(self.account["totp"]), "csrfmiddlewaretoken": _csrf(response.text)},
                headers={"Referer": response.url},
                name="connexion (code TOTP)",
            )

    @task(5)
    def home(self) -> None:
        self.client.get("/", name="accueil")

    @task(8)
    def work(self) -> None:
        if self.role == "officer":
            self._officer()
        else:
            self._clerk()

    def _officer(self) -> None:
        choice = random.random()
        if choice < 0.6:
            self.client.get("/moi/", name="moi : mon dossier")
        elif choice < 0.9:
            self.client.get("/moi/corrections/", name="moi : mes demandes")
        else:
            self.client.get("/moi/consultations/", name="moi : consultations")

    def _clerk(self) -> None:
        matricule = random.choice(RECORDS[self.role])
        choice = random.random()
        if choice < 0.25:
            self.client.get("/agents/?unit=DR-BKO&sort=name", name="agents : liste")
        elif choice < 0.4:
            self.client.get(
                f"/agents/?q={random.choice(['traore', 'keita', 'diallo', 'coul'])}",
                name="agents : recherche",
            )
        elif choice < 0.7:
            self.client.get(f"/agents/{matricule}/", name="agent : fiche")
        elif choice < 0.9 or self.role != "hr_clerk":
            self.client.get(f"/agents/{matricule}/carriere/", name="agent : carrière")
        else:
            self._record_function(matricule)

    def _record_function(self, matricule: str) -> None:
        url = f"/agents/{matricule}/carriere/fonction/"
        page = self.client.get(url, name="écriture : formulaire")
        found = ONCE.search(page.text)
        today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()  # Bamako is UTC
        with self.client.post(
            url,
            {
                "effective_date": today,
                "function": random.choice(["Chef de poste", "Adjoint", "Enquêteur", "Planton"]),
                "act_kind": "decision",
                "act_number": f"{random.randint(1, 99999)}/DGPN",
                "act_date": today,
                "csrfmiddlewaretoken": _csrf(page.text),
                "_once": found.group(1) if found else "",
            },
            headers={"Referer": f"{self.host.replace('http://', 'https://')}{url}"},
            name="écriture : événement de carrière",
            catch_response=True,
        ) as response:
            # Saved means redirected to the career page.
            if "/carriere/" in response.url and "fonction" not in response.url:
                response.success()
            else:
                response.failure(f"non enregistré ({response.status_code})")


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""
