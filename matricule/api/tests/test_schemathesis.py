"""The API fuzzed from its own OpenAPI document by schemathesis, as two kinds of caller.

Every operation of /api/v1/ gets a few generated requests (valid and invalid ones), as an
HR director (who may write) and as an officer (who may mostly read), with every check
schemathesis has: no server error, status codes, content types, headers and bodies as
documented, invalid data refused, valid data accepted. The figures are printed at the end
(`-s` shows them) and the test fails on any failure.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.hypothesis.builder import add_examples

from matricule.accounts.roles import Role
from matricule.api.schemas import EXAMPLE_CORRECTION_ID, EXAMPLE_MATRICULE
from matricule.core.models import Grade, Signatory, Unit
from matricule.core.tests.pdf import tiny_pdf
from matricule.corrections.models import CorrectionRequest
from matricule.corrections.services import Upload, correction_file
from matricule.personnel.services import Act, officer_create

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 6
# Checks that need something this run does not configure (a response-time budget).
SKIPPED_CHECKS = {"max_response_time"}


@pytest.fixture
def world(mali, make_user):
    """A small force: an officer with an account, a director, a pending correction."""
    unit = Unit.objects.get(agency=mali, code="BKO-CA01")
    grade = Grade.objects.get(statute__agency=mali, statute__code="S2010", code="SGT")
    officer = officer_create(
        agency=mali,
        identity={
            "family_name": "Traoré",
            "given_names": "Moussa",
            "sex": "M",
            "birth_date": datetime.date(1985, 3, 14),
            "nina": "19850314000001A",
        },
        unit=unit,
        grade=grade,
        entry_date=datetime.date(2012, 10, 1),
        act=Act(kind="arrete", number="2012-0457/MSPC", date=datetime.date(2012, 9, 15)),
        matricule=EXAMPLE_MATRICULE,  # the officer the document's examples name
        by=None,
    )
    account = make_user(Role.OFFICER, username=officer.matricule, officer=officer)
    director = make_user(Role.HR_DIRECTOR, username="drh.fuzz")
    correction_file(
        officer=officer,
        by=account,
        field_name="birth_place",
        proposed={"value": "Kati"},
        justification="Erreur de saisie sur le lieu de naissance",
        uploads=[Upload(name="acte.pdf", data=tiny_pdf())],
    )
    # The request the document's examples name, pending, for the director to decide.
    correction = CorrectionRequest.objects.create(
        pk=EXAMPLE_CORRECTION_ID,
        officer=officer,
        target=CorrectionRequest.Target.FIELD,
        field_name="phone",
        current={"value": ""},
        proposed={"value": "+223 76 12 34 56"},
        justification="Mon numéro de téléphone a changé",
        created_by=account,
    )
    return {
        "officer": officer,
        "correction": correction,
        "signatory": Signatory.objects.filter(agency=mali).first(),
        "tokens": {
            "hr_director": _token(director.username),
            "officer": _token(account.username),
        },
    }


def _token(username: str) -> str:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().split()[-1]


@pytest.fixture
def in_process_app():
    """Django's WSGI app, in the test's transaction (as the test client runs requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# A request the document allows may still be refused by the data: an unknown unit code, a
# rule of the statute, a decision already taken. The API answers those 400 with a message
# per field (documented on every operation); 422 stays a failure here, since it means the
# document allowed what the API's own schema refuses.
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
"""


def _schema(app: Any) -> Any:
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", app, config=SchemathesisConfig.from_str(CONFIG)
    )


def _fuzz(operation: Any, headers: dict, checks: list, figures: Counter, failures: list) -> Any:
    """A few generated cases of one operation, each sent and checked in the process."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        figures["cases"] += 1
        try:
            response = case.call_and_validate(headers=headers, checks=checks)
        except (Exception, BaseExceptionGroup) as error:  # counted and reported at the end
            failures.append(f"{operation.label}: {_explain(error)}")
            return
        figures[f"status {response.status_code}"] += 1

    # The document's own examples first (explicit phase), then generated cases.
    return add_examples(run, operation, fill_missing=True)


def _explain(error: BaseException) -> str:
    parts = [str(error)]
    for inner in getattr(error, "exceptions", ()):
        parts.append(f"{type(inner).__name__}: {inner}")
    text = " | ".join(" ".join(p.split()) for p in parts)
    return text[:900]


@pytest.mark.parametrize("caller", ["hr_director", "officer"])
def test_the_api_passes_every_schemathesis_check(world, in_process_app, caller, capsys):
    load_all_checks()
    checks = [c for c in CHECKS.get_all() if c.__name__ not in SKIPPED_CHECKS]
    schema = _schema(in_process_app)
    # Responses are gzip-compressed when asked for (GZipMiddleware); schemathesis's WSGI
    # transport does not inflate them, so ask for the plain body.
    headers = {"Authorization": f"Bearer {world['tokens'][caller]}", "Accept-Encoding": "identity"}
    figures: Counter[str] = Counter()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        figures["operations"] += 1
        _fuzz(operation, headers, checks, figures, failures)()
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(figures.items()))
    with capsys.disabled():
        print(f"\nschemathesis as {caller}: {summary}, failures: {len(failures)}")
    assert not failures, "\n".join(failures)
