"""A worker really killed (SIGKILL) while it hands e-mails to the mail server: no outbox row is
lost, none produces two e-mails with different Message-IDs, a row is resent at most once; two
workers at once send nothing twice (consultation/delivery.py).

The mail server (smtp.py) kills the worker at the worst moment: the message has arrived, the
worker has not yet heard "250 OK", so it has not marked the row sent.
"""

import os
import random
import signal
import threading

import pytest
from celery import Celery

from consultation.delivery import message_id
from consultation.models import Notification
from tests.accounts.factories import UserFactory
from tests.consultation.factories import NotificationFactory, QuestionFactory
from tests.faults.stack import wait_until
from tests.wijkteam.factories import CaseFactory

SENT = Notification.State.SENT


@pytest.fixture
def rows(org):
    """make(n) -> n pending e-mail rows for n people, as a question's event writes them."""

    def make(count: int) -> list:
        question = QuestionFactory(case=CaseFactory(resident__team=org["team"]), pool=org["pool"])
        return [
            NotificationFactory(question=question, recipient=UserFactory()) for _ in range(count)
        ]

    return make


def publish(stack, *notification_ids: int) -> None:
    """Queue send tasks on the stack's Redis, as the on-commit hook of an event does."""
    # Not the current app: a Celery() made current stays current after close(), and the next
    # test in this process would publish to this stack's Redis, stopped by then.
    app = Celery(broker=stack.redis.url, set_as_current=False)
    try:
        for notification_id in notification_ids:
            app.send_task(
                "consultation.tasks.send_notification_email",
                args=[notification_id],
                queue=stack.env["CELERY_QUEUE"],
                ignore_result=True,
            )
    finally:
        app.close()


def ids_of(rows) -> dict[str, int]:
    return {message_id("notification", row.pk): row.pk for row in rows}


def all_sent(rows) -> bool:
    return not Notification.objects.filter(pk__in=[r.pk for r in rows]).exclude(state=SENT).exists()


def assert_at_most_once(mail_server, rows, seed=None) -> None:
    """Every row arrived (none lost), only with its own Message-ID, at most twice."""
    expected = ids_of(rows)
    copies = mail_server.copies()
    assert set(copies) == set(expected), f"a row lost, or a stray Message-ID (seed {seed})"
    assert max(copies.values()) <= 2, f"{copies} (seed {seed})"
    resent = Notification.objects.filter(pk__in=expected.values(), resent_once=True)
    assert {expected[mid] for mid, n in copies.items() if n == 2} <= set(
        resent.values_list("pk", flat=True)
    )


def test_a_worker_killed_between_hand_off_and_commit_resends_once_with_the_same_id(
    stack, mail_server, rows
):
    """The pool process dies mid hand-off; its worker hands the task back (acks_late,
    reject_on_worker_lost), and the row is resent at once — one more copy, same Message-ID."""
    stack.start_worker()
    first, second, third = rows(3)
    victim = message_id("notification", second.pk)
    killed = threading.Event()

    def kill_on_data(received):
        if received.message_id == victim and not killed.is_set():
            killed.set()
            for pid in stack.pool_children("worker"):
                os.kill(pid, signal.SIGKILL)

    mail_server.on_data = kill_on_data
    publish(stack, first.pk, second.pk, third.pk)

    wait_until(lambda: all_sent([first, second, third]), timeout=60, what="every row sent")
    assert killed.is_set()
    copies = mail_server.copies()
    assert copies[victim] == 2  # the one resend, under the same Message-ID
    assert copies[message_id("notification", first.pk)] == 1
    assert copies[message_id("notification", third.pk)] == 1
    second.refresh_from_db()
    assert (second.attempts, second.resent_once) == (2, True)
    assert f"notification {second.pk}: its last hand-off was not confirmed" in stack.log("worker")


