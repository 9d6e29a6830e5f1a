"""The planner's hours pages (issue 11): approving time beyond the cap, rejecting it with a
reason, previewing and making an invoice export, downloading it as CSV and XLSX; who sees the
pages (the pool's triage workers and coordinators, nobody else) and their query counts."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hours.models import InvoiceExport, TimeEntry
from hours.services import invoice_export_create, time_entry_register_advice
from submissions.web import FIELD, new_token
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session
from tests.hours.helpers import advice_by
from tests.meetings.helpers import build_team_pool

pytestmark = pytest.mark.django_db
REQUEST_OVERHEAD = 2  # the user and the OTP device (tests/triage/test_query_budget.py)


@pytest.fixture
def planners(cast):
    """The network pool's own triage worker and coordinator (cast.triage works for the triage
    pool, the team pool's coordinator for the team pool: both plan another pool)."""
    triage, coordinator = UserFactory(), UserFactory()
    cast.pool.triage_workers.add(triage)
    cast.pool.coordinators.add(coordinator)
    return SimpleNamespace(triage=triage, coordinator=coordinator)


@pytest.fixture
def over(cast):
    """The expert's cap is full; 30 more minutes await approval."""
    time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=240)
    entry = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="Tweede vraag"), minutes=30
    )
    assert entry.status == TimeEntry.Status.AWAITING_APPROVAL
    return entry


def _organisation(cast):
    return cast.expert.expert_profile.organisation


def _month():
    return f"{timezone.localdate():%Y-%m}"


def _export_data(cast, **extra):
    return {
        "pool": cast.pool.pk,
        "organisation": _organisation(cast).pk,
        "month": _month(),
        **extra,
    }


def test_the_planner_approves_time_beyond_the_cap(client, cast, planners, over):
    verify_session(client, planners.triage)
    page = client.get(reverse("hours:approvals"))
    assert page.status_code == 200
    html = page.content.decode()
    assert over.question.case.pseudonym in html and cast.expert.get_full_name() in html
    row, _form = page.context["pending"][0]
    assert (row.usage.used, row.usage.cap, row.over_if_approved) == (240, 240, 30)
    assert cast.resident.last_name not in html
    response = client.post(
        reverse("hours:decide", args=[over.pk]),
        {f"entry-{over.pk}-decision": "approve", FIELD: new_token()},
    )
    assert response.status_code == 302 and response.url == reverse("hours:approvals")
    over.refresh_from_db()
    assert (over.status, over.decided_by) == (TimeEntry.Status.APPROVED, planners.triage)
    assert not client.get(reverse("hours:approvals")).context["pending"]


