"""Sessions over the API (issue 11): who sees a session and its agenda (the permission matrix),
that the agenda never shows the resident nor a question its reader may not see, the writes
through the services (400 with field errors, 403 for a non-planner), Idempotency-Key on the
POSTs, and lists that keep a fixed number of queries at 1 and at 50 rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.pagination import PAGE_SIZE
from consultation import services
from consultation.models import Message, Status
from consultation.services.common import grant_expert
from expertise.models import LifeDomain, TargetGroup
from meetings.models import AgendaItem, Invitation, Session
from meetings.services.planning import session_plan
from tests.accounts.factories import UserFactory
from tests.api.helpers import assert_no_identity
from tests.consultation.factories import QuestionFactory
from tests.expertise.factories import ExpertProfileFactory
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
    # The coordinator plans the session but is no expert: no question to read on it.
    assert agenda(team.coordinator).json()["results"] == []


def test_a_planners_write_on_a_question_they_cannot_read_shows_no_title(cast, api, team):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    question = ask_in(cast, team.pool, title="Zorgen om schooluitval")
    item = AgendaItem.objects.get(session=session, question=question)
    response = api(team.coordinator).post(f"/api/v1/agenda-items/{item.pk}/remove/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "removed"
    assert (body["question_visible"], body["title"], body["case"]) == (False, None, None)
    assert "Zorgen om schooluitval" not in response.content.decode()
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


def test_the_session_list_filters_upcoming_past_and_pool(cast, api, team, mdo):
    ended = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=1))
    Session.objects.filter(pk=ended.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    coming = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=3))
    client = api(team.coordinator)

    def ids(query=""):
        response = client.get(f"{SESSIONS}{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    # The coordinator plans the team pool only: the triage pool's session is not theirs.
    assert ids() == [coming.pk, ended.pk]
    assert ids("?when=upcoming") == [coming.pk]
    assert ids("?when=past") == [ended.pk]
    assert ids(f"?pool={team.pool.pk}&when=upcoming") == [coming.pk]
    assert ids(f"?pool={cast.org['pool'].pk}") == []
    assert api(cast.expert).get("/api/v1/invitations/?upcoming=true").json()["results"][0][
        "session"
    ]["id"] == (mdo.pk)


# --- Bad input: 400 with field errors, nothing stored --------------------------------------------
@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"starts_at": None, "ends_at": None, "pool": None}, {"starts_at", "ends_at", "pool"}),
        ({"starts_at": "morgen"}, {"starts_at"}),
        ({"video_link": "geen url"}, {"video_link"}),
        ({"capacity": 0}, {"capacity"}),
        ({"questions": [999999]}, {"questions"}),
        ({"experts": ["x"]}, {"experts"}),
        ({"minutes": 1}, {"minutes"}),
        ("past", {"starts_at"}),
        ("backwards", {"ends_at"}),
        ("nowhere", {"place"}),
        ("not_an_expert", {"experts"}),
    ],
)
def test_bad_input_to_plan_is_a_400_with_field_errors(cast, api, team, change, fields):
    data = {"pool": team.pool.pk, **_when()}
    if change == "past":
        data |= _when(days=-1)
    elif change == "backwards":
        data["ends_at"] = data["starts_at"]
    elif change == "nowhere":
        data["place"] = ""
    elif change == "not_an_expert":
        data["experts"] = [cast.generalist.pk]
    else:
        data |= change
        data = {name: value for name, value in data.items() if value is not None}
    response = api(team.coordinator).post(SESSIONS, data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields, response.json()
    assert not Session.objects.exists()


def test_a_question_of_another_pool_is_not_there_for_a_planner(cast, api, team):
    """The planner's scope: a question of a pool they do not plan "does not exist"."""
    other = cast.ask()  # the network pool's
    response = api(team.coordinator).post(
        SESSIONS, {"pool": team.pool.pk, **_when(), "questions": [other.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "questions" in response.json()


def test_bad_input_to_the_agenda_outcome_and_answer(cast, api, team, mdo):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    question = ask_in(cast, team.pool)
    item = AgendaItem.objects.get(session=session, question=question)
    _started(session)
    coordinator = api(team.coordinator)
    outcome = f"/api/v1/agenda-items/{item.pk}/outcome/"
    empty = coordinator.post(outcome, {"advice": " ", "participants": []}, format="json")
    assert empty.status_code == 400
    assert set(empty.json()) == {"advice", "participants"}
    generalist = coordinator.post(
        outcome, {"advice": "Advies.", "participants": [cast.generalist.pk]}, format="json"
    )
    assert generalist.status_code == 400 and set(generalist.json()) == {"participants"}
    assert coordinator.post(
        f"{SESSIONS}{session.pk}/agenda/", {"question": "x"}, format="json"
    ).json().keys() == {"question"}
    moved = coordinator.post(
        f"{SESSIONS}{session.pk}/move/", {"ends_at": "2020-01-01T10:00:00+01:00"}, format="json"
    )
    assert moved.status_code == 400 and "ends_at" in moved.json()
    invitation = Invitation.objects.get(session=mdo, user=cast.expert)
    maybe = api(cast.expert).post(
        f"/api/v1/invitations/{invitation.pk}/respond/", {"response": "maybe"}, format="json"
    )
    assert maybe.status_code == 400 and set(maybe.json()) == {"response"}
    for query in ("when=soon", "pool=x", "page=0"):
        assert coordinator.get(f"{SESSIONS}?{query}").status_code == 400, query
    assert api(cast.expert).get("/api/v1/invitations/?upcoming=misschien").status_code == 400


# --- Idempotency-Key -----------------------------------------------------------------------------
def test_a_retried_plan_makes_one_session(cast, api, team):
    client = api(team.coordinator)
    data = {"pool": team.pool.pk, **_when(), "experts": [e.pk for e in team.experts]}
    first = client.post(SESSIONS, data, format="json", headers={KEY: "plan-1"})
    second = client.post(SESSIONS, data, format="json", headers={KEY: "plan-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert not _replayed(first) and _replayed(second)
    assert Session.objects.count() == 1
    other = client.post(
        SESSIONS, {**data, "place": "Elders"}, format="json", headers={KEY: "plan-1"}
    )
    assert other.status_code == 422


def test_a_retried_move_moves_once_and_a_retried_answer_answers_once(cast, api, mdo):
    client = api(cast.triage)
    moves = [
        client.post(
            f"{SESSIONS}{mdo.pk}/move/", {"place": "Zaal 3"}, format="json", headers={KEY: "m-1"}
        )
        for _ in range(2)
    ]
    assert [m.status_code for m in moves] == [200, 200] and _replayed(moves[1])
    mdo.refresh_from_db()
    assert mdo.sequence == 1
    invitation = Invitation.objects.get(session=mdo, user=cast.expert)
    respond = f"/api/v1/invitations/{invitation.pk}/respond/"
    expert = api(cast.expert)
    answers = [
        expert.post(respond, {"response": "accepted"}, format="json", headers={KEY: "r-1"})
        for _ in range(2)
    ]
    assert answers[0].json() == answers[1].json() and _replayed(answers[1])


# --- Query budgets: the same at 1 and at 50 rows -------------------------------------------------
# Per API request, before the endpoint's own reads: the user and the OTP device (the session
# comes from the cache; tests/api/test_questions_query_budget.py).
REQUEST_OVERHEAD = 2


def _check_pages(client, path, rows, budget, django_assert_num_queries):
    client.get(path)  # warm up: content types, translations
    with django_assert_num_queries(REQUEST_OVERHEAD + budget):
        body = client.get(path).json()
    assert len(body["results"]) == min(rows, PAGE_SIZE)
    assert (body["next"] is not None) == (rows > PAGE_SIZE)
    assert "count" not in body
    if rows > PAGE_SIZE:
        with django_assert_num_queries(REQUEST_OVERHEAD + budget):
            second = client.get(body["next"]).json()
        assert len(second["results"]) == rows - PAGE_SIZE
    return body


@pytest.mark.parametrize("rows", [1, 50])
def test_the_session_list_has_a_fixed_number_of_queries(
    cast, api, team, rows, django_assert_num_queries
):
    for day in range(rows):
        session_plan(
            planner=team.coordinator,
            pool=team.pool,
            data=moment(days=day + 1),
            experts=team.experts[:2],
        )
    # The pools the caller plans (1: may_plan of every row) · the page of sessions with pool,
    # planner, counts and the caller's own invitation (1)
    for user in (team.coordinator, team.experts[0]):
        _check_pages(api(user), SESSIONS, rows, 2, django_assert_num_queries)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_agenda_has_a_fixed_number_of_queries(cast, api, team, rows, django_assert_num_queries):
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment())
    Invitation.objects.create(
        session=session, user=cast.generalist, role=Invitation.Role.GENERALIST
    )
    expert = team.experts[0]
    for position in range(rows):
        question = QuestionFactory(
            case=cast.case, pool=team.pool, status=Status.SCHEDULED, title=f"Vraag {position}"
        )
        grant_expert(question=question, expert=expert)
        AgendaItem.objects.create(session=session, question=question, position=position)
    # The session (1) · the items with question, case, outcome and carried-to session, only
    # those whose question the reader may see (1) · the participants (1)
    path = f"{SESSIONS}{session.pk}/agenda/"
    for user in (cast.generalist, expert):
        body = _check_pages(api(user), path, rows, 3, django_assert_num_queries)
        assert_no_identity(str(body))


@pytest.mark.parametrize("rows", [1, 50])
def test_the_invitation_lists_have_a_fixed_number_of_queries(
    cast, api, team, rows, django_assert_num_queries
):
    experts = [
        ExpertProfileFactory(user=UserFactory(), pools=[team.pool]).user for _ in range(rows)
    ]
    session = session_plan(planner=team.coordinator, pool=team.pool, data=moment(), experts=experts)
    # The session (1) · its invitations with person and expert profile (1)
    _check_pages(
        api(team.coordinator),
        f"{SESSIONS}{session.pk}/invitations/",
        rows,
        2,
        django_assert_num_queries,
    )
    for day in range(1, rows):
        session_plan(
            planner=team.coordinator, pool=team.pool, data=moment(days=day + 1), experts=experts[:1]
        )
    # One's own invitations with their session and pool (1)
    _check_pages(api(experts[0]), "/api/v1/invitations/", rows, 1, django_assert_num_queries)


# --- Documented ----------------------------------------------------------------------------------
def test_the_schema_builds_without_warnings_and_documents_the_new_endpoints(tmp_path):
    """drf-spectacular's own check (as `manage.py spectacular --fail-on-warn --validate`):
    a warning here is usually an enum name collision (SPECTACULAR_SETTINGS' overrides)."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/sessions/{id}/agenda/",
        "/api/v1/agenda-items/{id}/outcome/",
        "/api/v1/invitations/{id}/respond/",
        "/api/v1/triage/questions/{id}/redirect/",
        "/api/v1/triage/questions/claim-next/",
    ):
        assert f"{path}:" in schema, path
    # The question's status enum keeps the name it had before sessions came.
    assert "    StatusEnum:" in schema and "    SessionStatusEnum:" in schema
