"""Sessions over the API (issue 11): who sees a session and its agenda (the permission matrix),
that the agenda never shows the resident nor a question its reader may not see, the writes
through the services (400 with field errors, 403 for a non-planner), Idempotency-Key on the
POSTs, and lists that keep a fixed number of queries at 1 and at 50 rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultation import services
from consultation.models import Message, Status
from expertise.models import LifeDomain, TargetGroup
from meetings.models import AgendaItem, Invitation, Session
from meetings.services.planning import session_plan
from tests.api.helpers import assert_no_identity
from tests.meetings.helpers import ask_in, build_team_pool, moment
from triage.services import triage_claim, triage_plan_session

pytestmark = pytest.mark.django_db

KEY = "Idempotency-Key"
SESSIONS = "/api/v1/sessions/"
THEIR_TITLE = "Geheime titel van de andere wijk"


def _replayed(response) -> bool:
    return response.headers.get("Idempotent-Replayed") == "true"


def _started(session):
    """As if the session's time had come (outcomes and holding need it)."""
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def _when(days=7, hour=13):
    data = moment(days=days, hour=hour)
    return {
        "starts_at": data.starts_at.isoformat(),
        "ends_at": data.ends_at.isoformat(),
        "place": data.place,
    }


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def mdo(cast):
    """A multidisciplinary session of the triage pool (cast.org["pool"]): triage planned it for
    one question of the cast's team, inviting two experts of the network pool. Only its
    planner and its invitees see it."""
    question = ask_in(cast, cast.org["pool"], title="Zorgen om schooluitval")
    triage_claim(worker=cast.triage, question=question)
    triage_plan_session(worker=cast.triage, question=question, reason="Drie disciplines nodig")
    session = session_plan(
        planner=cast.triage,
        pool=cast.org["pool"],
        data=moment(),
        questions=[question],
        experts=[cast.expert, cast.unmatched_expert],
    )
    session.question = question
    return session


# --- The permission matrix -----------------------------------------------------------------------
SEES = {"triage", "generalist", "expert", "unmatched_expert"}  # planner, asker, the two invited
OTHERS = [
    "team_lead",  # same team, did not ask
    "other_generalist",  # a generalist of another team
    "second_expert",  # same pool as the invited experts, not invited
    "foreign_expert",  # another pool's expert
    "municipality_admin",
]


@pytest.mark.parametrize("who", sorted(SEES) + OTHERS)
def test_a_session_is_seen_by_its_planner_and_invitees_only(cast, api, mdo, who):
    client = api(getattr(cast, who))
    listed = {row["id"] for row in client.get(SESSIONS).json()["results"]}
    detail = client.get(f"{SESSIONS}{mdo.pk}/")
    agenda = client.get(f"{SESSIONS}{mdo.pk}/agenda/")
    invitations = client.get(f"{SESSIONS}{mdo.pk}/invitations/")
    if who in SEES:
        assert listed == {mdo.pk}
        assert detail.status_code == agenda.status_code == invitations.status_code == 200
        assert [i["question"] for i in agenda.json()["results"]] == [mdo.question.pk]
        assert detail.json()["may_plan"] == (who == "triage")
    else:
        assert listed == set()
        assert detail.status_code == agenda.status_code == invitations.status_code == 404
    for response in (detail, agenda, invitations):
        assert_no_identity(response.content.decode())


@pytest.mark.parametrize(
    ("who", "expected"),
    [("generalist", 403), ("expert", 403), ("foreign_expert", 404), ("other_generalist", 404)],
)
def test_only_the_planner_changes_a_session(cast, api, mdo, who, expected):
    """An invitee may see the session, not change it (403); for anyone else it does not exist
    (404), whatever they ask."""
    client = api(getattr(cast, who))
    item = AgendaItem.objects.get(session=mdo)
    writes = [
        (f"{SESSIONS}{mdo.pk}/move/", _when(days=9)),
        (f"{SESSIONS}{mdo.pk}/cancel/", {}),
        (f"{SESSIONS}{mdo.pk}/hold/", {}),
        (f"{SESSIONS}{mdo.pk}/invite/", {"experts": [cast.second_expert.pk]}),
        (f"/api/v1/agenda-items/{item.pk}/remove/", {}),
        (f"/api/v1/agenda-items/{item.pk}/carry-over/", {}),
        (
            f"/api/v1/agenda-items/{item.pk}/outcome/",
            {"advice": "Samen op huisbezoek.", "participants": [cast.expert.pk]},
        ),
    ]
    for path, data in writes:
        assert client.post(path, data, format="json").status_code == expected, path
    mdo.refresh_from_db()
    assert (mdo.status, mdo.sequence) == (Session.Status.PLANNED, 0)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ON_AGENDA
    assert not Invitation.objects.filter(session=mdo, user=cast.second_expert).exists()


