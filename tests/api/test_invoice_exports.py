"""Invoice exports over the API (issue 11): who may export and see them, the CSV and XLSX read
back, retries; the query budgets of the hours lists at 1 and at 30 rows; and the schema."""
# ruff: noqa: F811 - the fixtures of test_time_entries, imported, are parameters here

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from hours.models import InvoiceExport, TimeEntry
from hours.services import time_entry_correct
from meetings.services.planning import session_plan
from tests.api.helpers import assert_no_identity
from tests.api.test_sessions_writes import REQUEST_OVERHEAD, _check_pages
from tests.api.test_time_entries import _register, planners, team  # noqa: F401 - fixtures
from tests.expertise.factories import OrganisationFactory
from tests.meetings.helpers import moment

pytestmark = pytest.mark.django_db

KEY = "Idempotency-Key"
EXPORTS = "/api/v1/invoice-exports/"
ENTRIES = "/api/v1/time-entries/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def month_of_time(cast, planners):
    """200 minutes of advice corrected to 180, and 90 beyond the cap awaiting approval."""
    kept = _register(cast, 200)
    time_entry_correct(expert=cast.expert, entry=kept, minutes=180, reason="Pauze eraf")
    _register(cast, 90, title="Tweede")
    return kept


def _create(client, cast, **changes):
    data = {
        "pool": cast.pool.pk,
        "organisation": cast.expert.expert_profile.organisation_id,
        "month": f"{timezone.localdate():%Y-%m}",
        **changes,
    }
    return client.post(EXPORTS, data, format="json")


def test_the_pools_planner_exports_a_month_and_reads_it_back(cast, api, month_of_time):
    client = api(cast.triage)
    created = _create(client, cast)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["month"] == f"{timezone.localdate():%Y-%m}" and body["number"] == 1
    assert (body["entry_count"], body["total_minutes"]) == (2, 180)  # not the 90 waiting
    assert body["pool"]["id"] == cast.pool.pk
    assert body["created_by"]["id"] == cast.triage.pk
    assert [e["id"] for e in client.get(EXPORTS).json()["results"]] == [body["id"]]
    # Its entries are locked from now on.
    assert api(cast.expert).get(f"{ENTRIES}{month_of_time.pk}/").json()["locked"] is True

    name = cast.expert.get_full_name()
    day = f"{month_of_time.date:%d-%m-%Y}"
    pseudonym = cast.case.pseudonym
    sheet = client.get(f"{EXPORTS}{body['id']}/csv/")
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("text/csv")
    assert sheet["Content-Disposition"] == (
        f'attachment; filename="uren-{month_of_time.date:%Y-%m}-'
        f'{body["organisation"]["id"]}-{cast.pool.pk}-1.csv"'
    )
    text = sheet.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    entries = [r for r in rows if len(r) == 5 and r[1] == day]
    assert [(r[0], r[3], r[4]) for r in entries] == [
        (name, pseudonym, "200"),
        (name, pseudonym, "-20"),
    ]
    assert "Pauze eraf" in entries[1][2]  # a correction says why
    assert rows[-1][-1] == "180" and [name, "", "", "", "180"] in rows
    assert_no_identity(text)
    # Asked for by its type, too.
    assert client.get(f"{EXPORTS}{body['id']}/csv/", HTTP_ACCEPT="text/csv").status_code == 200

    workbook = client.get(f"{EXPORTS}{body['id']}/xlsx/")
    assert workbook.status_code == 200 and workbook["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(workbook.content))
    lines = [r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0] == name]
    assert [(r[3], r[4]) for r in lines] == [(pseudonym, 200), (pseudonym, -20)]
    assert lines[0][1].date() == month_of_time.date  # dates as dates
    totals = list(book.worksheets[1].iter_rows(values_only=True))
    assert totals[1] == (name, 180) and totals[-1][1] == 180
    for cell_row in book.worksheets[0].iter_rows(values_only=True):
        assert_no_identity(" ".join(str(c) for c in cell_row if c is not None))


@pytest.mark.parametrize(
    ("who", "expected"), [("expert", 404), ("team_coordinator", 404), ("generalist", 404)]
)
def test_an_export_is_seen_by_its_pools_planners_only(
    cast, api, team, month_of_time, who, expected
):
    export = _create(api(cast.triage), cast).json()
    client = api(team.coordinator if who == "team_coordinator" else getattr(cast, who))
    assert client.get(EXPORTS).json()["results"] == []
    for path in ("", "csv/", "xlsx/"):
        response = client.get(f"{EXPORTS}{export['id']}/{path}")
        assert response.status_code == expected, path
        assert response["Content-Type"] == "application/json"
    assert client.get(f"{EXPORTS}{export['id']}/csv/", HTTP_ACCEPT="text/csv").status_code == 404


def test_only_the_pools_planners_export(cast, api, team, month_of_time):
    # Someone who plans no pool (403 before anything else), a planner of another pool (403).
    for user in (cast.expert, cast.generalist, team.coordinator):
        assert _create(api(user), cast).status_code == 403
    assert not InvoiceExport.objects.exists()
    assert not TimeEntry.objects.filter(export__isnull=False).exists()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"month": "2025-3"}, {"month"}),
        ({"month": "maart"}, {"month"}),
        ({"month": "2025-13"}, {"month"}),
        ({"month": "next"}, {"month"}),  # a month to come: the service says so
        ({"organisation": 999999}, {"organisation"}),
        ({"pool": "x"}, {"pool"}),
        ({"pool": None, "organisation": None, "month": None}, {"pool", "organisation", "month"}),
        ("nothing to export", {"non_field_errors"}),
    ],
)
def test_bad_input_to_an_export_is_a_400_with_field_errors(
    cast, api, month_of_time, changes, fields
):
    if changes == "nothing to export":
        changes = {"organisation": OrganisationFactory().pk}
    elif changes.get("month") == "next":
        ahead = timezone.localdate().replace(day=28) + timedelta(days=7)
        changes = {"month": f"{ahead:%Y-%m}"}
    response = _create(api(cast.triage), cast, **changes)
    assert response.status_code == 400
    assert set(response.json()) == fields, response.json()
    assert not InvoiceExport.objects.exists()


