"""The consultation screens: newest first, a page at a time, never counting every row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matricule.accounts.roles import Role
from matricule.personnel.access import export_access_log, record_access_log
from matricule.personnel.models import Channel, RecordAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(hire, make_user):
    """120 views of one Bamako officer, 3 exports naming them, and noise about others."""
    oumou = hire(unit="BKO-CA01", family_name="Traoré", given_names="Oumou", sex="F")
    gao = hire(unit="GAO-CC", family_name="Maïga", given_names="Hamidou")
    clerk = make_user(Role.HR_CLERK, "DR-BKO")
    for _ in range(120):
        record_access_log(
            viewer=clerk, officers=[oumou, gao], channel=Channel.SCREEN, classes=["record"]
        )
    for ids in ([oumou.pk, gao.pk], [gao.pk], [oumou.pk]):
        export_access_log(
            viewer=clerk,
            agency_id=oumou.agency_id,
            officer_ids=ids,
            channel=Channel.EXPORT,
            classes=["record"],
        )
    # Spread the rows over time, some sharing a second (the id breaks the tie).
    start = timezone.now() - datetime.timedelta(days=30)
    for n, pk in enumerate(RecordAccess.objects.order_by("id").values_list("pk", flat=True)):
        RecordAccess.objects.filter(pk=pk).update(at=start + datetime.timedelta(minutes=n // 3))
    account = make_user(Role.OFFICER, username=oumou.matricule, officer=oumou)
    return {"oumou": oumou, "gao": gao, "account": account, "clerk": clerk}


def _walk(client, url, params=None):
    """Follow the "older" links to the end; returns the ids seen and the queries per page."""
    seen, queries, cursor = [], [], ""
    # The first request of a new session also refreshes its expiry (one more write):
    # make it before counting, so every page is measured the same way.
    client.get(url, params or {})
    while True:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url, {**(params or {}), **({"avant": cursor} if cursor else {})})
        assert page.status_code == 200
        queries.append([q["sql"] for q in ctx.captured_queries])
        rows = page.context["page"]
        seen.extend(a.pk for a in rows)
        cursor = rows.older
        if not cursor:
            return seen, queries


def test_an_officer_pages_through_every_view_of_their_record_newest_first(client_for, logged):
    oumou = logged["oumou"]
    seen, queries = _walk(client_for(logged["account"]), reverse("corrections:my_accesses"))
    expected = list(RecordAccess.objects.filter(officer=oumou).values_list("pk", flat=True)) + list(
        RecordAccess.objects.filter(
            officer__isnull=True, officer_ids__contains=f",{oumou.pk},"
        ).values_list("pk", flat=True)
    )
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen)) == 122
    ats = [RecordAccess.objects.get(pk=pk).at for pk in seen]
    assert ats == sorted(ats, reverse=True)
    assert len(queries) == 3  # 50 + 50 + 22
    assert len({len(q) for q in queries}) == 1  # the same queries on every page
    assert not any("COUNT(" in sql.upper() for page in queries for sql in page)


def test_an_inspector_pages_through_their_scope_only(client_for, make_user, logged):
    wide = make_user(Role.INSPECTOR)
    narrow = make_user(Role.INSPECTOR, "DR-GAO")
    all_rows, _ = _walk(client_for(wide), reverse("corrections:accesses"))
    assert len(all_rows) == RecordAccess.objects.count() == 243
    gao_rows, queries = _walk(client_for(narrow), reverse("corrections:accesses"))
    gao = logged["gao"]
    assert {RecordAccess.objects.get(pk=pk).officer_id for pk in gao_rows} == {gao.pk, None}
    assert not any("COUNT(" in sql.upper() for page in queries for sql in page)
    one, _ = _walk(
        client_for(wide), reverse("corrections:accesses"), {"matricule": logged["oumou"].matricule}
    )
    assert len(one) == 122


def test_a_bad_cursor_shows_the_newest_page(client_for, logged):
    client = client_for(logged["account"])
    page = client.get(reverse("corrections:my_accesses"), {"avant": "pas-une-date_x"})
    assert page.status_code == 200 and len(page.context["page"]) == 50
