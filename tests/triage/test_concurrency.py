"""Issue 4, "Done when": at least 20 parallel database connections claiming "next question" at
once from a queue of 10 — each question is claimed exactly once and nobody gets an error.

Each thread has its own PostgreSQL connection (Django gives every thread its own; the test is
transactional so they all see the committed set-up) and all are released together by a barrier.
"""

import threading
import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from consultation.models import Status
from expertise.models import ExpertPool
from tests.consultation.factories import QuestionFactory
from tests.expertise.factories import ExpertPoolFactory
from tests.triage.factories import in_triage_question, triage_worker
from tests.wijkteam.factories import CaseFactory, ResidentFactory
from triage import services
from triage.models import TriageClaim

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24
QUESTIONS = 10


def run_together(count: int, work):
    """Run work(i) in `count` threads, each on its own connection, released by one barrier.
    Returns the barrier and one record per thread (pid, barrier slot, timing, value / error)."""
    barrier = threading.Barrier(count)
    records: list[dict | None] = [None] * count

    def body(i: int) -> None:
        record: dict = {"ran": False}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                record["pid"] = cursor.fetchone()[0]
            record["slot"] = barrier.wait(timeout=60)
            record["start"] = time.monotonic()
            try:
                record["value"] = work(i)
            except Exception as exc:  # noqa: BLE001 - every error is recorded and asserted on
                record["error"] = exc
            record["end"] = time.monotonic()
            record["ran"] = True
        except Exception as exc:  # noqa: BLE001 - e.g. a broken barrier
            record["setup_error"] = exc
        finally:
            connection.close()
            records[i] = record

    threads = [threading.Thread(target=body, args=(i,), name=f"claimer-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return barrier, records


def assert_really_parallel(barrier, records, count):
    """Guard against a vacuous pass: every thread ran, each on its own database connection,
    all of them met at the barrier, and their work overlapped in time."""
    assert all(r is not None for r in records)
    assert [r.get("setup_error") for r in records] == [None] * count
    assert all(r["ran"] for r in records)
    assert not barrier.broken
    assert sorted(r["slot"] for r in records) == list(range(count))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        main_pid = cursor.fetchone()[0]
    pids = {r["pid"] for r in records}
    assert len(pids) == count, "threads shared a database connection"
    assert main_pid not in pids
    spans = sorted((r["start"], r["end"]) for r in records)
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)), (
        "no two claims overlapped in time"
    )


@pytest.fixture
def queue(org):
    """A triage pool with 10 questions waiting, 24 triage workers, and decoys nobody may get."""
    pool, team = org["pool"], org["team"]
    questions = [
        in_triage_question(
            pool=pool,
            team=team,
            urgency="urgent" if i % 3 == 0 else "normal",
        )
        for i in range(QUESTIONS)
    ]
    workers = [triage_worker(pool) for _ in range(THREADS)]
    # Decoys: another pool's queue, and questions of this pool that are not waiting for triage.
    other_pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.TRIAGE
    )
    other_pool.teams.add(team)
    decoys = [in_triage_question(pool=other_pool, team=team) for _ in range(2)]
    for status in (Status.DRAFT, Status.ASSIGNED, Status.NEEDS_CLARIFICATION):
        decoys.append(
            QuestionFactory(
                case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=status
            )
        )
    return {"pool": pool, "questions": questions, "workers": workers, "decoys": decoys}


@pytest.mark.parametrize("round_", range(3))
def test_twenty_four_workers_claim_next_from_a_queue_of_ten_at_once(queue, round_):
    workers, questions = queue["workers"], queue["questions"]

    barrier, records = run_together(
        THREADS, lambda i: services.triage_claim_next(worker=workers[i])
    )

    assert_really_parallel(barrier, records, THREADS)
    errors = [(i, r["error"]) for i, r in enumerate(records) if "error" in r]
    assert errors == []
    got = {i: r["value"] for i, r in enumerate(records) if r["value"] is not None}
    claimed_pks = [q.pk for q in got.values()]
    # Every question exactly once; nobody got a question twice or a decoy.
    assert len(claimed_pks) == QUESTIONS
    assert set(claimed_pks) == {q.pk for q in questions}
    assert Counter(claimed_pks).most_common(1)[0][1] == 1
    # The others were told there is nothing left.
    assert sum(1 for r in records if r["value"] is None) == THREADS - QUESTIONS
    # What each thread was told is what the database holds.
    assert TriageClaim.objects.count() == QUESTIONS
    holders = dict(TriageClaim.objects.values_list("question_id", "worker_id"))
    assert holders == {q.pk: workers[i].pk for i, q in got.items()}
    assert not TriageClaim.objects.filter(question__in=queue["decoys"]).exists()
    # The queue is now empty for everybody.
    assert services.triage_claim_next(worker=workers[0]) is None


