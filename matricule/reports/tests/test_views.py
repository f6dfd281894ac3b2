"""Screens, exports and API: the role matrix, scopes, chart sizes, files read back."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from matricule.reports.tests.conftest import POSTED

pytestmark = pytest.mark.django_db

SCREENS = [
    "reports:dashboard",
    "reports:headcount",
    "reports:pyramid",
    "reports:retirements",
    "reports:retirement_list",
    "reports:establishment",
]
# Who opens the report screens: whoever reads officers in a scope.
EXPECTED = {
    "anonymous": 302,
    "officer": 403,
    "sysadmin": 403,
    "recruiter": 403,
    "bamako_clerk": 200,
    "director": 200,
    "inspector": 200,
}


def _token(username: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("issue_token", username, stdout=out, stderr=io.StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip().splitlines()[-1]}"}


@pytest.mark.parametrize(("who", "expected"), list(EXPECTED.items()))
@pytest.mark.parametrize("name", SCREENS)
def test_report_screens_role_matrix(client, login, force, cast, who, expected, name):
    if who != "anonymous":
        login(cast[who])
    response = client.get(reverse(name) + "?year=2030")
    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), list(EXPECTED.items()))
@pytest.mark.parametrize("report", ["headcount", "pyramid", "retirements", "establishment"])
def test_exports_role_matrix_and_nothing_recorded_when_refused(
    client, login, force, cast, who, expected, report
):
    from matricule.core.models import AuditEntry

    if who != "anonymous":
        login(cast[who])
    before = AuditEntry.objects.filter(action="report.export").count()
    response = client.get(reverse("reports:export", args=[report, "xlsx"]))
    assert response.status_code == expected
    after = AuditEntry.objects.filter(action="report.export").count()
    assert after == before + (1 if expected == 200 else 0)


def test_the_dashboard_shows_the_figures_and_alerts(client, login, force, cast):
    login(cast["director"])
    response = client.get(reverse("reports:dashboard"))
    html = response.content.decode()
    assert 'data-testid="dash-total">3<' in html
    assert 'data-testid="alerts"' in html
    assert "<svg" in html and "<table" in html


def test_a_bamako_clerk_sees_only_bamako_on_screen(client, login, force, cast):
    login(cast["bamako_clerk"])
    url = reverse("reports:headcount") + f"?as_of={POSTED:%Y-%m-%d}&group_by=region"
    html = client.get(url).content.decode()
    assert "2 agents en service" in html
    assert "Kayes" not in html.split('data-testid="headcount-total"')[1]


def test_drill_down_from_a_region_to_a_unit(client, login, force, cast):
    login(cast["director"])
    html = client.get(reverse("reports:headcount") + "?region=BKO&group_by=unit").content.decode()
    assert "group_by=unit" in html and "DR-BKO" in html
    html = client.get(reverse("reports:headcount") + "?unit=DR-BKO&group_by=unit").content.decode()
    assert 'data-testid="drill-crumbs"' in html
    assert "Commissariat du 1er arrondissement" in html


def test_bad_filters_say_why_in_french(client, login, force, cast):
    login(cast["director"])
    html = client.get(reverse("reports:headcount") + "?as_of=hier&unit=NOPE").content.decode()
    assert "Date invalide" in html and "Unité inconnue" in html


def test_each_chart_stays_under_twenty_kilobytes(force, cast, rf):
    import re

    from django.test import Client

    from matricule.reports.charts import ChartRow, bars

    many = [
        ChartRow(f"Unité {'abcdefghij'[i % 10]}{i}", (i * 7, i * 3), "?unit=X") for i in range(80)
    ]
    html = bars("big", "Titre", many, ["Hommes", "Femmes"])
    svg = re.search(r"<svg viewBox.*?</svg>", str(html), re.S)
    assert svg is not None and len(svg.group(0).encode()) < 20_000
    pyramid = bars("p", "P", many[:11], ["H", "F"], mirror=True)
    svg = re.search(r"<svg viewBox.*?</svg>", str(pyramid), re.S)
    assert svg is not None and len(svg.group(0).encode()) < 20_000
    assert 'role="img"' in svg.group(0) and "<title" in svg.group(0)
    del Client


def test_dashboard_charts_each_under_budget(client, login, force, cast):
    import re

    login(cast["director"])
    html = client.get(reverse("reports:dashboard")).content.decode()
    svgs = re.findall(r"<svg viewBox.*?</svg>", html, re.S)
    assert len(svgs) == 5  # the year month by month, regions, pyramid, bands, retirements
    assert all(len(s.encode()) < 20_000 for s in svgs)
    # Coordinates are numbers SVG reads, whatever the language of the page.
    assert not re.search(r'(?:x|y|width|height)="-?\d+,\d', " ".join(svgs))
    assert 'id="dash-series"' in html and "<polyline points=" in html


def test_xlsx_export_is_read_back_with_the_filters_first(client, login, force, cast):
    from openpyxl import load_workbook

    login(cast["director"])
    url = reverse("reports:export", args=["headcount", "xlsx"])
    response = client.get(url + f"?as_of={POSTED:%Y-%m-%d}&group_by=region")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][0] == "Rapport"
    assert rows[1] == ("Situation au", f"{POSTED:%d/%m/%Y}", None, None, None, None)[: len(rows[1])]
    data = {r[0]: r[-1] for r in rows if r and r[0] in ("District de Bamako", "Kayes", "Total")}
    assert data == {"District de Bamako": 2, "Kayes": 2, "Total": 4}


def test_pdf_export_is_a_pdf_with_the_figures(client, login, force, cast):
    import pypdfium2

    login(cast["director"])
    response = client.get(reverse("reports:export", args=["establishment", "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pdf = pypdfium2.PdfDocument(response.content)
    text = pdf[0].get_textpage().get_text_range()
    assert "Effectifs autorisés et réels" in text


def test_the_monthly_state_is_a_signed_pdf_and_audited(client, login, force, cast):
    import pypdfium2

    from matricule.core.models import AuditEntry

    login(cast["director"])
    response = client.get(reverse("reports:monthly_state") + "?month=2022-01")
    assert response.status_code == 200
    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "État des effectifs" in text and "Directeur général" in text
    assert AuditEntry.objects.filter(action="report.monthly_state").count() == 1


def test_a_retirement_list_export_logs_one_consultation(client, login, force, cast):
    from matricule.personnel.models import RecordAccess

    login(cast["director"])
    response = client.get(
        reverse("reports:export", args=["retirement_list", "xlsx"]) + "?year=2040"
    )
    assert response.status_code == 200
    assert RecordAccess.objects.filter(viewer=cast["director"], officer=None).count() <= 1


def test_retirement_list_query_count(client, login, force, cast, django_assert_max_num_queries):
    login(cast["director"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:retirement_list") + "?year=2035")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [("officer", 403), ("sysadmin", 403), ("bamako_clerk", 200), ("director", 200)],
)
@pytest.mark.parametrize("path", ["headcount", "age-pyramid", "retirements"])
def test_api_role_matrix(client, force, cast, who, expected, path):
    response = client.get(f"/api/v1/reports/{path}", **_token(cast[who].username))
    assert response.status_code == expected


def test_api_anonymous_is_refused(client, force):
    assert client.get("/api/v1/reports/headcount").status_code == 401


def test_api_headcount_grouped_with_keys_and_count(client, force, cast):
    response = client.get(
        f"/api/v1/reports/headcount?as_of={POSTED:%Y-%m-%d}&group_by=region,sex",
        **_token("drh"),
    )
    body = response.json()
    got = {
        (i["keys"]["region"]["code"], i["keys"]["sex"]["code"]): i["count"] for i in body["items"]
    }
    assert got == {("BKO", "M"): 1, ("BKO", "F"): 1, ("KAY", "M"): 2}
    assert body["count"] == 4
    bad = client.get("/api/v1/reports/headcount?group_by=shoe", **_token("drh"))
    assert bad.status_code == 400
    bad = client.get("/api/v1/reports/headcount?as_of=2999-01-01", **_token("drh"))
    assert bad.status_code == 400


def test_api_scope_a_bamako_clerk_counts_bamako(client, force, cast):
    body = client.get(
        f"/api/v1/reports/headcount?as_of={POSTED:%Y-%m-%d}", **_token("rh-bamako")
    ).json()
    assert body["count"] == 2


def test_api_pyramid_and_retirements(client, force, cast):
    body = client.get("/api/v1/reports/age-pyramid?as_of=2021-01-01", **_token("drh")).json()
    assert body["count"] == 4 and len(body["items"]) == 11
    body = client.get("/api/v1/reports/retirements?years=5", **_token("drh")).json()
    assert len(body["items"]) == 5


@pytest.mark.parametrize("params", ["", "unit=DR-BKO", "sex=F", "region=KAY", "unit=BKO-CA01"])
def test_headcount_today_equals_the_officer_list_and_the_api(client, login, force, cast, params):
    """The report counts exactly the officers in service that the list and the API return."""
    from matricule.personnel.filters import filters_from_params
    from matricule.personnel.models import IN_SERVICE_STATUSES
    from matricule.personnel.selectors import officer_list
    from matricule.reports.filters import report_filters
    from matricule.reports.selectors.headcount import headcount

    director = cast["director"]
    query = dict(p.split("=") for p in params.split("&") if p)
    officer_filters, errors = filters_from_params(query, viewer=director)
    assert not errors
    listed = (
        officer_list(viewer=director, filters=officer_filters)
        .filter(status__in=IN_SERVICE_STATUSES)
        .count()
    )
    filters, errors = report_filters(query, viewer=director)
    assert not errors
    counted = headcount(viewer=director, filters=filters, group_by=[]).total
    token = _token("drh")
    via_api = sum(
        client.get(
            "/api/v1/officers?" + "&".join([params, f"status={s}"]).strip("&"), **token
        ).json()["count"]
        for s in IN_SERVICE_STATUSES
    )
    reported = client.get("/api/v1/reports/headcount?" + params, **token).json()["count"]
    assert counted == listed == via_api == reported


@pytest.mark.parametrize(
    ("role", "expected"),
    [("operations_planner", 200), ("inspector", 200), ("hr_clerk", 403), ("officer", 403)],
)
def test_deployments_report_is_for_those_who_read_operations(
    client, login, force, make_user, role, expected
):
    login(make_user(role))
    assert client.get(reverse("reports:deployments")).status_code == expected


@pytest.mark.parametrize("report", ["headcount", "pyramid", "retirements", "establishment"])
def test_every_report_exports_as_xlsx_and_pdf(client, login, force, cast, report):
    import pypdfium2
    from openpyxl import load_workbook

    login(cast["inspector"])
    url = reverse("reports:export", args=[report, "xlsx"]) + "?as_of=2021-01-01"
    book = load_workbook(io.BytesIO(client.get(url).content), read_only=True)
    first = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)][:2]
    assert first[0][0] == "Rapport" and first[1][:2] == ("Situation au", "01/01/2021")
    url = reverse("reports:export", args=[report, "pdf"]) + "?as_of=2021-01-01"
    pdf = pypdfium2.PdfDocument(client.get(url).content)
    assert "01/01/2021" in pdf[0].get_textpage().get_text_range()


def test_unknown_report_or_format_is_not_found(client, login, force, cast):
    login(cast["director"])
    assert client.get("/rapports/nope/export.xlsx").status_code == 404
    assert client.get("/rapports/headcount/export.doc").status_code == 404


@pytest.mark.parametrize(
    ("name", "most"),
    [
        # The dashboard: today's figures, its pyramid, the year month by month, the alerts.
        ("reports:dashboard", 25),
        ("reports:headcount", 20),
        ("reports:pyramid", 20),
        ("reports:establishment", 20),
    ],
)
def test_report_pages_query_count(
    client, login, force, cast, name, most, django_assert_max_num_queries
):
    login(cast["director"])
    client.get(reverse(name))  # warm the reference caches
    with django_assert_max_num_queries(most):
        assert client.get(reverse(name) + "?as_of=2021-01-01").status_code == 200
