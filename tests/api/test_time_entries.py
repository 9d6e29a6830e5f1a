"""Time entries over the API (issue 11): who sees an entry (the permission matrix), each write
through hours.services (400 with field errors, 403 only on an entry the caller sees), the cap
at its boundary, the usage endpoint, Idempotency-Key on the POSTs, and no resident anywhere.
Invoice exports, query budgets and the schema: tests/api/test_invoice_exports.py."""

from datetime import timedelta

import pytest

from consultation.services.advising import question_advise
from hours.models import TimeEntry
from hours.services import time_entry_register_advice
from tests.accounts.factories import UserFactory
from tests.api.helpers import assert_no_identity
from tests.hours.helpers import advice_by, held_session
from tests.meetings.helpers import ask_team, build_team_pool

pytestmark = pytest.mark.django_db

KEY = "Idempotency-Key"
ENTRIES = "/api/v1/time-entries/"
USAGE = "/api/v1/time-usage/"


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def planners(cast):
    """The network pool's triage worker and coordinator: they see (and approve) its entries."""
    cast.pool.triage_workers.add(cast.triage)
    coordinator = UserFactory()
    cast.pool.coordinators.add(coordinator)
    return {"triage": cast.triage, "coordinator": coordinator}


def _register(cast, minutes, *, title="Schulden en huur", expert=None):
    expert = expert or cast.expert
    message = advice_by(cast, expert, title=title)
    return time_entry_register_advice(expert=expert, message=message, minutes=minutes)


def _usage(client, pool):
    body = client.get(USAGE).json()
    return next(row for row in body["pools"] if row["pool"]["id"] == pool.pk)


# --- The permission matrix -----------------------------------------------------------------------
SEES = ["expert", "triage", "coordinator"]
OTHERS = [
    "second_expert",  # same pool, not theirs
    "foreign_expert",  # another pool's expert
    "team_coordinator",  # plans another pool
    "generalist",  # asked the question
    "team_lead",
    "municipality_admin",
]


@pytest.mark.parametrize("who", SEES + OTHERS)
def test_an_entry_is_seen_by_its_expert_and_the_pools_planners_only(cast, api, team, planners, who):
    entry = _register(cast, 30, title="Geheime titel")
    people = {**planners, "team_coordinator": team.coordinator}
    client = api(people.get(who) or getattr(cast, who))
    listed = client.get(ENTRIES)
    detail = client.get(f"{ENTRIES}{entry.pk}/")
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json()["results"]}
    if who in SEES:
        assert ids == {entry.pk}
        assert detail.status_code == 200
        body = detail.json()
        assert body["expert"] == {"id": cast.expert.pk, "name": cast.expert.get_full_name()}
        assert body["pool"] == {"id": cast.pool.pk, "name": cast.pool.name}
        assert body["organisation"]["id"] == cast.expert.expert_profile.organisation_id
        assert body["question"] == {"id": entry.question_id, "case": cast.case.pseudonym}
        assert (body["activity"], body["status"], body["minutes"]) == ("advice", "confirmed", 30)
        assert (body["session"], body["corrects"], body["locked"]) == (None, None, False)
    else:
        assert ids == set()
        assert detail.status_code == 404
    for response in (listed, detail):
        assert_no_identity(response.content.decode())
        assert "Geheime titel" not in response.content.decode()  # the question's id only


@pytest.mark.parametrize("who", ["second_expert", "team_coordinator", "municipality_admin"])
def test_outsiders_get_a_404_on_every_write_and_nothing_changes(cast, api, team, planners, who):
    entry = _register(cast, 30)
    client = api(team.coordinator if who == "team_coordinator" else getattr(cast, who))
    writes = {
        "confirm": {},
        "decline": {},
        "correct": {"minutes": 20, "reason": "Niet van mij"},
        "approve": {},
        "reject": {"note": "Nee"},
    }
    for name, data in writes.items():
        response = client.post(f"{ENTRIES}{entry.pk}/{name}/", data, format="json")
        assert response.status_code == 404, name
    assert TimeEntry.objects.count() == 1
    entry.refresh_from_db()
    assert (entry.status, entry.minutes) == ("confirmed", 30)