def test_twenty_workers_claiming_the_same_question_one_wins_the_others_see_who(queue):
    workers, question = queue["workers"][:20], queue["questions"][0]

    barrier, records = run_together(
        20, lambda i: services.triage_claim(worker=workers[i], question=question)
    )

    assert_really_parallel(barrier, records, 20)
    winners = [i for i, r in enumerate(records) if "error" not in r]
    assert len(winners) == 1
    winner = workers[winners[0]]
    losers = [r["error"] for r in records if "error" in r]
    assert len(losers) == 19
    # A polite refusal naming the holder, never a database error.
    assert all(type(e) is ValidationError for e in losers), {type(e) for e in losers}
    assert all(winner.get_full_name() in " ".join(e.messages) for e in losers)
    assert TriageClaim.objects.get().worker == winner


def test_claim_next_and_direct_claims_racing_never_share_a_question(queue):
    """Half of the workers ask for "the next one", the other half claim a question straight
    from the queue page (two per question): each question ends up with one holder, and what
    everyone was told agrees with the database."""
    workers, questions = queue["workers"], queue["questions"]
    direct = {i: questions[i % QUESTIONS] for i in range(0, THREADS, 2)}

    def work(i):
        if i in direct:
            return services.triage_claim(worker=workers[i], question=direct[i]).question
        return services.triage_claim_next(worker=workers[i])

    barrier, records = run_together(THREADS, work)

    assert_really_parallel(barrier, records, THREADS)
    errors = [r["error"] for r in records if "error" in r]
    # Only a direct claim may be refused, and only politely.
    assert all(type(e) is ValidationError for e in errors), errors
    assert all(i in direct for i, r in enumerate(records) if "error" in r)
    told = {i: r["value"].pk for i, r in enumerate(records) if r.get("value") is not None}
    assert Counter(told.values()).most_common(1)[0][1] == 1, "two workers hold one question"
    holders = dict(TriageClaim.objects.values_list("question_id", "worker_id"))
    assert holders == {pk: workers[i].pk for i, pk in told.items()}
    # Every question was asked for directly, so every one is now held.
    assert set(holders) == {q.pk for q in questions}


def test_claim_next_looks_past_the_first_few_when_others_hold_them(org):
    """Claim next reads the first NEXT_CANDIDATES of the queue from the index, then locks the
    first free one of those; when another worker holds all of them right now, it still finds
    the next free question in the queue (and not "the queue is empty")."""
    from django.db import transaction

    from consultation.models import Question

    pool, team = org["pool"], org["team"]
    questions = [
        in_triage_question(pool=pool, team=team) for _ in range(services.NEXT_CANDIDATES + 2)
    ]
    order = list(
        Question.objects.filter(pk__in=[q.pk for q in questions])
        .order_by(*services.NEXT_ORDER)
        .values_list("pk", flat=True)
    )
    held, release = threading.Event(), threading.Event()

    def hold_the_first_few():
        try:
            with transaction.atomic():
                list(
                    Question.objects.filter(pk__in=order[: services.NEXT_CANDIDATES])
                    .select_for_update()
                    .values_list("pk", flat=True)
                )
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_first_few)
    holder.start()
    try:
        assert held.wait(timeout=30)
        claimed = services.triage_claim_next(worker=triage_worker(pool))
    finally:
        release.set()
        holder.join(timeout=30)
    assert claimed is not None and claimed.pk == order[services.NEXT_CANDIDATES]
