"""The team lead's overview: every question of their team that is not final, with whom it waits
for; filtered by generalist (whose case) and by whom it waits for; for team leads only, without
any identity; a fixed number of queries at 1 and 50 rows."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from config.pagination import PER_PAGE
from consultation import services
from consultation.workflow import By
from tests.consultation.cast import CANARY_STRINGS
from tests.consultation.test_query_budgets import REQUEST_OVERHEAD
from tests.helpers import shared_transaction, verify_session
from wijkteam.services import case_open

pytestmark = pytest.mark.django_db

URL = reverse("wijkteam:team-overview")


def _input(title):
    return services.QuestionInput(
        title=title,
        situation="Vaste lasten lopen op.",
        tried="Overzicht gemaakt.",
        question="Welke route raad je aan?",
        urgency="normal",
    )


@pytest.fixture
def world(cast, make_user):
    """The team's questions in each kind of wait, a final one, and another team's question."""
    to_experts = cast.ask(title="Wacht op experts")
    answered = cast.ask(title="Advies gekregen")
    services.question_advise(actor=cast.expert, question=answered, body="Bel de verhuurder.")
    cast.ask(title="Nog een concept", submit=False)
    in_triage = services.question_create(
        actor=cast.generalist, case=cast.case, pool=cast.org["pool"], data=_input("Bij triage")
    )
    services.question_submit(actor=cast.generalist, question=in_triage)
    withdrawn = cast.ask(title="Ingetrokken vraag")
    services.question_withdraw(actor=cast.generalist, question=withdrawn)
    other = services.question_create(
        actor=cast.other_generalist,
        case=cast.other_case,
        pool=cast.pool,
        data=_input("Vraag van het andere team"),
    )
    services.question_submit(actor=cast.other_generalist, question=other)
    # A colleague's own case, with a question of its own.
    colleague = make_user(Role.GENERALIST, first_name="Joris", last_name="Collega")
    theirs = case_open(actor=colleague, resident=cast.resident)
    cast.ask(title="Vraag van Joris", actor=colleague)
    services.question_create(
        actor=colleague, case=theirs, pool=cast.pool, data=_input("Joris' eigen casus")
    )
    return cast, colleague, to_experts


def _rows(response):
    return {question.title: question for question in response.context["questions"]}


def test_the_team_lead_sees_the_open_questions_and_whom_they_wait_for(client, world):
    cast, _colleague, _ = world
    verify_session(client, cast.team_lead)
    response = client.get(URL)
    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {
        "Wacht op experts",
        "Advies gekregen",
        "Nog een concept",
        "Bij triage",
        "Vraag van Joris",
        "Joris' eigen casus",
    }  # not the withdrawn one, not the other team's
    waiting = {title: row.waiting_for for title, row in rows.items()}
    assert waiting["Wacht op experts"] == By.EXPERT
    assert waiting["Bij triage"] == By.TRIAGE
    assert waiting["Advies gekregen"] == By.TEAM and waiting["Nog een concept"] == By.TEAM
    assert rows["Bij triage"].status_since is not None
    body = response.text
    assert cast.case.pseudonym in body and "Wacht op" in body and "Triage" in body
    for canary in CANARY_STRINGS:
        assert canary not in body


def test_filter_by_generalist_and_by_whom_it_waits_for(client, world):
    cast, colleague, _ = world
    verify_session(client, cast.team_lead)
    # Whose case it is: Joris asked on the generalist's case too, but that case is not his.
    assert set(_rows(client.get(URL, {"owner": colleague.pk}))) == {"Joris' eigen casus"}
    assert set(_rows(client.get(URL, {"waiting": "triage"}))) == {"Bij triage"}
    both = client.get(URL, {"owner": cast.generalist.pk, "waiting": "team"})
    assert set(_rows(both)) == {"Advies gekregen", "Nog een concept"}
    # The generalist's select offers the team's members only.
    choices = both.context["filter_form"].fields["owner"].queryset
    assert cast.other_generalist not in choices and colleague in choices


def test_a_filter_that_makes_no_sense_lists_everything(client, world):
    cast, _colleague, _ = world
    verify_session(client, cast.team_lead)
    response = client.get(URL, {"owner": cast.other_generalist.pk, "waiting": "nobody"})
    assert response.status_code == 200
    assert len(_rows(response)) == 6


@pytest.mark.parametrize(
    "who", ["generalist", "other_generalist", "expert", "triage", "municipality_admin"]
)
def test_only_team_leads_get_the_overview(client, world, who):
    cast, _colleague, _ = world
    verify_session(client, getattr(cast, who))
    response = client.get(URL)
    assert response.status_code == 404  # not a team lead: the page does not exist for them
    assert "Wacht op experts" not in response.text
    # ...and the navigation does not offer it.
    assert URL not in client.get("/", follow=True).text


def test_the_navigation_offers_the_overview_to_team_leads(client, cast):
    verify_session(client, cast.team_lead)
    home = client.get(reverse("wijkteam:home"))
    assert URL in home.text
    items = {item["url"]: item["current"] for item in client.get(URL).context["nav_items"]}
    assert items == {reverse("wijkteam:home"): False, URL: True}


# --- Query budget ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def filled(module_cast, rows, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            for i in range(rows):
                question = module_cast.ask(title=f"Vraag {i}")
                if i % 2:
                    services.question_advise(
                        actor=module_cast.expert, question=question, body="Advies"
                    )
        yield module_cast


@pytest.mark.parametrize("rows", [1, 50], scope="module")
def test_overview_budget(client, filled, django_assert_num_queries, rows):
    verify_session(client, filled.team_lead)
    client.get(URL)
    # the teams the user leads (1) + the page of questions with case, owner, asker and since
    # when in this status (1) + the generalists of the filter (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 3):
        response = client.get(URL)
    page = response.context["questions"]
    assert len(page) == min(rows, PER_PAGE)
    assert page.has_next == (rows > PER_PAGE)
    # Filtered by a generalist: the filter's check of the chosen one (1) on top.
    with django_assert_num_queries(REQUEST_OVERHEAD + 4):
        client.get(URL, {"owner": filled.generalist.pk, "waiting": "team"})