def test_a_whole_worker_killed_mid_hand_off_is_recovered_by_the_sweep(stack, mail_server, rows):
    """The whole worker dies (its message stays unacknowledged in Redis until the visibility
    timeout); a new worker and the sweep resend the row once, same Message-ID, within seconds."""
    stack.start_worker()
    (row,) = rows(1)
    mail_server.on_data = lambda received: stack.kill("worker")
    publish(stack, row.pk)
    wait_until(lambda: len(mail_server.received) == 1, timeout=30, what="the first hand-off")
    mail_server.on_data = None
    row.refresh_from_db()
    assert row.state == Notification.State.SENDING  # the server has it; the worker never heard

    stack.start_worker("worker-2")
    stack.start_beat()  # the sweep: rows in hand-off whose sender died
    wait_until(lambda: all_sent([row]), timeout=60, what="the resend")
    assert mail_server.copies() == {message_id("notification", row.pk): 2}


def test_workers_killed_at_random_points_lose_nothing_and_never_change_a_message_id(
    stack, mail_server, rows
):
    """Three rounds: a worker hands over a random number of e-mails and is killed, whole, in the
    middle of the next one (the server has the data, the worker not yet its "250 OK")."""
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    batch = rows(24)
    publish(stack, *(row.pk for row in batch))
    for round_number in range(3):
        name = f"worker-{round_number}"
        kill_at = len(mail_server.received) + chance.randint(1, 4)
        killed = threading.Event()

        def kill_on_data(received, name=name, kill_at=kill_at, killed=killed):
            if len(mail_server.received) == kill_at and not killed.is_set():
                killed.set()
                stack.kill(name)

        mail_server.on_data = kill_on_data
        stack.start_worker(name)
        wait_until(killed.is_set, timeout=30, what=f"round {round_number}'s kill (seed {seed})")
    mail_server.on_data = None
    # The crashes are over: a worker and the sweep deliver the rest, and resend what was cut off.
    stack.start_worker("worker-last")
    stack.start_beat()
    wait_until(lambda: all_sent(batch), timeout=90, what=f"every row sent (seed {seed})")
    assert_at_most_once(mail_server, batch, seed)
    assert sum(n == 2 for n in mail_server.copies().values()) == 3, f"seed {seed}"


def test_a_mail_server_that_confirms_too_late_gets_one_resend(stack, mail_server, rows):
    """The server takes the data but says "250 OK" after the sender's timeout: the sender cannot
    know whether it arrived. Treated as a crash: one resend, same Message-ID, never a third."""
    stack.env["EMAIL_TIMEOUT"] = "1"
    (row,) = rows(1)
    mail_server.slow_reply = lambda received: True  # every copy: the resend times out too
    mail_server.slow_reply_seconds = 2.5
    stack.start_worker()
    stack.start_beat()
    publish(stack, row.pk)
    wait_until(
        lambda: Notification.objects.get(pk=row.pk).state == Notification.State.FAILED,
        timeout=60,
        what="the row given up after its one resend",
    )
    assert mail_server.copies() == {message_id("notification", row.pk): 2}
    assert "a second hand-off was not confirmed either" in stack.log("worker")

    # A server that answers in time after the first slow reply: delivered, one resend.
    (second,) = rows(1)
    second_id = message_id("notification", second.pk)
    mail_server.slow_reply = lambda received: (
        received.message_id == second_id and mail_server.copies()[second_id] == 1
    )
    publish(stack, second.pk)
    wait_until(lambda: all_sent([second]), timeout=60, what="the second row sent")
    assert mail_server.copies()[message_id("notification", second.pk)] == 2


def test_two_workers_at_once_send_nothing_twice(stack, mail_server, rows):
    batch = rows(30)
    stack.start_worker("worker-a")
    stack.start_worker("worker-b")
    # Every task delivered twice, as when the sweep and the on-commit hook both queue a row.
    publish(stack, *(row.pk for row in batch for _ in range(2)))
    wait_until(lambda: all_sent(batch), timeout=60, what="every row sent")
    # Once every row is sent no hand-off can start any more (only pending or dead hand-offs are
    # claimed), so these counts are final.
    copies = mail_server.copies()
    assert set(copies) == set(ids_of(batch))
    assert set(copies.values()) == {1}, copies
    # Both workers handed mail over (the duplicates met a busy or a sent row).
    assert "'sent'" in stack.log("worker-a") and "'sent'" in stack.log("worker-b")