def test_a_retried_export_makes_one(cast, api, month_of_time):
    client = api(cast.triage)
    data = {
        "pool": cast.pool.pk,
        "organisation": cast.expert.expert_profile.organisation_id,
        "month": f"{timezone.localdate():%Y-%m}",
    }
    first = client.post(EXPORTS, data, format="json", headers={KEY: "e-1"})
    second = client.post(EXPORTS, data, format="json", headers={KEY: "e-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers["Idempotent-Replayed"] == "true"
    # Without a key, a second click with nothing new answers with the same export too.
    assert client.post(EXPORTS, data, format="json").json()["id"] == first.json()["id"]
    assert InvoiceExport.objects.count() == 1


# --- Query budgets: the same at 1 and at 30 rows -------------------------------------------------
def _many_entries(cast, team, rows):
    """`rows` entries of the expert: advice with a question, session attendance, corrections and
    decided time, so that every reference of a row is there to be fetched."""
    first = _register(cast, 10)
    # One attendance per session and expert: a session for each session row.
    sessions = [
        session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=day + 1))
        for day in range(rows // 4 + 1)
    ]
    base = {
        "expert": cast.expert,
        "pool": cast.pool,
        "organisation_id": first.organisation_id,
        "date": first.date,
        "created_by": cast.expert,
    }
    triage = cast.triage
    kinds = [
        lambda i: {"activity": "advice", "question_id": first.question_id, "minutes": 5},
        lambda i: {"activity": "session", "session": sessions[i // 4], "minutes": 60},
        lambda i: {"activity": "correction", "corrects": first, "minutes": -1, "note": "Korter"},
        lambda i: {"activity": "advice", "minutes": 5, "status": "approved", "decided_by": triage},
    ]
    TimeEntry.objects.bulk_create(
        TimeEntry(**base, **kinds[i % len(kinds)](i)) for i in range(rows - 1)
    )
    assert TimeEntry.objects.count() == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_the_time_entry_list_has_a_fixed_number_of_queries(
    cast, api, team, planners, rows, django_assert_num_queries
):
    _many_entries(cast, team, rows)
    # The page of entries, visible ones only (own, or of a pool the caller plans: a subquery),
    # with pool, care provider, question and case, session, expert, corrected entry and
    # decider (1)
    for user in (cast.expert, cast.triage):
        body = _check_pages(api(user), ENTRIES, rows, 1, django_assert_num_queries)
        assert_no_identity(str(body))


@pytest.mark.parametrize("rows", [1, 30])
def test_the_export_list_has_a_fixed_number_of_queries(
    cast, api, planners, rows, django_assert_num_queries
):
    entry = _register(cast, 10)
    for number in range(1, rows + 1):
        export = InvoiceExport.objects.create(
            pool=cast.pool,
            organisation_id=entry.organisation_id,
            month=entry.date.replace(day=1),
            number=number,
            created_by=cast.triage,
        )
    TimeEntry.objects.filter(pk=entry.pk).update(export=export)
    # The page of exports of the pools the caller plans (a subquery), with pool, care
    # provider, exporter, and the count and sum of their entries (1)
    _check_pages(api(cast.triage), EXPORTS, rows, 1, django_assert_num_queries)


def test_the_usage_has_a_fixed_number_of_queries(cast, api, team, django_assert_num_queries):
    _many_entries(cast, team, 30)
    client = api(cast.expert)
    client.get("/api/v1/time-usage/")
    # The month's totals per pool and status (1) · the pools served or with time (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 2):
        assert client.get("/api/v1/time-usage/").status_code == 200


# --- Documented ----------------------------------------------------------------------------------
def test_the_schema_builds_without_warnings_and_documents_the_hours_endpoints(tmp_path):
    """drf-spectacular's own check (as `manage.py spectacular --fail-on-warn --validate`)."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/time-entries/",
        "/api/v1/time-entries/{id}/",
        "/api/v1/time-entries/{id}/confirm/",
        "/api/v1/time-entries/{id}/decline/",
        "/api/v1/time-entries/{id}/correct/",
        "/api/v1/time-entries/{id}/approve/",
        "/api/v1/time-entries/{id}/reject/",
        "/api/v1/time-usage/",
        "/api/v1/invoice-exports/",
        "/api/v1/invoice-exports/{id}/",
        "/api/v1/invoice-exports/{id}/csv/",
        "/api/v1/invoice-exports/{id}/xlsx/",
    ):
        assert f"  {path}:" in schema, path
    csv_download = schema.split("  /api/v1/invoice-exports/{id}/csv/:")[1].split("\n  /")[0]
    assert "text/csv:" in csv_download and "format: binary" in csv_download
    assert f"{XLSX}:" in schema
    # The entry's status enum has a name of its own; the question's keeps its old one.
    assert "    TimeEntryStatusEnum:" in schema and "    StatusEnum:" in schema
    # An entry never names the resident.
    entry = re.search(r"\n    TimeEntry:\n(.*?)\n    \S", schema, re.S).group(1)
    assert "        locked:" in entry
    for field in ("resident", "first_name", "last_name", "date_of_birth", "postcode", "title"):
        assert not re.search(rf"^        {field}:", entry, re.M), field
