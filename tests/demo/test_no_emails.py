"""Loading the demo queues no e-mail: its notifications are history, not news.

The services write an e-mail row per notification and queue a task for it on commit; the loader
marks the demo's rows as sent inside its transaction, and the outbox queues only the rows still
pending at commit. This test commits for real (a transactional test: otherwise no on-commit
callback ever runs and nothing could be queued anyway) and counts what reached this test run's
queue on the real Redis.
"""

import pytest
import redis
from django.conf import settings
from django.core.management import call_command

from consultation.models import Notification
from consultation.notifications import queue_emails
from tests.conftest import seed_reference_data


@pytest.fixture
def queue():
    """The length of this test run's Celery queue (its own name, see config.settings.test)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client, settings.CELERY_TASK_DEFAULT_QUEUE
    client.close()


@pytest.mark.django_db(transaction=True)
def test_loading_the_demo_publishes_no_celery_task(queue):
    client, name = queue
    seed_reference_data()  # a transactional test before this one flushed the migration data
    before = client.llen(name)

    call_command("load_demo")

    assert client.llen(name) == before
    emails = Notification.objects.filter(channel=Notification.Channel.EMAIL)
    assert emails.count() >= 100
    assert not emails.exclude(state=Notification.State.SENT).exists()

    # The check can fail: had the rows still been pending at commit, a task per row would be
    # in this very list. (Removed again, so no worker of this run ever sends them.)
    ids = list(emails.values_list("pk", flat=True))
    emails.update(state=Notification.State.PENDING, sent_at=None)
    try:
        queue_emails(ids)
        assert client.llen(name) == before + len(ids)
    finally:
        client.lpop(name, len(ids))
    assert client.llen(name) == before
