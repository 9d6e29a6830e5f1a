"""check_clocks (Celery beat, issue 4): questions whose clock ran out are flagged to the pool's
triage workers (and the team lead when first advice is late), each notice once; a very late
question gets one more notice; idle claims return to the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultation import services as consultation
from consultation.models import Notification, Question, Status
from expertise.models import ExpertPool
from tests.expertise.factories import ExpertPoolFactory
from tests.helpers import run_on_worker
from tests.triage.factories import backdate
from triage import services
from triage.clock import clock
from triage.models import TriageClaim
from triage.tasks import check_clocks

IN_APP = Notification.Channel.IN_APP
K = Notification.Kind

# With a 3-working-day target, 10 calendar days ago is always late (at least 4 working days
# have passed, even over Christmas and New Year) and never very late (at most 8 weekdays < 9).
TARGET = 3
LATE_DAYS = 10
# 30 calendar days hold at least 16 working days: far past 3 x 3.
VERY_LATE_DAYS = 30


def notices(kind, question=None, channel=IN_APP):
    rows = Notification.objects.filter(kind=kind, channel=channel)
    if question is not None:
        rows = rows.filter(question=question)
    return sorted(rows.values_list("recipient_id", "event_key"))


def set_targets(pool, *, triage=TARGET, advice=TARGET):
    pool.triage_target_days, pool.advice_target_days = triage, advice
    pool.save(update_fields=["triage_target_days", "advice_target_days"])


def assert_state(question, pool, attribute, state):
    """Guard the set-up itself: the clock is where the test means it to be."""
    days = getattr(pool, attribute)
    assert clock(question.submitted_at, days).state == state


@pytest.mark.django_db
def test_a_question_late_for_triage_is_flagged_to_the_pools_workers_once(tri):
    set_targets(tri.pool, triage=TARGET, advice=20)
    question = backdate(tri.ask(), days=LATE_DAYS)
    on_time = tri.ask(title="Net binnen")
    assert_state(question, tri.pool, "triage_target_days", "late")
    assert_state(question, tri.pool, "advice_target_days", "on_time")

    result = check_clocks()

    assert result == {"released": 0, "flagged": 1}
    key = f"triage-late:{question.pk}"
    assert notices(K.TRIAGE_LATE) == sorted([(tri.worker.pk, key), (tri.second_worker.pk, key)])
    assert len(notices(K.TRIAGE_LATE, channel=Notification.Channel.EMAIL)) == 2
    assert notices(K.TRIAGE_LATE, on_time) == []
    assert notices(K.ADVICE_LATE) == []  # first advice still has time; no team lead involved

    before = Notification.objects.count()
    check_clocks()
    check_clocks()
    assert Notification.objects.count() == before

    # Three times the target: one more notice, and again only once.
    backdate(question, days=VERY_LATE_DAYS)
    assert_state(question, tri.pool, "triage_target_days", "very_late")
    check_clocks()
    very = f"triage-very-late:{question.pk}"
    assert notices(K.TRIAGE_LATE) == sorted(
        [
            (tri.worker.pk, key),
            (tri.second_worker.pk, key),
            (tri.worker.pk, very),
            (tri.second_worker.pk, very),
        ]
    )
    before = Notification.objects.count()
    check_clocks()
    assert Notification.objects.count() == before
    # Nobody else ever heard of it.
    recipients = set(Notification.objects.filter(kind=K.TRIAGE_LATE).values_list("recipient_id"))
    assert recipients == {(tri.worker.pk,), (tri.second_worker.pk,)}


@pytest.mark.django_db
def test_late_first_advice_is_flagged_to_the_workers_and_the_team_lead(tri):
    set_targets(tri.pool, triage=TARGET, advice=TARGET)
    question = tri.ask()
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_assign(worker=tri.worker, question=question, experts=[tri.expert])
    backdate(question, days=LATE_DAYS)
    assert_state(question, tri.pool, "advice_target_days", "late")

    result = check_clocks()

    assert result["flagged"] == 1
    key = f"advice-late:{question.pk}"
    assert notices(K.ADVICE_LATE) == sorted(
        [(tri.worker.pk, key), (tri.second_worker.pk, key), (tri.team_lead.pk, key)]
    )
    # Assigned, not waiting for triage: no triage notice. The generalist and the experts
    # are not told by this task.
    assert notices(K.TRIAGE_LATE) == []
    late_recipients = set(
        Notification.objects.filter(kind=K.ADVICE_LATE).values_list("recipient_id", flat=True)
    )
    assert tri.generalist.pk not in late_recipients
    assert tri.expert.pk not in late_recipients
    assert tri.other_worker.pk not in late_recipients

    check_clocks()
    assert len(notices(K.ADVICE_LATE)) == 3

    backdate(question, days=VERY_LATE_DAYS)
    check_clocks()
    check_clocks()
    very = f"advice-very-late:{question.pk}"
    assert notices(K.ADVICE_LATE) == sorted(
        [
            (tri.worker.pk, key),
            (tri.second_worker.pk, key),
            (tri.team_lead.pk, key),
            (tri.worker.pk, very),
            (tri.second_worker.pk, very),
            (tri.team_lead.pk, very),
        ]
    )


@pytest.mark.django_db
def test_a_question_late_on_both_clocks_gets_both_notices(tri):
    set_targets(tri.pool)
    question = backdate(tri.ask(), days=LATE_DAYS)
    assert check_clocks()["flagged"] == 2
    assert {r for r, _ in notices(K.TRIAGE_LATE, question)} == {tri.worker.pk, tri.second_worker.pk}
    assert {r for r, _ in notices(K.ADVICE_LATE, question)} == {
        tri.worker.pk,
        tri.second_worker.pk,
        tri.team_lead.pk,
    }


@pytest.mark.django_db
def test_what_is_not_flagged(tri):
    set_targets(tri.pool)
    # A draft, a withdrawn and a redirected question, however old.
    draft = tri.ask(submit=False)
    withdrawn = tri.ask()
    consultation.question_withdraw(actor=tri.generalist, question=withdrawn)
    redirected = tri.ask()
    services.triage_claim(worker=tri.worker, question=redirected)
    services.triage_redirect(
        worker=tri.worker, question=redirected, target="gp", note="Terug naar de huisarts."
    )
    # A question with advice that waits for the generalist's clarification.
    advised = tri.ask()
    services.triage_claim(worker=tri.worker, question=advised)
    services.triage_assign(
        worker=tri.worker, question=advised, experts=[tri.expert, tri.second_expert]
    )
    consultation.question_advise(actor=tri.expert, question=advised, body="Betalingsregeling.")
    consultation.question_request_clarification(
        actor=tri.second_expert, question=advised, body="Hoe oud zijn de kinderen?"
    )
    advised.refresh_from_db()
    assert advised.status == Status.NEEDS_CLARIFICATION
    # A network pool's open question.
    network = ExpertPoolFactory(
        region=tri.org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    network.teams.add(tri.org["team"])
    network.triage_workers.add(tri.worker)  # even if someone is listed there
    open_question = tri.ask(pool=network)
    # A triage pool that was switched off after the question was asked.
    inactive = tri.ask(pool=tri.other_pool)
    tri.other_pool.is_active = False
    tri.other_pool.save()
    for question in (draft, withdrawn, redirected, advised, open_question, inactive):
        backdate(question, days=VERY_LATE_DAYS)
    Question.objects.filter(pk=draft.pk).update(
        created_at=timezone.now() - timedelta(days=VERY_LATE_DAYS)
    )

    assert check_clocks() == {"released": 0, "flagged": 0}
    assert not Notification.objects.filter(kind__in=[K.TRIAGE_LATE, K.ADVICE_LATE]).exists()


@pytest.mark.django_db
def test_idle_claims_return_to_the_queue(tri):
    idle_question, live_question = tri.ask(), tri.ask()
    services.triage_claim(worker=tri.worker, question=idle_question)
    services.triage_claim(worker=tri.second_worker, question=live_question)
    minutes = tri.pool.claim_idle_minutes
    TriageClaim.objects.filter(question=idle_question).update(
        touched_at=timezone.now() - timedelta(minutes=minutes + 1)
    )
    TriageClaim.objects.filter(question=live_question).update(
        touched_at=timezone.now() - timedelta(minutes=minutes - 1)
    )

    assert check_clocks()["released"] == 1

    assert list(TriageClaim.objects.values_list("question_id", "worker_id")) == [
        (live_question.pk, tri.second_worker.pk)
    ]
    assert services.triage_claim_next(worker=tri.second_worker) == idle_question
    assert check_clocks()["released"] == 0


@pytest.mark.django_db(transaction=True)
def test_check_clocks_through_the_real_worker(celery_worker, tri):
    set_targets(tri.pool, triage=TARGET, advice=20)
    question = backdate(tri.ask(), days=LATE_DAYS)
    claimed = tri.ask(title="Vastgehouden")
    services.triage_claim(worker=tri.second_worker, question=claimed)
    TriageClaim.objects.filter(question=claimed).update(
        touched_at=timezone.now() - timedelta(minutes=tri.pool.claim_idle_minutes + 5)
    )

    result = run_on_worker(check_clocks)

    assert result == {"released": 1, "flagged": 1}
    assert not TriageClaim.objects.exists()
    key = f"triage-late:{question.pk}"
    assert notices(K.TRIAGE_LATE) == sorted([(tri.worker.pk, key), (tri.second_worker.pk, key)])

    # Twice through the worker: still one notice each.
    assert run_on_worker(check_clocks) == {"released": 0, "flagged": 1}
    assert len(notices(K.TRIAGE_LATE)) == 2
