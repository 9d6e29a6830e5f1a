"""The outbox rows written by notify(), and the e-mails queued on commit."""

import pytest

from accounts.models import User
from accounts.roles import Role
from consultation import services
from consultation.models import Notification
from consultation.notifications import notify
from consultation.services import PrivacyCheckRequired
from tests.consultation.services.helpers import LEAKY, draft, make_expert


# --- Notifications: the outbox rows --------------------------------------------------------------
def test_notify_twice_with_the_same_event_key_writes_no_duplicates(
    open_question, make_user, django_capture_on_commit_callbacks
):
    first, second = make_user(Role.EXPERT), make_user(Role.EXPERT)
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            notify(
                kind=Notification.Kind.REPLY,
                question=open_question,
                recipients=[first, second, first],
                event_key="test:dup",
            )
    rows = Notification.objects.filter(event_key="test:dup")
    assert rows.count() == 4
    assert sorted(rows.values_list("recipient_id", "channel")) == sorted(
        (user.pk, channel) for user in (first, second) for channel in Notification.Channel.values
    )


def test_notification_states_by_channel_and_email_mode(open_question, make_user):
    immediate = make_user(Role.EXPERT)
    daily = make_user(Role.EXPERT, notification_email_mode=User.EmailMode.DAILY)
    inactive = make_user(Role.EXPERT, is_active=False)

    notify(
        kind=Notification.Kind.REPLY,
        question=open_question,
        recipients=[immediate, daily, inactive],
        event_key="test:modes",
    )

    states = dict(
        ((n.recipient_id, n.channel), n.state)
        for n in Notification.objects.filter(event_key="test:modes")
    )
    assert states == {
        (immediate.pk, "in_app"): Notification.State.SENT,
        (immediate.pk, "email"): Notification.State.PENDING,
        (daily.pk, "in_app"): Notification.State.SENT,
        (daily.pk, "email"): Notification.State.IN_DIGEST,
    }


def test_emails_are_queued_on_commit_for_pending_rows_only(
    generalist, case, pool, money, django_capture_on_commit_callbacks, monkeypatch
):
    make_expert(pool, domains=[money])
    daily = make_expert(pool, domains=[money])
    User.objects.filter(pk=daily.pk).update(notification_email_mode=User.EmailMode.DAILY)
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    queued = []
    monkeypatch.setattr("consultation.notifications.queue_emails", queued.extend)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.question_submit(actor=generalist, question=question)

    assert len(callbacks) == 2  # the e-mails are queued once; the recipients' bells forgotten
    pending = Notification.objects.get(
        question=question, channel="email", state=Notification.State.PENDING
    )
    assert queued == [pending.pk]


def test_nothing_is_queued_when_the_submit_is_refused(
    generalist, case, pool, money, django_capture_on_commit_callbacks
):
    make_expert(pool, domains=[money])
    question = draft(
        actor=generalist, case=case, pool=pool, data=LEAKY, domains=[money], confirmed=True
    )
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PrivacyCheckRequired),
    ):
        services.question_submit(actor=generalist, question=question)
    assert callbacks == []
