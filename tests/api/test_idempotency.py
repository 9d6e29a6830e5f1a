"""The Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header) on the API's
POST endpoints: a repeat gets the first answer again without doing it twice, also when both
arrive at once; another request with the same key is a 422; a malformed key a 400."""

import json
import uuid

import pytest
from rest_framework.test import APIClient

from api import idempotency
from consultation.models import Message, Question
from submissions.models import Submission
from tests.api.helpers import assert_no_identity, draft_data
from tests.consultation.cast import CANARY_LAST
from tests.submissions.together import assert_the_second_waited, holding_claims, run_together
from wijkteam.models import AuditEvent, Case, Resident, TeamMembership

KEY = "Idempotency-Key"
NEW_RESIDENT = {
    "first_name": "Henk",
    "last_name": "Stapelberg",
    "date_of_birth": "1956-02-29",
    "postcode": "3812ab",
    "household": "single",
}


def with_key(client, path, data, key, **extra):
    return client.post(path, data, format="json", headers={KEY: key}, **extra)


def _replayed(response) -> bool:
    return response.headers.get("Idempotent-Replayed") == "true"


# --- The same request twice --------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data", "made"),
    [
        (
            "/api/v1/residents/",
            lambda cast: NEW_RESIDENT,
            lambda: Resident.objects.filter(last_name="Stapelberg").count(),
        ),
        (
            "/api/v1/cases/",
            lambda cast: {"resident": NEW_RESIDENT},
            lambda: Case.objects.filter(resident__last_name="Stapelberg").count(),
        ),
        (
            "/api/v1/questions/",
            lambda cast: draft_data(cast),
            lambda: Question.objects.filter(title="Dreigende huisuitzetting").count(),
        ),
    ],
    ids=["resident", "case", "question"],
)
def test_a_repeated_create_makes_one_and_answers_the_first_again(cast, api, path, data, made):
    client, key = api(cast.generalist), str(uuid.uuid4())

    first = with_key(client, path, data(cast), key)
    second = with_key(client, path, data(cast), key)

    assert first.status_code == second.status_code == 201, first.json()
    assert second.json() == first.json()
    assert not _replayed(first) and _replayed(second)
    assert made() == 1


@pytest.mark.django_db
def test_a_repeated_reply_and_submit_and_advice(cast, api):
    team, expert = api(cast.generalist), api(cast.expert)
    draft = with_key(team, "/api/v1/questions/", draft_data(cast), "draft-1").json()
    submit = f"/api/v1/questions/{draft['id']}/submit/"
    assert with_key(team, submit, {}, "submit-1").status_code == 200
    again = with_key(team, submit, {}, "submit-1")
    assert again.status_code == 200 and _replayed(again)
    assert again.json()["status"] == "open"
    question = Question.objects.get(pk=draft["id"])
    assert question.transitions.filter(to_status="submitted").count() == 1

    reply = f"/api/v1/questions/{question.pk}/reply/"
    body = {"body": "De verhuurder belde vanochtend."}
    replies = [with_key(team, reply, body, "reply-1") for _ in range(3)]
    assert [r.status_code for r in replies] == [201, 201, 201]
    assert len({r.json()["id"] for r in replies}) == 1
    assert question.messages.filter(kind=Message.Kind.FOLLOW_UP).count() == 1

    advise = f"/api/v1/questions/{question.pk}/advise/"
    advice = [with_key(expert, advise, {"body": "Bel de verhuurder."}, "advice-1") for _ in "ab"]
    assert advice[0].json() == advice[1].json()
    assert _replayed(advice[1])
    assert question.messages.filter(kind=Message.Kind.ADVICE).count() == 1
    assert_no_identity(advice[1].content.decode())


@pytest.mark.django_db
def test_a_replayed_case_for_a_known_resident_is_an_identity_read_again(cast, api):
    """The answer shows the identity of a resident the caller did not send: each answer, the
    repeat too, is in the audit log."""
    client = api(cast.generalist)
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_IDENTITY).count()
    for _ in range(2):
        response = with_key(client, "/api/v1/cases/", {"resident_id": cast.resident.pk}, "c-1")
        assert response.status_code == 201
        assert response.json()["resident"]["last_name"] == CANARY_LAST
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_IDENTITY).count() - before
    assert reads == 2
    assert Case.objects.filter(resident=cast.resident).count() == 2  # the fixture's and this


@pytest.mark.django_db
def test_without_a_key_it_works_as_before(cast, api):
    client = api(cast.generalist)
    for _ in range(2):
        assert client.post("/api/v1/residents/", NEW_RESIDENT, format="json").status_code == 201
    assert Resident.objects.filter(last_name="Stapelberg").count() == 2
    assert not Submission.objects.exists()


# --- Another request with the same key; a malformed key -----------------------------------------
@pytest.mark.django_db
def test_the_same_key_with_another_body_or_path_is_a_422(cast, api):
    client = api(cast.generalist)
    assert with_key(client, "/api/v1/residents/", NEW_RESIDENT, "k-1").status_code == 201

    other_body = with_key(
        client, "/api/v1/residents/", {**NEW_RESIDENT, "first_name": "Jan"}, "k-1"
    )
    other_path = with_key(client, "/api/v1/cases/", {"resident": NEW_RESIDENT}, "k-1")

    for response in (other_body, other_path):
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["detail"]
        assert not _replayed(response)
    assert Resident.objects.filter(last_name="Stapelberg").count() == 1


