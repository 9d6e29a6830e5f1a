"""The municipality dashboard's pages and downloads on the hand-made world of
tests/reports/data.py: the filter, the permission matrix, suppression on the page and in the
CSV, XLSX and PDF (read back), the canary, and a pinned query count."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import Role
from consultation.models import Status
from reports.compare import COMPARISON_QUERIES
from reports.kpis import DASHBOARD_QUERIES
from tests.helpers import shared_transaction, user_maker, verify_session
from tests.reports.data import (
    CANARY_FIRST,
    CANARY_LAST,
    PERSON_LAST,
    ask,
    build_world,
    grow,
    person,
)
from triage.clock import AMSTERDAM

pytestmark = pytest.mark.django_db

Q2 = {"period": "custom", "start": "2025-04-01", "end": "2025-06-30"}
HOME = reverse("reports:home")
DOWNLOADS = [
    reverse("reports:export", args=["csv"]),
    reverse("reports:export", args=["xlsx"]),
    reverse("reports:pdf"),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
            built.admin = person()
            built.municipality.admins.add(built.admin)
            built.region_admin = person()
            built.region.admins.add(built.region_admin)
            built.other_admin = person()
            built.other_municipality.admins.add(built.other_admin)
        yield built


def as_user(client, user):
    verify_session(client, user)
    return client


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(response) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def pdf_text(response) -> str:
    assert response.content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def table_row(rows, label):
    return next(row for row in rows if row and row[0] == label)


# --- The page and its filter ----------------------------------------------------------------------
def test_the_dashboard_shows_every_section(client, world):
    response = as_user(client, world.admin).get(HOME, Q2)
    assert response.status_code == 200
    page = response.content.decode()
    for slug in (
        "questions-per-month", "teams", "speed", "first-advice-per-month", "triage-outcomes",
        "redirects", "escalation", "usefulness", "sessions", "hours", "life-domains",
        "target-groups", "expert-load",
    ):  # fmt: skip
        assert f'id="table-{slug}"' in page, slug
    assert "94,6 %" in page  # the Ontario eConsult reference, in Dutch
    assert "municipalities" not in response.context["report"].sections[0][0]
    assert 'id="table-municipalities"' not in page  # a municipality compares nothing


def test_the_default_is_the_last_twelve_months(client, world):
    response = as_user(client, world.admin).get(HOME)
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.end - period.start).days >= 330


def test_the_questions_per_team_with_secondary_suppression(client, world):
    response = as_user(client, world.admin).get(HOME, Q2)
    table = next(t for t in response.context["report"].tables if t.slug == "teams")
    asked = {label: cells[1].text for label, cells in table.rows}
    # Noord 6, Zuid 4, Oost 0, total 10: Zuid is small, and Noord is hidden with it ("x"),
    # else 10 - 6 would give Zuid's 4 away.
    assert asked == {"Wijkteam Noord": "x", "Wijkteam Zuid": "< 5", "Wijkteam Oost": "0"}
    assert table.footer[1][1].text == "10"
    # A ratio of a hidden count is hidden with it.
    per_member = {label: cells[2].text for label, cells in table.rows}
    assert per_member["Wijkteam Noord"] == "x" and per_member["Wijkteam Zuid"] == "< 5"


def test_suppression_at_4_and_5(client, world):
    client = as_user(client, world.admin)
    zuid = {**Q2, "teams": [world.teams["Zuid"].pk]}
    response = client.get(HOME, zuid)
    figures = response.context["report"].key_figures
    assert figures[0].value.text == "< 5"  # Zuid asked 4
    rows = csv_rows(client.get(DOWNLOADS[0], zuid))
    assert table_row(rows, "Totaal")[1] == "< 5"
    assert "4" not in [cell for row in rows for cell in row if row and row[0] == "Totaal"]
    ask(world, world.teams["Zuid"], datetime(2025, 6, 25, 10, tzinfo=AMSTERDAM),
        status=Status.IN_TRIAGE)  # fmt: skip
    response = client.get(HOME, zuid)
    assert response.context["report"].key_figures[0].value.text == "5"
    rows = csv_rows(client.get(DOWNLOADS[0], zuid))
    assert table_row(rows, "Totaal")[1] == "5"
    sheets = xlsx_rows(client.get(DOWNLOADS[1], zuid))
    summary = sheets["Samenvatting"]
    assert table_row(summary, "Gestelde vragen")[1] == 5


@pytest.mark.parametrize(
    "query",
    [
        {"period": "next-century"},
        {"period": "custom", "start": "2025-06-30", "end": "2025-04-01"},
        {"period": "custom", "start": "2025-04-01"},
        {"period": "custom", "start": "1990-01-01", "end": "2025-01-01"},
        {"period": "custom", "start": "gisteren", "end": "2025-01-01"},
        {**Q2, "teams": ["abc"]},
    ],
)
def test_bad_filter_values_are_form_errors(client, world, query):
    client = as_user(client, world.admin)
    response = client.get(HOME, query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "report" not in response.context
    for url in DOWNLOADS:
        assert client.get(url, query).status_code == 400


def test_a_team_of_another_municipality_is_refused(client, world):
    west = {**Q2, "teams": [world.teams["West"].pk]}
    client = as_user(client, world.admin)
    response = client.get(HOME, west)
    assert response.status_code == 400
    assert "teams" in response.context["form"].errors
    for url in DOWNLOADS:
        response = client.get(url, west)
        assert response.status_code == 400
        assert "attachment" not in response.get("Content-Disposition", "")


def test_an_unknown_download_format(client, world):
    response = as_user(client, world.admin).get(reverse("reports:export", args=["exe"]), Q2)
    assert response.status_code == 404


# --- The permission matrix ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "role", [Role.GENERALIST, Role.TEAM_LEAD, Role.EXPERT, Role.TRIAGE, Role.COORDINATOR]
)
def test_other_roles_get_404(client, world, role):
    org = {
        "region": world.region, "municipality": world.municipality,
        "team": world.teams["Noord"], "pool": world.pool,
    }  # fmt: skip
    client = as_user(client, user_maker(org)(role))
    assert client.get(HOME, Q2).status_code == 404
    for url in DOWNLOADS:
        assert client.get(url, Q2).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(HOME)
    assert response.status_code in (302, 404)
    assert client.get(DOWNLOADS[0]).status_code in (302, 404)


def test_a_municipality_admin_sees_only_their_municipality(client, world):
    response = as_user(client, world.other_admin).get(HOME, Q2)
    assert response.status_code == 200
    assert response.context["area"] == world.other_municipality.name
    page = response.content.decode()
    assert "Wijkteam Noord" not in page and "Wijkteam West" in page
    # The teams to choose from are their own only.
    assert [c[0] for c in response.context["form"].fields["teams"].choices] == [
        world.teams["West"].pk
    ]
    # Another municipality's id in the filter is not a choice.
    noord = {**Q2, "teams": [world.teams["Noord"].pk]}
    assert as_user(client, world.other_admin).get(HOME, noord).status_code == 400


def test_a_region_admin_compares_the_municipalities(client, world):
    client = as_user(client, world.region_admin)
    response = client.get(HOME, Q2)
    assert response.status_code == 200
    assert response.context["area"] == world.region.name
    table = next(t for t in response.context["report"].tables if t.slug == "municipalities")
    rows = {label: cells for label, cells in table.rows}
    assert set(rows) == {world.municipality.name, world.other_municipality.name}
    m = rows[world.municipality.name]
    # Teams and members; M asked 10 and the other 1 ("< 5"): with the region's total of 11
    # shown, M's 10 would give the 1 away, so it is hidden too ("x"), and its ratio with it.
    assert (m[0].text, m[1].text, m[2].text, m[3].text) == ("3", "6", "x", "x")
    other = rows[world.other_municipality.name]
    assert (other[0].text, other[1].text, other[2].text) == ("1", "1", "< 5")
    # The region's total: 11 questions; the figures are the region's.
    assert response.context["report"].key_figures[0].value.text == "11"
    # One municipality of the region, chosen: its figures, no comparison.
    one = {**Q2, "municipality": world.other_municipality.pk}
    response = client.get(HOME, one)
    assert response.context["area"] == world.other_municipality.name
    assert all(t.slug != "municipalities" for t in response.context["report"].tables)
    # A team of another municipality than the one chosen is refused.
    mixed = {**one, "teams": [world.teams["Noord"].pk]}
    assert client.get(HOME, mixed).status_code == 400


def test_a_region_admin_of_another_region_sees_nothing_of_this_one(client, world):
    from tests.wijkteam.factories import MunicipalityFactory, RegionFactory

    elsewhere = RegionFactory()
    MunicipalityFactory(region=elsewhere)
    stranger = person()
    elsewhere.admins.add(stranger)
    client = as_user(client, stranger)
    response = client.get(HOME, Q2)
    assert response.status_code == 200
    assert world.municipality.name not in response.content.decode()
    mine = {**Q2, "municipality": world.municipality.pk}
    assert client.get(HOME, mine).status_code == 400


# --- Downloads ------------------------------------------------------------------------------------
def test_the_csv_holds_every_table_as_on_screen(client, world):
    client = as_user(client, world.admin)
    response = client.get(DOWNLOADS[0], Q2)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    filename = disposition.split('filename="')[1].rstrip('"')
    # Letters, digits and hyphens: the municipality's name as a slug, and the period.
    assert re.fullmatch(r"wijkexpert-[a-z0-9-]+-2025-04-01-2025-06-30\.csv", filename)
    rows = csv_rows(response)
    page = client.get(HOME, Q2)
    for table in page.context["report"].tables:
        assert [table.title] in rows, table.title
        for label, cells in table.rows:
            assert [label, *(c.text for c in cells)] in rows, (table.title, label)
    noord = next(row for row in rows if row and row[0] == "Wijkteam Noord" and len(row) == 5)
    assert noord[2] == "x"


def test_the_xlsx_holds_every_table_as_on_screen(client, world):
    client = as_user(client, world.admin)
    response = client.get(DOWNLOADS[1], Q2)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="wijkexpert-')
    sheets = xlsx_rows(response)
    page = client.get(HOME, Q2)
    assert len(sheets) == len(page.context["report"].tables) + 1
    teams = next(
        rows for rows in sheets.values() if any(row[0] == "Wijkteam Noord" and len(row) == 5
                                                for row in rows)
    )  # fmt: skip
    noord = table_row(teams, "Wijkteam Noord")
    zuid = table_row(teams, "Wijkteam Zuid")
    assert (noord[2], zuid[2]) == ("x", "< 5")
    assert table_row(teams, "Totaal")[2] == 10  # a shown count is a number


def test_the_pdf_report(client, world):
    client = as_user(client, world.admin)
    response = client.get(DOWNLOADS[2], {**Q2})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-2025-04-01-2025-06-30.pdf"')
    text = pdf_text(response)
    assert "Gebruik en rapportage" in text
    assert "Wijkteam Noord" in text
    assert "< 5" in text
    assert world.municipality.name in text


def test_the_cost_is_shown_only_with_an_hourly_rate(client, world):
    client = as_user(client, world.admin)
    page = client.get(HOME, Q2).content.decode()
    assert "€" not in page
    organisation = world.experts["E1"].expert_profile.organisation
    organisation.hourly_rate = 90
    organisation.save()
    response = client.get(HOME, Q2)
    table = next(t for t in response.context["report"].tables if t.slug == "hours")
    rows = dict(table.rows)
    # Zorg A: 380 billable minutes at € 90 an hour; Zorg B has no rate.
    assert rows["Zorg A"][-1].text == "€ 570,00"
    assert rows["Zorg B"][-1].text == "–"
    assert table.footer[1][-1].text == "€ 570,00"
    rows = csv_rows(client.get(DOWNLOADS[0], Q2))
    assert table_row(rows, "Zorg A")[-1] == "€ 570,00"


def test_no_name_pseudonym_or_free_text_anywhere(client, world):
    for user, query in ((world.admin, Q2), (world.region_admin, {"period": "y2025"})):
        client = as_user(client, user)
        page = client.get(HOME, query).content.decode()
        csv_text = client.get(DOWNLOADS[0], query).content.decode()
        xlsx = repr(xlsx_rows(client.get(DOWNLOADS[1], query)))
        pdf = pdf_text(client.get(DOWNLOADS[2], query))
        for text in (page, csv_text, xlsx, pdf):
            assert CANARY_FIRST not in text
            assert CANARY_LAST not in text
            assert "Huurschuld" not in text  # a question's title
            assert "Gesprek met" not in text  # a time entry's note
            for pseudonym in world.pseudonyms:
                assert pseudonym not in text
        for text in (csv_text, xlsx, pdf):
            assert PERSON_LAST not in text  # nobody's name in a download


# --- Speed ----------------------------------------------------------------------------------------
def test_the_query_count_is_pinned(client, world, django_assert_num_queries):
    client = as_user(client, world.admin)
    client.get(HOME, Q2)  # warm up: content types, the roles in the cache
    # 1 the user · 2 their OTP device (the session and the roles come from the cache) ·
    # 3-5 the municipalities, regions and teams the admin reports on (the filter's choices) ·
    # 6-16 the 11 figures (reports.kpis)
    with django_assert_num_queries(PAGE_QUERIES) as small:
        client.get(HOME, Q2)
    grow(world, 30)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(HOME, Q2)
    assert response.context["report"].key_figures[0].value.text == "40"
    assert small


PAGE_QUERIES = 2 + 3 + DASHBOARD_QUERIES


def test_the_region_page_query_count_is_pinned(client, world, django_assert_num_queries):
    client = as_user(client, world.region_admin)
    client.get(HOME, Q2)
    # As a municipality's page, and the comparison's 2 (reports.compare).
    with django_assert_num_queries(PAGE_QUERIES + COMPARISON_QUERIES):
        client.get(HOME, Q2)
    grow(world, 30)
    with django_assert_num_queries(PAGE_QUERIES + COMPARISON_QUERIES):
        response = client.get(HOME, Q2)
    assert response.context["report"].key_figures[0].value.text == "41"