@pytest.mark.parametrize("who", ["generalist", "expert", "municipality_admin"])
def test_someone_who_plans_no_pool_cannot_plan_a_session(cast, api, who):
    response = api(getattr(cast, who)).post(
        SESSIONS, {"pool": cast.org["pool"].pk, **_when()}, format="json"
    )
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_a_planner_plans_only_for_their_own_pools(cast, api, team):
    """The triage worker of one pool is no planner of the team pool: 403 from the service."""
    response = api(cast.triage).post(SESSIONS, {"pool": team.pool.pk, **_when()}, format="json")
    assert response.status_code == 403
    assert not Session.objects.exists()


# --- The agenda never shows the resident, nor a question the reader may not see -----------------
def _their_question(cast, pool):
    """A question of the other team, sent to `pool` (it serves that team too)."""
    pool.teams.add(cast.other_case.team)
    draft = services.question_create(
        actor=cast.other_generalist,
        case=cast.other_case,
        pool=pool,
        data=services.QuestionInput(
            title=THEIR_TITLE,
            situation="Een situatie in de andere wijk.",
            tried="Nog niets.",
            question="Wat kunnen we doen?",
            urgency="normal",
        ),
        life_domains=[LifeDomain.objects.get(slug="financien")],
        target_groups=[TargetGroup.objects.get(slug="schulden")],
        privacy_confirmed=True,
    )
    return services.question_submit(actor=cast.other_generalist, question=draft)


def test_each_reader_sees_only_the_agenda_items_of_questions_they_may_see(cast, api, team):
    session = session_plan(
        planner=team.coordinator, pool=team.pool, data=moment(), experts=team.experts[:1]
    )
    ours = ask_in(cast, team.pool, title="Zorgen om schooluitval")
    theirs = _their_question(cast, team.pool)
    # A team pool's questions go on its next session with room by themselves.
    assert set(session.agenda.values_list("question", flat=True)) == {ours.pk, theirs.pk}

    def agenda(user):
        response = api(user).get(f"{SESSIONS}{session.pk}/agenda/")
        assert response.status_code == 200
        assert_no_identity(response.content.decode())
        return response

    expert = agenda(team.experts[1])  # a team pool's expert reads the whole agenda
    assert {i["question"] for i in expert.json()["results"]} == {ours.pk, theirs.pk}
    assert {i["case"] for i in expert.json()["results"]} == {
        cast.case.pseudonym,
        cast.other_case.pseudonym,
    }
    mine = agenda(cast.generalist)  # the asking generalist: their own question only
    assert [i["question"] for i in mine.json()["results"]] == [ours.pk]
    assert mine.json()["results"][0]["title"] == "Zorgen om schooluitval"
    assert THEIR_TITLE not in mine.content.decode()
    assert cast.other_case.pseudonym not in mine.content.decode()
    other = agenda(cast.other_generalist)
    assert [i["question"] for i in other.json()["results"]] == [theirs.pk]
    assert "Zorgen om schooluitval" not in other.content.decode()
    # The coordinator reads their team pool's questions (and may answer them in writing).
    coordinator = agenda(team.coordinator)
    assert {i["question"] for i in coordinator.json()["results"]} == {ours.pk, theirs.pk}