@pytest.mark.django_db
def test_the_same_json_spelled_otherwise_is_the_same_request(cast, api):
    client = api(cast.generalist)
    spelled = json.dumps(dict(reversed(list(NEW_RESIDENT.items()))), indent=4)
    assert with_key(client, "/api/v1/residents/", NEW_RESIDENT, "k-2").status_code == 201
    again = client.post(
        "/api/v1/residents/", spelled, content_type="application/json", headers={KEY: "k-2"}
    )
    assert again.status_code == 201 and _replayed(again)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "   ", '""', "x" * 256, "sleutel\u00e9"], ids=repr)
def test_a_malformed_key_is_a_400_with_a_field_error(cast, api, key):
    response = with_key(api(cast.generalist), "/api/v1/residents/", NEW_RESIDENT, key)
    assert response.status_code == 400
    assert list(response.json()) == [KEY]
    assert "255" in response.json()[KEY][0]
    assert not Resident.objects.filter(last_name="Stapelberg").exists()


@pytest.mark.django_db
def test_a_quoted_key_and_the_longest_key_are_accepted(cast, api):
    client = api(cast.generalist)
    longest = "x" * 255
    assert with_key(client, "/api/v1/residents/", NEW_RESIDENT, longest).status_code == 201
    assert _replayed(with_key(client, "/api/v1/residents/", NEW_RESIDENT, f'"{longest}"'))


# --- A failure leaves the key; keys are per user; a repeat sees only what it may see now ---------
@pytest.mark.django_db
def test_a_failed_request_leaves_its_key_unused(cast, api):
    client = api(cast.generalist)
    bad = with_key(client, "/api/v1/residents/", {**NEW_RESIDENT, "postcode": "x"}, "k-3")
    assert bad.status_code == 400
    fixed = with_key(client, "/api/v1/residents/", NEW_RESIDENT, "k-3")
    assert fixed.status_code == 201 and not _replayed(fixed)


@pytest.mark.django_db
def test_another_users_key_is_their_own(cast, api):
    first = with_key(api(cast.generalist), "/api/v1/residents/", NEW_RESIDENT, "shared")
    theirs = with_key(api(cast.team_lead), "/api/v1/residents/", NEW_RESIDENT, "shared")
    assert theirs.status_code == 201 and not _replayed(theirs)
    assert theirs.json()["id"] != first.json()["id"]


@pytest.mark.django_db
def test_a_repeat_answers_from_what_the_caller_may_see_now(cast, api):
    """Left the team since the first request: the repeat is a 404 (the message is looked up
    through the questions the caller may see now), never the stored answer."""
    client = api(cast.generalist)
    reply = f"/api/v1/questions/{cast.ask().pk}/reply/"
    assert with_key(client, reply, {"body": "Aanvulling."}, "k-4").status_code == 201
    TeamMembership.objects.filter(user=cast.generalist).delete()

    again = with_key(client, reply, {"body": "Aanvulling."}, "k-4")

    assert again.status_code == 404
    assert_no_identity(again.content.decode())


# --- At once -------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_make_one_record(cast, token_client, monkeypatch):
    clients = [token_client(cast.generalist) for _ in range(2)]
    claimed_at = holding_claims(monkeypatch, idempotency)
    question = cast.ask()
    reply = f"/api/v1/questions/{question.pk}/reply/"

    records = run_together(
        [
            (lambda c=client: with_key(c, reply, {"body": "Aanvulling."}, "at-once-1"))
            for client in clients
        ]
    )

    assert_the_second_waited(records, claimed_at)
    responses = [r["value"] for r in records]
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sorted(_replayed(r) for r in responses) == [False, True]
    assert question.messages.filter(kind=Message.Kind.FOLLOW_UP).count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_registrations_at_once_with_one_key_make_one_resident(cast, monkeypatch):
    from tests.helpers import verify_session

    clients = []
    for _ in range(5):
        client = APIClient()
        verify_session(client, cast.generalist)
        clients.append(client)
    holding_claims(monkeypatch, idempotency)

    records = run_together(
        [
            (lambda c=client: with_key(c, "/api/v1/residents/", NEW_RESIDENT, "five"))
            for client in clients
        ]
    )

    assert {r["value"].status_code for r in records} == {201}
    assert len({r["value"].json()["id"] for r in records}) == 1
    assert Resident.objects.filter(last_name="Stapelberg").count() == 1


# --- Documented ----------------------------------------------------------------------------------
def test_the_schema_documents_the_header_on_every_post_that_makes_something():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    posts = {
        path: operations["post"]
        for path, operations in schema["paths"].items()
        if "post" in operations
    }
    with_header = {
        path
        for path, operation in posts.items()
        if any(p["in"] == "header" and p["name"] == KEY for p in operation.get("parameters", []))
    }
    # Marking notifications read is idempotent by itself; every other POST takes the key.
    assert set(posts) - with_header == {"/api/v1/notifications/mark-read/"}
    assert all("422" in posts[path]["responses"] for path in with_header)
