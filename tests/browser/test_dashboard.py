"""The municipality admin's dashboard in a real browser: signs in with a second factor, opens
the figures, filters on a team and a period, downloads the CSV, XLSX and PDF and reads them
back, then invites a member to that team, who signs in from the mail with a second factor;
axe-core passes, the page reflows at 320 px, the charts draw under the strict CSP, and no
resident name, pseudonym or question title shows (canary). Screenshots at 1280 and 320 px."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from tests.browser.helpers import (
    accept_invitation,
    assert_accessible,
    assert_reflows_at_320,
    invitation_link,
    screenshot,
    sign_in_verified,
)
from tests.helpers import worker_caught_up
from tests.reports.data import CANARY_FIRST, CANARY_LAST, build_world, person

pytestmark = pytest.mark.django_db(transaction=True)


def _download(page, link_name: str, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def test_the_municipality_admin_reads_and_downloads_the_figures(
    page, open_page, tmp_path, celery_worker, mailoutbox
):
    world = build_world()
    admin = person()
    world.municipality.admins.add(admin)

    sign_in_verified(page, admin)
    page.goto("/")
    page.get_by_role("link", name="Gebruik en rapportage").first.click()
    page.wait_for_url("**/gemeente/**")
    assert page.get_by_role("heading", name="Gebruik en rapportage", level=1).is_visible()
    assert page.locator(".wx-kpi").count() == 6

    # Filter: Wijkteam Noord, the second quarter of 2025.
    if not page.locator("details.wx-dashboard-filter").get_attribute("open"):
        page.get_by_text("Kies periode en teams").click()
    page.get_by_label("Periode").select_option("custom")
    page.get_by_label("Vanaf", exact=True).fill("2025-04-01")
    page.get_by_label("Tot en met", exact=True).fill("2025-06-30")
    page.get_by_label("Wijkteam Noord").check()
    page.get_by_role("button", name="Toon cijfers").click()
    page.wait_for_load_state()
    assert "Wijkteam Noord" in page.locator(".wx-lead").inner_text()
    assert "1 april 2025 – 30 juni 2025" in page.locator(".wx-lead").inner_text()
    # Noord asked 6 in Q2: 1 in April, 3 in May, 2 in June (each "< 5"), 6 in all.
    assert page.locator(".wx-kpi__value").first.inner_text() == "6"
    month_rows = page.locator("#table-questions-per-month tbody tr")
    assert month_rows.count() == 3
    assert month_rows.nth(0).locator("td").first.inner_text() == "< 5"

    # The charts drew and every one has its table.
    # (A canvas has a width without Chart.js too: ask Chart.js for the chart it drew on each.)
    page.wait_for_function(
        "window.Chart && [...document.querySelectorAll('canvas[data-chart]')]"
        ".every(c => window.Chart.getChart(c) !== undefined)"
    )
    for canvas in page.locator("canvas[data-chart]").all():
        assert canvas.evaluate("c => !!c.closest('.wx-report-block').querySelector('table')")

    text = page.content()
    assert CANARY_FIRST not in text and CANARY_LAST not in text
    for pseudonym in world.pseudonyms:
        assert pseudonym not in text
    assert "Huurschuld" not in text

    assert_accessible(page)
    screenshot(page, "dashboard-1280")
    assert_reflows_at_320(page, "dashboard")

    name, content = _download(page, "CSV", tmp_path)
    assert name.endswith("-2025-04-01-2025-06-30.csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert ["Wijkteams", "Wijkteam Noord"] in rows
    assert any(row[0].lower().startswith("apr") and row[1:2] == ["< 5"] for row in rows if row)

    name, content = _download(page, "XLSX", tmp_path)
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(content))
    summary = [list(r) for r in book["Samenvatting"].iter_rows(values_only=True)]
    assert ["Gestelde vragen", 6, None] in summary

    name, content = _download(page, "Rapport om te printen (PDF)", tmp_path)
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Wijkteam Noord" in pdf and "Gestelde vragen" in pdf
    for downloaded in (content.decode("latin-1"), pdf, repr(summary), repr(rows)):
        assert CANARY_LAST not in downloaded

    # --- The figures show Noord asks little: the admin invites someone to it, who signs in
    # from the mail with a password and a second factor.
    page.get_by_role("link", name="Teams beheren").click()
    page.get_by_role("link", name="Wijkteam Noord").click()
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.get_by_label("E-mailadres").fill("nieuw.lid@example.nl")
    page.get_by_label("Voornaam").fill("Nieuw")
    page.get_by_label("Achternaam").fill("Lid")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("De uitnodiging aan nieuw.lid@example.nl is onderweg").wait_for()
    worker_caught_up()
    member = open_page()
    accept_invitation(
        member, invitation_link(mailoutbox, "nieuw.lid@example.nl"), "een-lang-nieuw-wachtwoord-7"
    )
    assert member.get_by_role("heading", level=1).inner_text() == "Mijn wijkteam"
    newcomer = User.objects.get(email="nieuw.lid@example.nl")
    assert newcomer.team_memberships.get().team == world.teams["Noord"]
