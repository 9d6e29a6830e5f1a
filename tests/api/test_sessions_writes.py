"""The sessions API, continued: list filters, bad input, retries, query budgets, schema."""
# ruff: noqa: F811 - the fixtures of test_sessions, imported, are parameters here

from datetime import timedelta

import pytest
from django.utils import timezone

from api.pagination import PAGE_SIZE
from consultation.models import Status
from consultation.services.common import grant_expert
from meetings.models import AgendaItem, Invitation, Session
from meetings.services.planning import session_plan
from tests.accounts.factories import UserFactory
from tests.api.helpers import assert_no_identity
from tests.api.test_sessions import _replayed, _started, _when, mdo, team  # noqa: F401 - fixtures
from tests.consultation.factories import QuestionFactory
from tests.expertise.factories import ExpertProfileFactory
from tests.meetings.helpers import ask_in, moment

pytestmark = pytest.mark.django_db

KEY = "Idempotency-Key"
SESSIONS = "/api/v1/sessions/"
THEIR_TITLE = "Geheime titel van de andere wijk"


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
