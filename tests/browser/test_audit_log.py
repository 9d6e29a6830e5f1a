"""The privacy officer signs in, lands on the audit log, filters on a person, and downloads the
selection as CSV; axe and reflow at 320 px on the page."""

import csv

import pytest

from accounts.roles import Role
from tests.browser.helpers import (
    look,
    sign_in_verified,
)
from wijkteam.audit import audit_write
from wijkteam.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _look(page, name):
    look(page, f"audit-{name}")


def test_the_privacy_officer_filters_the_log_and_downloads_it(open_page, cast, make_user):
    officer = make_user(Role.PRIVACY_OFFICER)
    audit_write(
        actor=cast.generalist,
        action=AuditEvent.Action.VIEW_IDENTITY,
        object_type="wijkteam.Resident",
        object_id=cast.resident.pk,
        case_pseudonym=cast.case.pseudonym,
    )
    page = open_page()
    sign_in_verified(page, officer)
    page.wait_for_url("**/audit/")
    assert page.get_by_role("heading", name="Auditlog").is_visible()
    _look(page, "log")
    page.get_by_label("Persoon (e-mailadres)").fill(cast.generalist.email)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**/audit/?*")
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    assert cast.case.pseudonym in rows.first.inner_text()
    _look(page, "filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as exported:
        header, *lines = list(csv.reader(exported, delimiter=";"))
    assert header[2] == "actor" and lines
    assert {line[2] for line in lines} == {cast.generalist.email}  # the filter's selection
    assert cast.case.pseudonym in {line[8] for line in lines}
