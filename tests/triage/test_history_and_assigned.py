"""Issue 10, triage follow-up: the history is complete (an accept, a decline while others stay
assigned), a redirect to another pool names the pool triage chose from a list, the triage
question page shows the clock and the history, and the questions a worker assigned stay
findable on "Questions I assigned"."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation.models import QuestionTransition, Reason, Status
from expertise.models import ExpertPool
from tests.expertise.factories import ExpertPoolFactory
from tests.helpers import verify_session
from triage import services

pytestmark = pytest.mark.django_db


def _reasons(question):
    return [
        (step.reason_code, step.reason)
        for step in QuestionTransition.objects.filter(question=question).order_by("pk")
    ]


def _assigned(tri, *experts, title="Vraag om toe te wijzen"):
    question = tri.ask(title=title)
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_assign(worker=tri.worker, question=question, experts=list(experts))
    return question


def test_an_accept_is_in_the_history_once(tri):
    question = _assigned(tri, tri.expert)
    services.assignment_accept(expert=tri.expert, question=question)
    services.assignment_accept(expert=tri.expert, question=question)  # a second click
    accepted = [r for r in _reasons(question) if r[0] == Reason.ACCEPTED]
    assert accepted == [(Reason.ACCEPTED, tri.expert.get_full_name())]


def test_a_decline_while_others_stay_assigned_is_in_the_history(tri):
    question = _assigned(tri, tri.expert, tri.second_expert)
    services.assignment_decline(
        expert=tri.second_expert, question=question, reason="Ik ben met verlof."
    )
    question.refresh_from_db()
    assert question.status == Status.ASSIGNED  # the other expert is still on it
    last = QuestionTransition.objects.filter(question=question).order_by("pk").last()
    assert (last.reason_code, last.from_status, last.to_status) == (
        Reason.DECLINED,
        Status.ASSIGNED,
        Status.ASSIGNED,
    )
    assert last.reason == f"{tri.second_expert.get_full_name()}: Ik ben met verlof."
    assert last.actor == tri.second_expert


def test_the_last_decline_returns_the_question_with_one_history_entry(tri):
    question = _assigned(tri, tri.expert)
    services.assignment_decline(expert=tri.expert, question=question, reason="Geen tijd.")
    declined = [r for r in _reasons(question) if r[0] == Reason.DECLINED]
    assert declined == [(Reason.DECLINED, f"{tri.expert.get_full_name()}: Geen tijd.")]
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE


# --- Redirect to another pool ------------------------------------------------------------------
def _claimed(tri):
    question = tri.ask(title="Vraag voor een andere pool")
    services.triage_claim(worker=tri.worker, question=question)
    return question


def test_a_redirect_to_another_pool_needs_a_pool_that_serves_the_team(tri):
    question = _claimed(tri)
    elsewhere = ExpertPoolFactory(
        region=tri.org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    for pool in (None, elsewhere, tri.pool):  # none, not serving the team, its own pool
        with pytest.raises(ValidationError) as refused:
            services.triage_redirect(
                worker=tri.worker, question=question, target="other_pool", note="Zie x.", pool=pool
            )
        assert "pool" in refused.value.message_dict
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE and question.redirect_pool is None

    services.triage_redirect(
        worker=tri.worker, question=question, target="other_pool", note="Beter bij jeugd.",
        pool=tri.other_pool,
    )  # fmt: skip
    question.refresh_from_db()
    assert (question.status, question.redirect_pool) == (Status.REDIRECTED, tri.other_pool)
    step = QuestionTransition.objects.filter(question=question, to_status=Status.REDIRECTED).get()
    assert (step.reason_code, step.reason) == (Reason.REDIRECTED_OTHER_POOL, tri.other_pool.name)


def test_triage_chooses_the_target_pool_from_a_list(client, tri):
    question = _claimed(tri)
    verify_session(client, tri.worker)
    url = reverse("triage:question", args=[question.pk])
    page = client.get(url).content.decode()
    form = page[page.index('value="redirect"') :]
    form = form[: form.index("</form>")]
    assert f'<option value="{tri.other_pool.pk}">{tri.other_pool.name}</option>' in form
    assert f'<option value="{tri.pool.pk}"' not in form  # not the pool it is in

    data = {"decision": "redirect", "redirect-target": "other_pool", "redirect-note": "Jeugd."}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Kies de expertpool waar de vraag heen gaat." in refused.content.decode()
    done = client.post(url, {**data, "redirect-pool": tri.other_pool.pk})
    assert done.status_code == 302
    question.refresh_from_db()
    assert question.redirect_pool == tri.other_pool


# --- The triage question page ------------------------------------------------------------------
def test_the_triage_question_page_shows_the_clock_and_the_history(client, tri):
    question = _assigned(tri, tri.expert, tri.second_expert)
    services.assignment_decline(expert=tri.second_expert, question=question, reason="Verlof.")
    verify_session(client, tri.worker)
    page = client.get(reverse("triage:question", args=[question.pk])).content.decode()
    assert "Eerste advies:" in page and 'class="wx-clock' in page
    history = page[page.index("<summary>Geschiedenis</summary>") :]
    assert f"afgezegd door {tri.second_expert.get_full_name()}: Verlof." in history
    assert "toegewezen" in history

    waiting = tri.ask(title="Nog in de wachtrij")
    page = client.get(reverse("triage:question", args=[waiting.pk])).content.decode()
    assert "Triage:" in page and 'class="wx-clock' in page


# --- Questions I assigned ----------------------------------------------------------------------
def test_questions_i_assigned_shows_mine_with_their_state(client, tri):
    first = _assigned(tri, tri.expert, title="Eerste toegewezen vraag")
    second = _assigned(tri, tri.second_expert, title="Tweede toegewezen vraag")
    services.assignment_accept(expert=tri.expert, question=first)
    services.assignment_decline(expert=tri.second_expert, question=second, reason="Geen tijd.")
    theirs = tri.ask(title="Vraag van een collega")
    services.triage_claim(worker=tri.second_worker, question=theirs)
    services.triage_assign(worker=tri.second_worker, question=theirs, experts=[tri.expert])

    verify_session(client, tri.worker)
    home = client.get(reverse("triage:home")).content.decode()
    assert f'href="{reverse("triage:assigned")}"' in home
    page = client.get(reverse("triage:assigned")).content.decode()
    assert "Vraag van een collega" not in page
    # The latest assignment first, each with its state and what the experts did.
    assert page.index("Tweede toegewezen vraag") < page.index("Eerste toegewezen vraag")
    rows = page.split('<tr class="utrecht-table__row">')[2:]
    assert "wx-status--in_triage" in rows[0] and "afgezegd" in rows[0]
    assert "wx-status--assigned" in rows[1] and "geaccepteerd" in rows[1]


def test_questions_i_assigned_reads_the_same_number_of_queries_for_1_and_many(client, tri):
    verify_session(client, tri.worker)
    url = reverse("triage:assigned")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _assigned(tri, tri.expert, title="Vraag 0")
    queries()  # the first request also fills the per-user caches (roles, the bell)
    one = queries()
    for n in range(1, 8):
        _assigned(tri, tri.expert, tri.second_expert, title=f"Vraag {n}")
    assert queries() == one
