"""The hand-off protocol of consultation/delivery.py, step by step on the real database: the
advisory lock keeps a second sender off, a dead sender's row is resent once under the same
Message-ID, a refused hand-off goes back, and the sweep finds what a crash left behind.
(tests/faults kills real workers; this file shows each rule on its own.)"""

import logging
from datetime import timedelta

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from consultation import delivery, tasks
from consultation.models import Notification
from consultation.tasks import send_daily_digests, send_digest, send_notification_email
from tests.accounts.factories import UserFactory
from tests.consultation.doubles import (
    BrokenMailer,
    FakeSendTask,
    RefusingMailer,
    UnconfirmedMailer,
)
from tests.consultation.factories import NotificationFactory, QuestionFactory
from tests.wijkteam.factories import CaseFactory

State = Notification.State


@pytest.fixture
def question(org):
    return QuestionFactory(case=CaseFactory(resident__team=org["team"]), pool=org["pool"])


def header(message, name="Message-ID"):
    return message.message()[name]


def test_every_hand_off_of_a_row_carries_the_same_message_id(question, mailoutbox):
    row = NotificationFactory(question=question)
    other = NotificationFactory(question=question)
    expected = delivery.message_id("notification", row.pk)

    assert send_notification_email(row.pk) == "sent"

    assert header(mailoutbox[0]) == expected
    assert delivery.message_id("notification", row.pk) == expected  # derived, not random
    assert delivery.message_id("notification", other.pk) != expected
    assert delivery.message_id("digest", row.pk) != expected
    assert expected.endswith("@wijkexpert.nl>")  # the sender's domain (DEFAULT_FROM_EMAIL)
    assert str(row.pk) not in expected.split("@")[0].split(".")  # opaque: no countable ids


def test_a_row_another_sender_holds_is_left_alone(question, mailoutbox):
    """Another worker's database session holds the row's advisory lock: it is sending it."""
    row = NotificationFactory(question=question)
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [delivery._ROW_LOCKS + row.pk])
        assert send_notification_email(row.pk) == "busy"
        assert mailoutbox == []
        row.refresh_from_db()
        assert (row.state, row.attempts) == (State.PENDING, 0)
        # On a worker the task does not return but looks again in a few seconds.
        assert tasks.BUSY_RETRY_SECONDS * tasks.BUSY_RETRIES > 60  # the send's hard time limit
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [delivery._ROW_LOCKS + row.pk])
    finally:
        other.close()
    assert send_notification_email(row.pk) == "sent"
    assert len(mailoutbox) == 1


def test_a_row_whose_sender_died_is_resent_once_then_given_up(question, mailoutbox, caplog):
    """`sending` with the lock free: the sender died after the claim, maybe after the server took
    the message. One resend, same Message-ID; a second death marks it failed."""
    caplog.set_level(logging.INFO, logger="consultation.delivery")
    row = NotificationFactory(question=question, state=State.SENDING, attempts=1)

    assert send_notification_email(row.pk) == "sent"
    assert header(mailoutbox[0]) == delivery.message_id("notification", row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.resent_once) == (State.SENT, 2, True)
    assert f"notification {row.pk}: its last hand-off was not confirmed" in caplog.text

    Notification.objects.filter(pk=row.pk).update(state=State.SENDING)  # it died again
    assert send_notification_email(row.pk) == "skipped"
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=row.pk).state == State.FAILED
    assert f"notification {row.pk}: a second hand-off was not confirmed either" in caplog.text


def test_a_refused_hand_off_goes_back_and_a_row_refused_too_often_fails(
    question, mailoutbox, settings, caplog
):
    caplog.set_level(logging.INFO, logger="consultation")
    settings.MAILERS = {"default": {"BACKEND": f"{RefusingMailer.__module__}.RefusingMailer"}}
    row = NotificationFactory(question=question, attempts=delivery.MAX_ATTEMPTS - 1)
    assert send_notification_email(row.pk) == "refused"
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.PENDING, delivery.MAX_ATTEMPTS)
    # Only the exception's class is logged: an SMTP refusal carries the recipient's address.
    assert "SMTPRecipientsRefused" in caplog.text
    assert row.recipient.email not in caplog.text

    assert send_notification_email(row.pk) == "skipped"
    assert Notification.objects.get(pk=row.pk).state == State.FAILED
    assert f"[{row.pk}]: refused {delivery.MAX_ATTEMPTS} times" in caplog.text
    assert mailoutbox == []


