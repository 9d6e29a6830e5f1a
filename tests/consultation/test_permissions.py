"""Permission matrix for the consultation pages: who may list, read and write what.

Actors: own team generalist, team lead of the team, generalist of another team, the expert who
picked the question up, another matching expert of the pool, an expert of the pool whose
expertise does not match, an expert of another pool, a triage worker and a municipality admin.
Out of scope is a 404 (the selector); a role page of a role you don't hold is a 404 too, the
same for every object, so it reveals nothing (DESIGN §4.2, issue 13); in scope but not allowed
(a question you see, a write that is not yours) is a 403.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation import services
from consultation.models import Attachment, Notification, Question, Status
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

ACTORS = [
    "generalist",
    "team_lead",
    "other_generalist",
    "picked_up_expert",
    "matching_expert",
    "unmatched_expert",
    "foreign_expert",
    "triage",
    "municipality_admin",
]
TEAM = {"generalist", "team_lead"}
EXPERTS_WHO_SEE = {"picked_up_expert", "matching_expert"}


def _actor(cast, name):
    return {
        "generalist": cast.generalist,
        "team_lead": cast.team_lead,
        "other_generalist": cast.other_generalist,
        "picked_up_expert": cast.expert,
        "matching_expert": cast.second_expert,
        "unmatched_expert": cast.unmatched_expert,
        "foreign_expert": cast.foreign_expert,
        "triage": cast.triage,
        "municipality_admin": cast.municipality_admin,
    }[name]


@pytest.fixture
def world(cast):
    """An answered question (the picked-up expert advised), with an attachment."""
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    attachment = services.attachment_add(
        actor=cast.expert,
        question=question,
        upload=SimpleUploadedFile("regeling.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    return cast, question, attachment


def _expect(status_by_group, actor):
    for group, status in status_by_group.items():
        if actor in group:
            return status
    return status_by_group["else"]


ROLE_PAGE_TEAM = {frozenset(TEAM | {"other_generalist"}): 200, "else": 404}


def _pages(cast, question, attachment):
    """(name, method, url, data, expected) for every page and write of the issue."""
    q = question.pk
    case = cast.case.pseudonym
    see = frozenset(TEAM | EXPERTS_WHO_SEE)
    team = frozenset(TEAM)
    experts = frozenset(EXPERTS_WHO_SEE)
    # For team-only writes: the team may, the experts who see it get 403, the rest 404.
    team_write = {team: 302, experts: 403, "else": 404}
    expert_write = {experts: 302, team: 403, "else": 404}
    return [
        ("team case list", "get", reverse("wijkteam:home"), None, ROLE_PAGE_TEAM),
        ("register form", "get", reverse("wijkteam:resident-new"), None, ROLE_PAGE_TEAM),
        (
            "case detail",
            "get",
            reverse("wijkteam:case", args=[case]),
            None,
            {team: 200, "else": 404},
        ),
        (
            "question form",
            "get",
            reverse("wijkteam:question-new", args=[case]),
            None,
            {team: 200, "else": 404},
        ),
        (
            "expert inbox",
            "get",
            reverse("expertise:home"),
            None,
            {
                frozenset(
                    {"picked_up_expert", "matching_expert", "unmatched_expert", "foreign_expert"}
                ): 200,
                "else": 404,
            },
        ),
        (
            "answered questions",
            "get",
            reverse("expertise:answered"),
            None,
            {
                frozenset(
                    {"picked_up_expert", "matching_expert", "unmatched_expert", "foreign_expert"}
                ): 200,
                "else": 404,
            },
        ),
        (
            "question detail",
            "get",
            reverse("consultation:question", args=[q]),
            None,
            {see: 200, "else": 404},
        ),
        (
            "attachment",
            "get",
            reverse("consultation:attachment", args=[q, attachment.pk]),
            None,
            {see: 200, "else": 404},
        ),
        (
            "close form",
            "get",
            reverse("consultation:close", args=[q]),
            None,
            {team: 200, experts: 403, "else": 404},
        ),
        (
            "edit (not a draft)",
            "get",
            reverse("consultation:question-edit", args=[q]),
            None,
            # A team page: experts who see the question hold no team role, so 404 too.
            {team: 302, "else": 404},
        ),
        ("notifications", "get", reverse("consultation:notifications"), None, {"else": 200}),
        # Writes
        (
            "pick up",
            "post",
            reverse("consultation:pick-up", args=[q]),
            {},
            {experts: 302, team: 403, "else": 404},
        ),
        (
            "advise",
            "post",
            reverse("consultation:advise", args=[q]),
            {"body": "Advies"},
            expert_write,
        ),
        (
            "ask clarification",
            "post",
            reverse("consultation:clarify", args=[q]),
            {"body": "Hoe oud zijn de kinderen?"},
            expert_write,
        ),
        (
            "reply",
            "post",
            reverse("consultation:reply", args=[q]),
            {"body": "Aanvulling"},
            team_write,
        ),
        (
            "close",
            "post",
            reverse("consultation:close", args=[q]),
            {
                "direction": "confirmed",
                "escalation": "avoided",
                **{f"rating_{m.pk}": "4" for m in question.messages.all()},
            },
            team_write,
        ),
        ("withdraw", "post", reverse("consultation:withdraw", args=[q]), {}, team_write),
        (
            "attach",
            "post",
            reverse("consultation:attachment-add", args=[q]),
            {"note": "Brief"},
            {team: 302, experts: 302, "else": 404},
        ),
    ]


CASES = [
    (page, actor)
    for page in [
        "team case list",
        "register form",
        "case detail",
        "question form",
        "expert inbox",
        "answered questions",
        "question detail",
        "attachment",
        "close form",
        "edit (not a draft)",
        "notifications",
        "pick up",
        "advise",
        "ask clarification",
        "reply",
        "close",
        "withdraw",
        "attach",
    ]
    for actor in ACTORS
]


@pytest.mark.parametrize(("page", "actor"), CASES)
def test_permission_matrix(client, world, page, actor):
    cast, question, attachment = world
    name, method, url, data, expected = next(
        p for p in _pages(cast, question, attachment) if p[0] == page
    )
    verify_session(client, _actor(cast, actor))
    before = (
        Question.objects.get(pk=question.pk).status,
        question.messages.count(),
        Attachment.objects.count(),
    )
    if method == "get":
        response = client.get(url)
    else:
        if page == "attach":
            data = {**data, "file": io.BytesIO(b"%PDF-1.4 x")}
            data["file"].name = "notitie.pdf"
        response = client.post(url, data)
    want = _expect(expected, actor)
    assert response.status_code == want, (page, actor, response.status_code)
    if want in (403, 404):
        # A refused write changes nothing.
        after = (
            Question.objects.get(pk=question.pk).status,
            question.messages.count(),
            Attachment.objects.count(),
        )
        assert after == before, (page, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_register_resident_write(client, cast, actor):
    verify_session(client, _actor(cast, actor))
    data = {
        "first_name": "Test",
        "last_name": "Persoon",
        "date_of_birth": "1990-01-01",
        "postcode": "3811 AB",
        "household": "single",
    }
    team = cast.org["team"] if actor in TEAM else None
    if team:
        data["team"] = team.pk
    from wijkteam.models import Resident

    before = Resident.objects.count()
    response = client.post(reverse("wijkteam:resident-new"), data)
    if actor in TEAM:
        assert response.status_code == 302
        assert Resident.objects.count() == before + 1
    elif actor == "other_generalist":
        # Their own team only: posting our team id is refused by the form (not in choices).
        data["team"] = cast.org["team"].pk
        response = client.post(reverse("wijkteam:resident-new"), data)
        assert response.status_code == 200
        assert Resident.objects.count() == before
    else:
        assert response.status_code == 404  # no team role: the page does not exist for them
        assert Resident.objects.count() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_ask_question_write(client, cast, actor):
    verify_session(client, _actor(cast, actor))
    before = Question.objects.count()
    response = client.post(
        reverse("wijkteam:question-new", args=[cast.case.pseudonym]),
        {
            "title": "Vraag",
            "situation": "Situatie",
            "question": "Wat nu?",
            "urgency": "normal",
            "help_form": "written",
            "pool": cast.pool.pk,
            "life_domains": [1],
            "draft": "1",
        },
    )
    expected = {"generalist": 302, "team_lead": 302}.get(actor, 404)
    assert response.status_code == expected
    assert Question.objects.count() == before + (1 if expected == 302 else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_reopen_write(client, world, actor):
    cast, question, _ = world
    services.question_close(
        actor=cast.generalist, question=question, direction="confirmed", escalation="avoided"
    )
    verify_session(client, _actor(cast, actor))
    response = client.post(reverse("consultation:reopen", args=[question.pk]), {"reason": ""})
    # Closed network questions stay visible to the experts who worked on them only.
    expected = {"generalist": 302, "team_lead": 302, "picked_up_expert": 403}.get(actor, 404)
    assert response.status_code == expected
    question.refresh_from_db()
    assert (question.status == Status.ANSWERED) == (expected == 302)


def test_someone_elses_notification_is_404(client, world):
    cast, question, _ = world
    theirs = Notification.objects.filter(recipient=cast.generalist).first()
    verify_session(client, cast.second_expert)
    response = client.post(reverse("consultation:notification", args=[theirs.pk]))
    assert response.status_code == 404
    listing = client.get(reverse("consultation:notifications"))
    assert all(n.recipient_id == cast.second_expert.pk for n in listing.context["notifications"])


def test_draft_is_invisible_outside_the_team(client, cast):
    draft = cast.ask(submit=False)
    for actor in ("picked_up_expert", "matching_expert", "triage", "other_generalist"):
        client.logout()
        verify_session(client, _actor(cast, actor))
        assert client.get(reverse("consultation:question", args=[draft.pk])).status_code == 404
