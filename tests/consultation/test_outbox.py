"""Nothing lost, nothing twice: a notification written while the broker is down is e-mailed
once the broker is back, exactly once, through the real worker."""

import time
from contextlib import contextmanager

from django.core import mail
from django.utils import timezone

from config.celery import app
from consultation.models import Notification
from consultation.tasks import send_notification_email, sweep_pending_notifications
from tests.helpers import run_on_worker, worker_caught_up

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def dead_broker():
    """Point the app's producers at a broker that is down, as when Redis stops."""
    alive = app.conf.broker_url

    def _switch(url):
        app.conf.broker_url = url
        # Drop pooled connections so the next publish connects to `url`.
        app._pool = None
        app.amqp._producer_pool = None

    _switch(DEAD_BROKER)
    try:
        yield
    finally:
        _switch(alive)


def _wait_for_mails(count, timeout=15.0):
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def test_email_sent_exactly_once_after_the_broker_was_down(cast, celery_worker):
    with dead_broker():
        # The generalist's submit succeeds although queueing the e-mails fails.
        question = cast.ask()
    pending = Notification.objects.filter(question=question, channel="email")
    assert {n.recipient_id for n in pending} == {cast.expert.pk, cast.second_expert.pk}
    assert all(n.state == Notification.State.PENDING for n in pending)
    worker_caught_up()  # had anything been queued, it would have been sent by now
    assert mail.outbox == []

    # The broker is back. A few minutes later the periodic sweep (here: run by the worker)
    # finds the rows still pending and queues them.
    pending.update(created_at=timezone.now() - timezone.timedelta(minutes=3))
    assert run_on_worker(sweep_pending_notifications) == 2
    _wait_for_mails(2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.expert.email, cast.second_expert.email]
    )

    # A second sweep and a duplicate delivery of a send task send nothing more.
    assert run_on_worker(sweep_pending_notifications) == 0
    assert run_on_worker(send_notification_email, pending.first().pk) == "skipped"
    worker_caught_up()  # anything the second sweep queued has run by now
    assert len(mail.outbox) == 2
    assert all(n.state == Notification.State.SENT for n in pending)
