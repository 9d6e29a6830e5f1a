"""The planner's hours in headless Chromium (issue 11): the pool's coordinator finds "Uren" in
the navigation, tries to reject time beyond the cap without a reason, approves it, previews the
month of the expert's care provider, exports and locks it, and downloads the XLSX, read back
with openpyxl. Each page passes axe-core and reflows at 320 px; screenshots at 1280 and 320 px
are left in test-artifacts/."""

import re

import pytest
from openpyxl import load_workbook

from hours.models import InvoiceExport, TimeEntry
from hours.services import time_entry_register_advice
from tests.accounts.factories import UserFactory
from tests.browser.helpers import (
    look,
    sign_in_verified,
)
from tests.hours.helpers import advice_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, name):
    look(page, f"hours-planner-{name}")


def test_the_coordinator_approves_and_exports_the_month(open_page, cast, tmp_path):
    coordinator = UserFactory(first_name="Fenna", last_name="Coördinator")
    cast.pool.coordinators.add(coordinator)
    cast.expert.first_name, cast.expert.last_name = "Imke", "Schuldhulp"
    cast.expert.save()
    time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=225)
    over = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="Tweede vraag"), minutes=45
    )
    assert over.status == TimeEntry.Status.AWAITING_APPROVAL
    organisation = cast.expert.expert_profile.organisation

    page = open_page()
    sign_in_verified(page, coordinator)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Uren").click()
    page.wait_for_url("**/uren/goedkeuren/")
    card = page.locator("article", has_text="Imke Schuldhulp")
    assert card.get_by_text(over.question.case.pseudonym).is_visible()
    assert card.get_by_text(re.compile("Imke .* 30 minuten boven het plafond")).is_visible()
    _look(page, "01-approvals")

    # Not approving without a reason: the error at the field, nothing decided.
    card.get_by_role("button", name="Niet goedkeuren").click()
    page.wait_for_load_state()
    assert page.get_by_text("Geef aan waarom de tijd niet is goedgekeurd.").is_visible()
    _look(page, "02-reason-missing")
    page.locator("article", has_text="Imke Schuldhulp").get_by_role(
        "button", name=re.compile("^Goedkeuren")
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text("Goedgekeurd: 45 minuten van Imke Schuldhulp.").is_visible()
    assert page.get_by_text("Er wacht geen tijd op jouw goedkeuring.").is_visible()
    over.refresh_from_db()
    assert over.status == TimeEntry.Status.APPROVED

    # The export: choose, preview, export and lock.
    page.get_by_role("link", name="Factuurexports").click()
    page.wait_for_url("**/uren/facturen/")
    page.get_by_label("Zorgaanbieder").select_option(label=organisation.name)
    page.get_by_role("button", name="Bekijk wat er geëxporteerd wordt").click()
    page.wait_for_load_state()
    preview = page.locator("section", has_text="Imke Schuldhulp")
    assert preview.get_by_role("cell", name="270").first.is_visible()
    _look(page, "03-preview")
    page.get_by_role("button", name="Exporteren en vastzetten").click()
    page.wait_for_load_state()
    export = InvoiceExport.objects.get()
    assert export.entries.count() == 2
    assert page.get_by_text("Alles van deze maand is al geëxporteerd").is_visible()
    assert page.get_by_text("Export 1 van deze maand is gemaakt op").is_visible()
    _look(page, "04-exported")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames == ["Uren", "Totalen"]
    totals = list(book["Totalen"].iter_rows(values_only=True))
    assert totals[1:] == [("Imke Schuldhulp", 270), ("Totaal", 270)]
    rows = list(book["Uren"].iter_rows(values_only=True))
    assert ("Zorgaanbieder", organisation.name) == rows[0][:2]
    assert sorted(r[4] for r in rows if isinstance(r[4], int)) == [45, 225]