def test_rejecting_needs_a_reason_shown_at_the_field(client, cast, planners, over):
    verify_session(client, planners.coordinator)
    url = reverse("hours:decide", args=[over.pk])
    token = new_token()
    response = client.post(url, {f"entry-{over.pk}-decision": "reject", FIELD: token})
    assert response.status_code == 400
    assert "Geef aan waarom de tijd niet is goedgekeurd." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    over.refresh_from_db()
    assert over.status == TimeEntry.Status.AWAITING_APPROVAL
    # The same token, the reason added: one decision.
    data = {f"entry-{over.pk}-decision": "reject", f"entry-{over.pk}-note": "Dubbel", FIELD: token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click: nothing more
    over.refresh_from_db()
    assert (over.status, over.decision_note) == (TimeEntry.Status.REJECTED, "Dubbel")
    # Garbage is a form error, never a 500.
    bad = client.post(url, {f"entry-{over.pk}-decision": "maybe"})
    assert bad.status_code in (302, 400)


def test_the_export_preview_the_export_and_its_downloads(client, cast, planners, over):
    TimeEntry.objects.filter(pk=over.pk).update(status=TimeEntry.Status.APPROVED)
    profile = cast.second_expert.expert_profile
    profile.organisation = _organisation(cast)  # colleagues at one care provider
    profile.save()
    time_entry_register_advice(
        expert=cast.second_expert, message=advice_by(cast, cast.second_expert), minutes=45
    )
    verify_session(client, planners.coordinator)
    url = reverse("hours:exports")
    page = client.get(url, _export_data(cast))
    assert page.status_code == 200
    preview = page.context["preview"]
    by_name = {name: (n, minutes) for name, n, minutes in preview.per_expert}
    assert by_name[cast.expert.get_full_name()] == (2, 270)
    assert by_name[cast.second_expert.get_full_name()] == (1, 45)
    assert (preview.count, preview.total) == (3, 315)
    assert "Exporteren en vastzetten" in page.content.decode()

    data = _export_data(cast, **{FIELD: new_token()})
    response = client.post(url, data)
    assert response.status_code == 302
    assert client.post(url, data).status_code == 302  # the double click
    export = InvoiceExport.objects.get()
    assert export.entries.count() == 3 and export.created_by == planners.coordinator
    again = client.get(url, _export_data(cast))
    assert again.context["preview"].count == 0
    assert "Alles van deze maand is al geëxporteerd" in again.content.decode()

    download = client.get(reverse("hours:export-download", args=[export.pk, "csv"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["Content-Disposition"].endswith('.csv"')
    assert "no-store" in download["Cache-Control"]
    text = download.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Expert", "Datum", "Activiteit", "Vraag of overleg", "Minuten"] in rows
    assert rows[-1] == ["Totaal", "", "", "", "315"]
    totals = {r[0]: r[4] for r in rows[rows.index(["Totaal per expert", "", "", "", ""]) + 1 :]}
    assert totals[cast.expert.get_full_name()] == "270"
    assert over.question.case.pseudonym in text and cast.resident.last_name not in text

    xlsx = client.get(reverse("hours:export-download", args=[export.pk, "xlsx"]))
    assert xlsx["Content-Disposition"].endswith('.xlsx"') and "no-store" in xlsx["Cache-Control"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Uren", "Totalen"]
    sheet_totals = list(book["Totalen"].iter_rows(values_only=True))
    assert sheet_totals[-1] == ("Totaal", 315)
    assert (cast.expert.get_full_name(), 270) in sheet_totals
    minutes = [r[4] for r in book["Uren"].iter_rows(values_only=True) if isinstance(r[4], int)]
    assert sorted(minutes) == [30, 45, 240]
    assert client.get(reverse("hours:export-download", args=[export.pk, "pdf"])).status_code == 404


def test_bad_export_input_is_a_form_error(client, cast, planners):
    team = build_team_pool(cast)
    verify_session(client, planners.triage)
    url = reverse("hours:exports")
    # Nothing to export: the service's refusal, shown on the page.
    response = client.post(url, _export_data(cast, **{FIELD: new_token()}))
    assert response.status_code == 400
    assert "Er is geen bevestigde tijd" in response.content.decode()
    # Another pool, a month to come, rubbish: form errors, nothing made.
    future = f"{timezone.localdate().replace(day=28) + timedelta(days=7):%Y-%m}"
    for data in (
        _export_data(cast, pool=team.pool.pk),
        _export_data(cast, month=future),
        _export_data(cast, organisation="x", month="13-2020"),
    ):
        assert client.post(url, data).status_code == 400
        assert client.get(url, data).status_code == 400
    assert not InvoiceExport.objects.exists()


def test_who_sees_the_pages_and_downloads(client, cast, planners, over):
    TimeEntry.objects.filter(pk=over.pk).update(status=TimeEntry.Status.APPROVED)
    export = invoice_export_create(
        actor=planners.triage,
        pool=cast.pool,
        organisation_id=_organisation(cast).pk,
        month=timezone.localdate(),
    )
    team = build_team_pool(cast)
    pages = [reverse("hours:approvals"), reverse("hours:exports")]
    downloads = [reverse("hours:export-download", args=[export.pk, f]) for f in ("csv", "xlsx")]
    for outsider in (cast.expert, cast.generalist, cast.team_lead, cast.municipality_admin):
        verify_session(client, outsider)
        for url in [*pages, *downloads]:
            assert client.get(url).status_code == 404, (outsider, url)
    # Planners of another pool: their own pages, not this pool's exports.
    for other in (cast.triage, team.coordinator):
        verify_session(client, other)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200
            assert not response.context["page"].items
        for url in downloads:
            assert client.get(url).status_code == 404, (other, url)
    for planner in (planners.triage, planners.coordinator):
        verify_session(client, planner)
        for url in [*pages, *downloads]:
            assert client.get(url).status_code == 200, (planner, url)


def test_another_pools_planner_cannot_decide_on_an_entry(client, cast, over):
    verify_session(client, cast.triage)
    response = client.post(
        reverse("hours:decide", args=[over.pk]), {f"entry-{over.pk}-decision": "approve"}
    )
    assert response.status_code == 404
    over.refresh_from_db()
    assert over.status == TimeEntry.Status.AWAITING_APPROVAL


def test_the_navigation_leads_planners_to_the_hours(client, cast, planners):
    team = build_team_pool(cast)
    for planner in (planners.triage, team.coordinator):
        verify_session(client, planner)
        home = client.get("/", follow=True)
        items = {item["label"]: item["url"] for item in home.context["nav_items"]}
        assert items["Uren"] == reverse("hours:approvals")


def _awaiting_rows(cast, rows: int):
    """`rows` entries awaiting approval, of three experts over two months."""
    question = advice_by(cast).question
    experts = [cast.expert, cast.second_expert, cast.unmatched_expert]
    today = timezone.localdate()
    TimeEntry.objects.bulk_create(
        TimeEntry(
            expert=experts[n % 3],
            pool=cast.pool,
            organisation_id=experts[n % 3].expert_profile.organisation_id,
            date=today if n % 2 else today.replace(day=1) - timedelta(days=1),
            activity=TimeEntry.Activity.ADVICE,
            question=question,
            minutes=10 + n,
            status=TimeEntry.Status.AWAITING_APPROVAL,
            created_by=experts[n % 3],
        )
        for n in range(rows)
    )


@pytest.mark.parametrize("rows", [1, 30])
def test_the_approvals_page_reads_a_fixed_number_of_queries(
    client, cast, planners, rows, django_assert_num_queries
):
    _awaiting_rows(cast, rows)
    verify_session(client, planners.coordinator)
    client.get(reverse("hours:approvals"))
    # The pools the user plans (1); the page of entries with expert, pool, question and case
    # (1); their experts' minutes per pool and month (1). The navigation's roles and the
    # bell's count come from the cache.
    with django_assert_num_queries(REQUEST_OVERHEAD + 3):
        response = client.get(reverse("hours:approvals"))
    assert len(response.context["pending"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_exports_page_reads_a_fixed_number_of_queries(
    client, cast, planners, rows, django_assert_num_queries
):
    organisation = _organisation(cast)
    month = timezone.localdate().replace(day=1)
    exports = InvoiceExport.objects.bulk_create(
        InvoiceExport(
            pool=cast.pool,
            organisation=organisation,
            month=month,
            number=n + 1,
            created_by=planners.triage,
        )
        for n in range(rows)
    )
    _awaiting_rows(cast, rows)
    for entry, export in zip(TimeEntry.objects.order_by("pk"), exports, strict=False):
        TimeEntry.objects.filter(pk=entry.pk).update(status="approved", export=export)
    verify_session(client, planners.coordinator)
    url = reverse("hours:exports")
    client.get(url)
    # The pools the user plans (1); the chosen pool's care providers (1); the page of exports
    # with pool, provider, exporter and their entries' count and minutes (1).
    with django_assert_num_queries(REQUEST_OVERHEAD + 3):
        response = client.get(url)
    assert len(response.context["page"]) == min(rows, 25)
    # With a preview: its totals per expert, the entries still waiting, earlier exports (3).
    with django_assert_num_queries(REQUEST_OVERHEAD + 6):
        client.get(url, _export_data(cast))
