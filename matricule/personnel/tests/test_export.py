"""The officer list's export: headers in the reader's language, text never a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry
from matricule.personnel.models import RecordAccess
from matricule.personnel.tests.factories import letters

pytestmark = pytest.mark.django_db


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_an_english_reader_gets_english_headers(client, make_user, login, hire):
    hire(unit="BKO-CA01")
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    client.post(reverse("set_language"), {"language": "en"})
    rows = _xlsx_rows(client.get(reverse("personnel:officer_export", args=["xlsx"])))
    assert rows[0][:3] == ("Service number", "Surname", "First name(s)")
    client.post(reverse("set_language"), {"language": "fr"})
    rows = _xlsx_rows(client.get(reverse("personnel:officer_export", args=["xlsx"])))
    assert rows[0][:3] == ("Matricule", "Nom", "Prénom(s)")


def test_a_name_written_as_a_formula_stays_text(client, make_user, login, hire):
    officer = hire(unit="BKO-CA01", family_name="Traoré")
    type(officer).objects.filter(pk=officer.pk).update(family_name='=HYPERLINK("http://x","Clic")')
    login(make_user(Role.HR_CLERK, "DR-BKO"))
    response = client.get(reverse("personnel:officer_export", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    cell = book.active.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    text = (
        client.get(reverse("personnel:officer_export", args=["csv"])).getvalue().decode("utf-8-sig")
    )
    cells = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert cells[1] == '\'=HYPERLINK("http://x","Clic")'


def test_an_export_is_audited_and_logged_once_for_all_its_officers(client, make_user, login, hire):
    officers = [hire(unit="BKO-CA01", family_name=f"Agent {letters(i)}") for i in range(3)]
    clerk = make_user(Role.HR_CLERK, "DR-BKO")
    login(clerk)
    before = RecordAccess.objects.count()
    client.get(reverse("personnel:officer_export", args=["csv"])).getvalue()
    rows = list(RecordAccess.objects.all()[: RecordAccess.objects.count() - before])
    assert len(rows) == 1
    assert rows[0].officer_count == 3 and rows[0].officer_id is None
    assert all(f",{o.pk}," in rows[0].officer_ids for o in officers)
    entry = AuditEntry.objects.filter(action="officer.export").order_by("-id")[0]
    assert entry.after["count"] == 3 and entry.actor_id == clerk.pk