def test_a_coordinators_write_shows_the_question_they_may_read_and_no_resident(cast, api, team):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    question = ask_in(cast, team.pool, title="Zorgen om schooluitval")
    item = AgendaItem.objects.get(session=session, question=question)
    response = api(team.coordinator).post(f"/api/v1/agenda-items/{item.pk}/remove/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "removed"
    # Coordinators read their team pool's questions (the sessions pages made them advisers).
    assert (body["question_visible"], body["title"]) == (True, "Zorgen om schooluitval")
    assert body["case"] == cast.case.pseudonym
    assert_no_identity(response.content.decode())


def test_the_browsable_api_renders_the_agenda_without_leaking(cast, api, mdo):
    for who in ("triage", "expert", "generalist"):
        response = api(getattr(cast, who)).get(
            f"{SESSIONS}{mdo.pk}/agenda/", HTTP_ACCEPT="text/html"
        )
        assert response.status_code == 200
        assert_no_identity(response.content.decode())


# --- Planning, the agenda and outcomes through the services --------------------------------------
def test_a_triage_worker_plans_moves_and_cancels_a_session(cast, api):
    pool = cast.org["pool"]
    question = ask_in(cast, pool)
    triage_claim(worker=cast.triage, question=question)
    triage_plan_session(worker=cast.triage, question=question, reason="Drie disciplines")
    client = api(cast.triage)

    created = client.post(
        SESSIONS,
        {
            "pool": pool.pk,
            **_when(),
            "questions": [question.pk],
            "experts": [cast.expert.pk, cast.second_expert.pk],
            "minutes": 30,
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["pool"]["id"] == pool.pk and body["may_plan"] is True
    assert body["item_count"] == 1 and body["status"] == "planned"
    session = Session.objects.get(pk=body["id"])
    assert set(session.invitations.values_list("user", flat=True)) == {
        cast.expert.pk,
        cast.second_expert.pk,
        cast.generalist.pk,
    }
    assert session.agenda.get().minutes == 30

    moved = client.post(f"{SESSIONS}{session.pk}/move/", {"place": "Wijkcentrum"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["place"], moved.json()["sequence"]) == ("Wijkcentrum", 1)
    assert moved.json()["starts_at"] == body["starts_at"]  # left out: unchanged

    cancelled = client.post(f"{SESSIONS}{session.pk}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE  # back to the queue
    # A cancelled session is no longer planned: moving it is a 400 with the reason.
    again = client.post(f"{SESSIONS}{session.pk}/move/", _when(days=3), format="json")
    assert again.status_code == 400
    assert "non_field_errors" in again.json()


def test_the_agenda_add_outcome_carry_over_and_hold(cast, api, team):
    client = api(team.coordinator)
    first = client.post(SESSIONS, {"pool": team.pool.pk, **_when(days=2)}, format="json")
    assert first.status_code == 201
    session = Session.objects.get(pk=first.json()["id"])
    question = ask_in(cast, team.pool)  # goes on `session` by itself
    item = AgendaItem.objects.get(session=session, question=question)

    # Taken off, and put back through the API.
    assert client.post(f"/api/v1/agenda-items/{item.pk}/remove/").json()["status"] == "removed"
    added = client.post(
        f"{SESSIONS}{session.pk}/agenda/", {"question": question.pk, "minutes": 25}, format="json"
    )
    assert added.status_code == 201, added.json()
    assert (added.json()["id"], added.json()["status"], added.json()["minutes"]) == (
        item.pk,
        "on_agenda",
        25,
    )

    # No later session yet: carrying over is a 400 saying so; with one, it moves there.
    carry = f"/api/v1/agenda-items/{item.pk}/carry-over/"
    assert client.post(carry).status_code == 400
    later = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=16))
    carried = client.post(carry)
    assert carried.status_code == 200
    assert carried.json()["carried_to_session"] == later.pk

    # The outcome on the later session, once it has started; then it is held.
    new_item = AgendaItem.objects.get(session=later, question=question)
    outcome = f"/api/v1/agenda-items/{new_item.pk}/outcome/"
    advice = {"advice": "Huisbezoek met de jeugdarts.", "participants": [team.experts[0].pk]}
    not_yet = client.post(outcome, advice, format="json")
    assert not_yet.status_code == 400
    _started(later)
    recorded = client.post(outcome, advice, format="json")
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "discussed"
    assert [p["id"] for p in recorded.json()["participants"]] == [team.experts[0].pk]
    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    assert Message.objects.filter(question=question, kind=Message.Kind.ADVICE).count() == 1
    held = client.post(f"{SESSIONS}{later.pk}/hold/")
    assert held.status_code == 200 and held.json()["status"] == "held"


def test_an_expert_reads_the_outcome_on_the_agenda(cast, api, team):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    question = ask_in(cast, team.pool)
    item = AgendaItem.objects.get(session=session, question=question)
    _started(session)
    api(team.coordinator).post(
        f"/api/v1/agenda-items/{item.pk}/outcome/",
        {"advice": "Schuldhulp vraagt uitstel aan.", "participants": [team.experts[2].pk]},
        format="json",
    )
    rows = api(team.experts[0]).get(f"{SESSIONS}{session.pk}/agenda/").json()["results"]
    assert rows[0]["outcome"]["body"] == "Schuldhulp vraagt uitstel aan."


def test_invitees_answer_their_own_invitation_only(cast, api, mdo):
    client = api(cast.expert)
    mine = client.get("/api/v1/invitations/").json()["results"]
    assert [(i["session"]["id"], i["role"], i["response"]) for i in mine] == [
        (mdo.pk, "expert", "pending")
    ]
    respond = f"/api/v1/invitations/{mine[0]['id']}/respond/"
    answered = client.post(respond, {"response": "declined"}, format="json")
    assert answered.status_code == 200 and answered.json()["response"] == "declined"
    session = client.get(f"{SESSIONS}{mdo.pk}/").json()
    assert session["declined_count"] == 1
    assert session["my_invitation"]["response"] == "declined"
    # The generalist sees who comes, with the expert's discipline.
    who = api(cast.generalist).get(f"{SESSIONS}{mdo.pk}/invitations/").json()["results"]
    declined = [i for i in who if i["user"]["id"] == cast.expert.pk]
    assert declined[0]["response"] == "declined"
    assert declined[0]["discipline"] == "schuldhulpverlener"
    # Someone else's invitation does not exist for them.
    theirs = Invitation.objects.get(session=mdo, user=cast.unmatched_expert)
    response = client.post(
        f"/api/v1/invitations/{theirs.pk}/respond/", {"response": "accepted"}, format="json"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.response == Invitation.Response.PENDING