def test_the_list_filters_pool_month_status_and_mine(cast, api, team, planners):
    first = _register(cast, 30)
    theirs = _register(cast, 20, title="Tweede", expert=cast.second_expert)
    last_month = first.date.replace(day=1) - timedelta(days=1)
    TimeEntry.objects.filter(pk=theirs.pk).update(date=last_month)
    client = api(cast.triage)

    def ids(query=""):
        response = client.get(f"{ENTRIES}{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    month = f"{first.date:%Y-%m}"
    assert ids() == [first.pk, theirs.pk]  # the latest day first
    assert ids(f"?month={month}") == [first.pk]
    assert ids(f"?pool={cast.pool.pk}&status=confirmed") == [first.pk, theirs.pk]
    assert ids(f"?pool={team.pool.pk}") == []
    assert ids("?status=awaiting_approval") == []
    assert ids("?mine=true") == []  # the triage worker registers no time
    assert [r["id"] for r in api(cast.expert).get(f"{ENTRIES}?mine=true").json()["results"]] == [
        first.pk
    ]
    for query in ("month=2025-13", "month=maart", "status=paid", "pool=x", "mine=misschien"):
        response = client.get(f"{ENTRIES}?{query}")
        assert response.status_code == 400, query
        assert set(response.json()) == {query.split("=")[0]}


# --- An expert's own time ------------------------------------------------------------------------
def test_an_expert_registers_advice_time_once(cast, api):
    message = advice_by(cast)
    client = api(cast.expert)
    created = client.post(ENTRIES, {"message": message.pk, "minutes": 45}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["activity"], body["status"], body["minutes"]) == ("advice", "confirmed", 45)
    assert body["question"]["id"] == message.question_id
    # Registered again: the first entry, its minutes unchanged.
    again = client.post(ENTRIES, {"message": message.pk, "minutes": 90}, format="json")
    assert (again.json()["id"], again.json()["minutes"]) == (body["id"], 45)
    assert TimeEntry.objects.count() == 1
    # Someone else's advice "does not exist" for them.
    other = api(cast.second_expert).post(
        ENTRIES, {"message": message.pk, "minutes": 30}, format="json"
    )
    assert other.status_code == 400 and set(other.json()) == {"message"}
    assert_no_identity(created.content.decode())


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"minutes": 0}, {"minutes"}),
        ({"minutes": "abc"}, {"minutes"}),
        ({"minutes": 601}, {"minutes"}),
        ({"minutes": -5}, {"minutes"}),
        ({"minutes": 12.5}, {"minutes"}),
        ({"minutes": None}, {"minutes"}),
        ({"message": "x"}, {"message"}),
        ({"message": 999999}, {"message"}),
        ("nothing", {"message", "minutes"}),
    ],
)
def test_bad_advice_time_is_a_400_with_field_errors(cast, api, data, fields):
    message = advice_by(cast)
    body = {} if data == "nothing" else {"message": message.pk, "minutes": 30} | data
    response = api(cast.expert).post(ENTRIES, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields, response.json()
    assert not TimeEntry.objects.exists()


def test_the_cap_at_its_boundary_through_the_api(cast, api, planners):
    client = api(cast.expert)
    exactly = client.post(
        ENTRIES, {"message": advice_by(cast).pk, "minutes": 240}, format="json"
    ).json()
    assert exactly["status"] == "confirmed"  # exactly reaching the cap counts
    usage = _usage(client, cast.pool)
    assert (usage["used"], usage["waiting"], usage["cap"], usage["left"]) == (240, 0, 240, 0)
    assert (usage["percent"], usage["warn"]) == (100, True)
    over = client.post(
        ENTRIES, {"message": advice_by(cast, title="Tweede").pk, "minutes": 1}, format="json"
    ).json()
    assert over["status"] == "awaiting_approval"  # minute 241 waits for approval
    usage = _usage(client, cast.pool)
    assert (usage["used"], usage["waiting"]) == (240, 1)
    # Approved by the pool's triage worker: it counts.
    approved = api(cast.triage).post(f"{ENTRIES}{over['id']}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"]["id"] == cast.triage.pk
    assert approved.json()["decided_at"] is not None
    assert (_usage(client, cast.pool)["used"], _usage(client, cast.pool)["waiting"]) == (241, 0)


def test_the_usage_of_a_month_and_of_someone_who_registers_nothing(cast, api):
    _register(cast, 60)
    client = api(cast.expert)
    body = client.get(USAGE).json()
    assert body["month"] == f"{TimeEntry.objects.get().date:%Y-%m}"
    assert {row["pool"]["id"] for row in body["pools"]} == {cast.pool.pk}
    before = client.get(f"{USAGE}?month=2000-01").json()
    assert before["month"] == "2000-01" and before["pools"][0]["used"] == 0
    assert client.get(f"{USAGE}?month=2000-1").status_code == 400
    assert api(cast.generalist).get(USAGE).json()["pools"] == []


def test_the_expert_confirms_or_declines_a_proposed_attendance(cast, api, team):
    session = held_session(cast, team, declined=0)
    first, second, third = TimeEntry.objects.filter(session=session).order_by("expert_id")
    confirmed = api(first.expert).post(
        f"{ENTRIES}{first.pk}/confirm/", {"minutes": 90}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.json()
    body = confirmed.json()
    assert (body["status"], body["minutes"], body["activity"]) == ("confirmed", 90, "session")
    assert body["session"]["id"] == session.pk and body["question"] is None
    as_proposed = api(second.expert).post(f"{ENTRIES}{second.pk}/confirm/")
    assert (as_proposed.json()["status"], as_proposed.json()["minutes"]) == ("confirmed", 120)
    declined = api(third.expert).post(f"{ENTRIES}{third.pk}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    # The coordinator sees the pool's entries but confirms nobody's time: 403. Another expert
    # does not see the entry at all: 404.
    TimeEntry.objects.filter(pk=third.pk).update(status=TimeEntry.Status.PROPOSED)
    assert api(team.coordinator).post(f"{ENTRIES}{third.pk}/confirm/").status_code == 403
    assert api(first.expert).post(f"{ENTRIES}{third.pk}/decline/").status_code == 404
    bad = api(third.expert).post(f"{ENTRIES}{third.pk}/confirm/", {"minutes": 0}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"minutes"}
    third.refresh_from_db()
    assert third.status == TimeEntry.Status.PROPOSED


def test_a_correction_is_a_new_signed_entry(cast, api, planners):
    entry = _register(cast, 60)
    client = api(cast.expert)
    correct = f"{ENTRIES}{entry.pk}/correct/"
    made = client.post(correct, {"minutes": 45, "reason": "Te veel"}, format="json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["activity"], body["minutes"], body["corrects"], body["note"]) == (
        "correction",
        -15,
        entry.pk,
        "Te veel",
    )
    assert body["question"]["id"] == entry.question_id
    assert client.get(f"{ENTRIES}{entry.pk}/").json()["minutes"] == 60  # never edited
    for data, fields in [
        ({"minutes": 40}, {"reason"}),
        ({"minutes": 40, "reason": ""}, {"reason"}),
        ({"minutes": 45, "reason": "Nog eens"}, {"minutes"}),  # the time already registered
        ({"minutes": "abc", "reason": "x"}, {"minutes"}),
        ({"reason": "x" * 201, "minutes": 30}, {"reason"}),
    ]:
        response = client.post(correct, data, format="json")
        assert response.status_code == 400, data
        assert set(response.json()) == fields, response.json()
    # A correction itself is not corrected (400); a planner corrects nobody's time (403).
    again = client.post(
        f"{ENTRIES}{body['id']}/correct/", {"minutes": 10, "reason": "x"}, format="json"
    )
    assert again.status_code == 400 and "non_field_errors" in again.json()
    assert (
        api(cast.triage)
        .post(correct, {"minutes": 30, "reason": "Zo is het"}, format="json")
        .status_code
        == 403
    )
    assert TimeEntry.objects.count() == 2


def test_the_pools_planner_approves_or_rejects_with_a_reason(cast, api, planners):
    _register(cast, 240)
    over = _register(cast, 30, title="Tweede")
    other = _register(cast, 20, title="Derde")
    coordinator = api(planners["coordinator"])
    no_reason = coordinator.post(f"{ENTRIES}{other.pk}/reject/", {"note": " "}, format="json")
    assert no_reason.status_code == 400 and set(no_reason.json()) == {"note"}
    missing = coordinator.post(f"{ENTRIES}{other.pk}/reject/", {}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"note"}
    # The expert sees their own entry but does not approve it: 403.
    assert api(cast.expert).post(f"{ENTRIES}{over.pk}/approve/").status_code == 403
    rejected = coordinator.post(f"{ENTRIES}{other.pk}/reject/", {"note": "Dubbel"}, format="json")
    assert rejected.status_code == 200, rejected.json()
    body = rejected.json()
    assert (body["status"], body["decision_note"]) == ("rejected", "Dubbel")
    assert body["decided_by"]["id"] == planners["coordinator"].pk
    approved = api(cast.triage).post(
        f"{ENTRIES}{over.pk}/approve/", {"note": "Crisis"}, format="json"
    )
    assert (approved.json()["status"], approved.json()["decision_note"]) == ("approved", "Crisis")
    waiting = coordinator.get(f"{ENTRIES}?status=awaiting_approval").json()["results"]
    assert waiting == []


# --- Idempotency-Key -----------------------------------------------------------------------------
def test_a_retried_write_is_carried_out_once(cast, api):
    message = advice_by(cast)
    client = api(cast.expert)
    data = {"message": message.pk, "minutes": 30}
    first = client.post(ENTRIES, data, format="json", headers={KEY: "t-1"})
    second = client.post(ENTRIES, data, format="json", headers={KEY: "t-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert TimeEntry.objects.count() == 1
    other = client.post(ENTRIES, {**data, "minutes": 31}, format="json", headers={KEY: "t-1"})
    assert other.status_code == 422
    # A retried correction: one new entry (without the key the repeat would be a 400).
    correct = f"{ENTRIES}{first.json()['id']}/correct/"
    body = {"minutes": 20, "reason": "Korter"}
    replies = [client.post(correct, body, format="json", headers={KEY: "c-1"}) for _ in range(2)]
    assert [r.status_code for r in replies] == [201, 201]
    assert replies[0].json() == replies[1].json()
    assert TimeEntry.objects.filter(activity="correction").count() == 1


def test_a_coordinators_own_written_advice_is_no_time_to_register(cast, api, team):
    """Coordinators answer their team pool's questions in writing; only experts register time:
    a 403 on their own advice (they see it), nothing stored."""
    question = ask_team(cast, team, title="Voor de coördinator")
    message = question_advise(actor=team.coordinator, question=question, body="Bel de GGD.")
    response = api(team.coordinator).post(
        ENTRIES, {"message": message.pk, "minutes": 20}, format="json"
    )
    assert response.status_code == 403
    assert not TimeEntry.objects.exists()