def test_an_unconfirmed_hand_off_is_treated_as_a_crash(question, mailoutbox, settings):
    """The data went out, then the connection dropped (or timed out) before "250 OK": the server
    may have the message. The row stays in hand-off; one resend, then it is given up."""
    settings.MAILERS = {"default": {"BACKEND": f"{UnconfirmedMailer.__module__}.UnconfirmedMailer"}}
    row = NotificationFactory(question=question)

    assert send_notification_email(row.pk) == "unconfirmed"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.resent_once) == (State.SENDING, 1, False)
    assert send_notification_email(row.pk) == "unconfirmed"  # the one resend
    row.refresh_from_db()
    assert (row.state, row.attempts, row.resent_once) == (State.SENDING, 2, True)
    assert send_notification_email(row.pk) == "skipped"
    assert Notification.objects.get(pk=row.pk).state == State.FAILED


def test_a_deactivated_recipient_gets_no_mail(question, mailoutbox):
    row = NotificationFactory(question=question)
    row.recipient.is_active = False
    row.recipient.save()
    assert send_notification_email(row.pk) == "skipped"
    assert Notification.objects.get(pk=row.pk).state == State.FAILED
    assert mailoutbox == []


def test_a_digest_whose_sender_died_is_resent_whole_with_its_message_id(question, mailoutbox):
    reader = UserFactory(notification_email_mode=User.EmailMode.DAILY)
    cut_off = [
        NotificationFactory(question=question, recipient=reader, digest=True, state=State.SENDING)
        for _ in range(2)
    ]
    waiting = NotificationFactory(question=question, recipient=reader, state=State.IN_DIGEST)

    assert send_digest(reader.pk, include_waiting=False) == 1  # what the sweep asks
    assert header(mailoutbox[0]) == delivery.message_id("digest", cut_off[0].pk)
    assert {r.state for r in Notification.objects.filter(pk__in=[r.pk for r in cut_off])} == {
        State.SENT
    }
    assert Notification.objects.get(pk=waiting.pk).state == State.IN_DIGEST  # not due yet

    assert send_daily_digests() == 1  # the next morning: the waiting row, in a new digest
    assert header(mailoutbox[1]) == delivery.message_id("digest", waiting.pk)
    assert Notification.objects.get(pk=waiting.pk).state == State.SENT


def test_a_refused_digest_goes_back_to_the_digest(question, mailoutbox, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{BrokenMailer.__module__}.BrokenMailer"}}
    reader = UserFactory(notification_email_mode=User.EmailMode.DAILY)
    row = NotificationFactory(question=question, recipient=reader, state=State.IN_DIGEST)

    assert send_daily_digests() == 0  # logged, and the run goes on with the next reader
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.IN_DIGEST, 0)


def test_the_sweep_finds_pending_rows_and_dead_hand_offs_but_not_live_ones(question, monkeypatch):
    old = timezone.now() - tasks.SWEEP_AFTER - timedelta(seconds=5)
    pending = NotificationFactory(question=question)
    refused_just_now = NotificationFactory(question=question, handed_off_at=timezone.now())
    dead = NotificationFactory(question=question, state=State.SENDING, handed_off_at=old)
    just_started = NotificationFactory(
        question=question, state=State.SENDING, handed_off_at=timezone.now()
    )
    cut_off_reader, missed_reader = (
        UserFactory(notification_email_mode=User.EmailMode.DAILY) for _ in range(2)
    )
    NotificationFactory(
        question=question,
        recipient=cut_off_reader,
        digest=True,
        state=State.SENDING,
        handed_off_at=old,
    )
    missed = NotificationFactory(question=question, recipient=missed_reader, state=State.IN_DIGEST)
    NotificationFactory(question=question, recipient=UserFactory(), state=State.IN_DIGEST)
    NotificationFactory(question=question, state=State.FAILED)
    Notification.objects.filter(pk__in=[pending.pk, refused_just_now.pk]).update(created_at=old)
    Notification.objects.filter(pk=missed.pk).update(
        created_at=timezone.now() - delivery.DIGEST_MISSED_AFTER - timedelta(minutes=1)
    )
    sends, digests = FakeSendTask(), FakeSendTask()
    monkeypatch.setattr(tasks, "send_notification_email", sends)
    monkeypatch.setattr(tasks, "send_digest", digests)

    assert tasks.sweep_pending_notifications() == 4

    assert sends.queued == [pending.pk, dead.pk]
    assert just_started.pk not in sends.attempted  # a live hand-off
    assert refused_just_now.pk not in sends.attempted  # tried again later, not every minute
    # The cut-off digest is resent as it was; the missed one is sent with what is waiting.
    assert sorted(digests.calls) == sorted([(cut_off_reader.pk, False), (missed_reader.pk, True)])
