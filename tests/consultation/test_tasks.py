"""The outbox tasks, through a real Celery worker on the real Redis where it matters: nothing is
lost, nothing is sent twice, and no e-mail carries case content (DESIGN §4.5)."""

import ast
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from accounts.roles import Role
from consultation import delivery, services, tasks
from consultation.models import Notification
from consultation.notifications import notify
from consultation.tasks import (
    SWEEP_AFTER,
    queue_emails,
    send_daily_digests,
    send_notification_email,
    sweep_pending_notifications,
)
from expertise.models import ExpertPool
from tests.accounts.factories import UserFactory
from tests.consultation.doubles import BrokenMailer, FakeSendTask
from tests.consultation.factories import NotificationFactory, QuestionFactory, life_domain
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.helpers import run_on_worker, worker_caught_up
from tests.wijkteam.factories import CaseFactory
from wijkteam.services import case_open, resident_register

EMAIL = Notification.Channel.EMAIL
PENDING, SENT, IN_DIGEST = (
    Notification.State.PENDING,
    Notification.State.SENT,
    Notification.State.IN_DIGEST,
)
# What must never be in an e-mail: the question's text and the resident's identity.
TITLE = "Huurachterstand bij gezin met jonge kinderen"
SITUATION = "Moeder slaapt slecht sinds de scheiding; ontruiming dreigt."
TRIED = "Budgetcoaching geprobeerd zonder resultaat."
QUESTION = "Welke schuldhulproute is hier het snelst?"
FORBIDDEN = [
    TITLE,
    "Huurachterstand",
    SITUATION,
    "ontruiming",
    TRIED,
    "Budgetcoaching",
    QUESTION,
    "schuldhulproute",
    "Zoë",
    "Zoe",
    "Berg",
    "3811 AB",
    "3811AB",
    "07-03-2010",
    "7-3-2010",
    "2010-03-07",
    "maart 2010",
    "alleenstaande",
]


def wait_for(condition, timeout: float = 20.0, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def question_url(question) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("consultation:question", args=[question.pk])


def assert_no_case_content(message):
    text = f"{message.subject}\n{message.body}"
    for alternative, _mimetype in getattr(message, "alternatives", []):
        text += f"\n{alternative}"
    for forbidden in FORBIDDEN:
        assert forbidden.casefold() not in text.casefold(), f"{forbidden!r} in the e-mail"


# --- Through the real worker ---------------------------------------------------------------------
@pytest.fixture
def network_question(org, make_user):
    """A network question ready to submit, with experts who match and one who does not."""
    generalist = make_user(Role.GENERALIST)
    pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    pool.teams.add(org["team"])
    money = life_domain("financien", "Financiën")
    housing = life_domain("wonen-en-leefbaarheid", "Wonen en leefbaarheid")

    def expert(domain, **user_fields):
        user = UserFactory(**user_fields)
        ExpertProfileFactory(user=user, pools=[pool]).life_domains.set([domain])
        return user

    experts = [expert(money), expert(money)]
    digest_expert = expert(money, notification_email_mode=User.EmailMode.DAILY)
    not_matching = expert(housing)
    resident = resident_register(
        actor=generalist,
        team=org["team"],
        first_name="Zoë",
        last_name="van der Berg",
        date_of_birth=date(2010, 3, 7),
        postcode="3811 AB",
        household="single_parent",
    )
    case = case_open(actor=generalist, resident=resident)
    question = services.question_create(
        actor=generalist,
        case=case,
        pool=pool,
        data=services.QuestionInput(
            title=TITLE, situation=SITUATION, tried=TRIED, question=QUESTION
        ),
        life_domains=[money],
    )
    return {
        "question": question,
        "generalist": generalist,
        "experts": experts,
        "digest_expert": digest_expert,
        "not_matching": not_matching,
        "case": case,
    }


def test_a_submitted_network_question_mails_each_matching_expert_once(
    celery_worker, network_question
):
    question, experts = network_question["question"], network_question["experts"]

    services.question_submit(actor=network_question["generalist"], question=question)

    rows = Notification.objects.filter(question=question, channel=EMAIL)
    wait_for(lambda: not rows.filter(state=PENDING).exists(), message="the e-mails to be sent")
    worker_caught_up()  # a duplicate delivery would have landed by now
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in experts)
    assert set(rows.filter(state=SENT).values_list("recipient__email", flat=True)) == {
        u.email for u in experts
    }
    assert all(row.sent_at and row.attempts == 1 for row in rows.filter(state=SENT))
    # The digest reader waits for the digest; the expert who does not match hears nothing.
    assert rows.get(recipient=network_question["digest_expert"]).state == IN_DIGEST
    assert not Notification.objects.filter(recipient=network_question["not_matching"]).exists()

    pseudonym, url = network_question["case"].pseudonym, question_url(question)
    for message in mail.outbox:
        assert pseudonym in message.subject
        assert pseudonym in message.body
        assert url in message.body
        assert_no_case_content(message)

    # Running the task again for a sent row sends nothing.
    sent_row = rows.filter(state=SENT).first()
    result = run_on_worker(send_notification_email, sent_row.pk)
    assert result == "skipped"
    assert len(mail.outbox) == 2


def test_the_sweep_requeues_only_old_pending_rows_and_they_are_sent_once(celery_worker, org):
    question = QuestionFactory(case=CaseFactory(resident__team=org["team"]), pool=org["pool"])
    long_ago = timezone.now() - SWEEP_AFTER - timedelta(seconds=30)
    old = NotificationFactory(question=question, recipient=UserFactory(email="old@wijkexpert.test"))
    fresh = NotificationFactory(question=question, recipient=UserFactory())
    old_digest = NotificationFactory(question=question, state=IN_DIGEST)
    old_sent = NotificationFactory(question=question, state=SENT)
    old_in_app = NotificationFactory(question=question, channel=Notification.Channel.IN_APP)
    Notification.objects.filter(pk__in=[old.pk, old_digest.pk, old_sent.pk, old_in_app.pk]).update(
        created_at=long_ago
    )
    Notification.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - SWEEP_AFTER / 2)

    assert sweep_pending_notifications() == 1
    sweep_pending_notifications()  # a second sweep before the worker got to it: still one e-mail

    wait_for(lambda: Notification.objects.get(pk=old.pk).state == SENT, message="the swept e-mail")
    worker_caught_up()  # the second sweep's e-mail, had it queued one, is sent by now
    assert [m.to for m in mail.outbox] == [["old@wijkexpert.test"]]
    assert_no_case_content(mail.outbox[0])
    assert question.case.pseudonym in mail.outbox[0].body
    states = dict(Notification.objects.values_list("pk", "state"))
    assert states[fresh.pk] == PENDING
    assert states[old_digest.pk] == IN_DIGEST
    assert states[old_in_app.pk] == PENDING  # in-app rows are never mailed
    assert sweep_pending_notifications() == 0
    worker_caught_up()
    assert len(mail.outbox) == 1


# --- The task functions themselves ---------------------------------------------------------------
@pytest.fixture
def question(org):
    return QuestionFactory(
        case=CaseFactory(resident__team=org["team"]),
        pool=org["pool"],
        title=TITLE,
        situation=SITUATION,
        tried=TRIED,
        question=QUESTION,
    )


def test_send_notification_email_is_safe_to_run_twice(question, mailoutbox):
    row = NotificationFactory(question=question, kind=Notification.Kind.NEW_ADVICE)

    assert send_notification_email(row.pk) == "sent"
    assert send_notification_email(row.pk) == "skipped"

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [row.recipient.email]
    assert question.case.pseudonym in mailoutbox[0].body
    assert question_url(question) in mailoutbox[0].body
    assert_no_case_content(mailoutbox[0])
    row.refresh_from_db()
    assert (row.state, row.attempts) == (SENT, 1)
    assert row.sent_at is not None


@pytest.mark.parametrize(
    "state_or_channel", [{"state": IN_DIGEST}, {"channel": Notification.Channel.IN_APP}]
)
def test_send_notification_email_skips_digest_and_in_app_rows(
    question, mailoutbox, state_or_channel
):
    row = NotificationFactory(question=question, **state_or_channel)
    assert send_notification_email(row.pk) == "skipped"
    assert send_notification_email(row.pk + 10_000) == "skipped"  # gone
    assert mailoutbox == []


def test_a_failed_send_keeps_the_row_pending(question, mailoutbox, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{BrokenMailer.__module__}.BrokenMailer"}}
    row = NotificationFactory(question=question)

    for _ in range(delivery.MAX_ATTEMPTS + 2):  # a long mail outage fails no e-mail
        assert send_notification_email(row.pk) == "unreachable"

    row.refresh_from_db()
    # Nothing was handed over, and an unreachable server is not counted: pending, for the sweep.
    assert (row.state, row.sent_at, row.attempts) == (PENDING, None, 0)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_notification_email(row.pk) == "sent"
    assert len(mailoutbox) == 1


def test_queue_emails_queues_only_rows_still_pending(question, monkeypatch):
    pending = NotificationFactory(question=question)
    sent = NotificationFactory(question=question, state=SENT)
    digest = NotificationFactory(question=question, state=IN_DIGEST)
    fake = FakeSendTask()
    monkeypatch.setattr(tasks, "send_notification_email", fake)

    queue_emails([pending.pk, sent.pk, digest.pk, pending.pk + 10_000])

    assert fake.queued == [pending.pk]


def test_queue_emails_stops_at_the_first_broker_failure(question, monkeypatch, caplog):
    """A request waits for one bounded publish failure, not one per e-mail: the broker is down,
    so the rest stays pending for the sweep as well."""
    up, down, after = (NotificationFactory(question=question) for _ in range(3))
    fake = FakeSendTask(fail={down.pk: OperationalError("broker down")})
    monkeypatch.setattr(tasks, "send_notification_email", fake)

    queue_emails([up.pk, down.pk, after.pk])

    assert fake.attempted == [up.pk, down.pk]
    assert fake.queued == [up.pk]
    assert (
        f"could not queue notification {down.pk} (OperationalError: broker down); "
        "it and 1 more stay pending" in caplog.text
    )
    states = dict(Notification.objects.values_list("pk", "state"))
    assert states[down.pk] == states[after.pk] == PENDING  # for the sweep


def test_queue_emails_stops_at_the_soft_time_limit(question, monkeypatch):
    rows = [NotificationFactory(question=question) for _ in range(2)]
    fake = FakeSendTask(fail={row.pk: SoftTimeLimitExceeded() for row in rows})
    monkeypatch.setattr(tasks, "send_notification_email", fake)

    with pytest.raises(SoftTimeLimitExceeded):
        queue_emails([row.pk for row in rows])
    # Not swallowed like a broker error: the sweep stops, the rest waits for the next sweep.
    assert len(fake.attempted) == 1


def test_the_tasks_never_import_the_notifications_module():
    """consultation.notifications imports queue_emails from here; an import back (even a lazy one
    inside a task) would make the two modules a circle again."""
    tree = ast.parse(Path(tasks.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    assert "consultation.notifications" not in imported


def test_daily_digest_one_mail_per_user_listing_pseudonyms(org, mailoutbox):
    daily = UserFactory(notification_email_mode=User.EmailMode.DAILY)
    other_daily = UserFactory(notification_email_mode=User.EmailMode.DAILY)
    immediate = UserFactory()
    questions = [
        QuestionFactory(
            case=CaseFactory(resident__team=org["team"]),
            pool=org["pool"],
            title=TITLE,
            situation=SITUATION,
            question=QUESTION,
        )
        for _ in range(3)
    ]
    first, second, third = questions
    notify(
        kind=Notification.Kind.NEW_QUESTION,
        question=first,
        recipients=[daily, immediate],
        event_key="e1",
    )
    notify(kind=Notification.Kind.NEW_ADVICE, question=first, recipients=[daily], event_key="e2")
    notify(
        kind=Notification.Kind.NEW_ADVICE,
        question=second,
        recipients=[daily, other_daily],
        event_key="e3",
    )

    assert send_daily_digests() == 2

    assert sorted(m.to[0] for m in mailoutbox) == sorted([daily.email, other_daily.email])
    mine = next(m for m in mailoutbox if m.to == [daily.email])
    assert first.case.pseudonym in mine.body and second.case.pseudonym in mine.body
    assert third.case.pseudonym not in mine.body
    assert mine.body.count(first.case.pseudonym) == 1  # one line per case, kinds joined
    assert question_url(first) in mine.body and question_url(second) in mine.body
    theirs = next(m for m in mailoutbox if m.to == [other_daily.email])
    assert second.case.pseudonym in theirs.body and first.case.pseudonym not in theirs.body
    for message in mailoutbox:
        assert_no_case_content(message)

    digest_rows = Notification.objects.filter(channel=EMAIL, recipient__in=[daily, other_daily])
    assert set(digest_rows.values_list("state", flat=True)) == {SENT}
    assert all(row.sent_at for row in digest_rows)
    assert Notification.objects.get(channel=EMAIL, recipient=immediate).state == PENDING

    assert send_daily_digests() == 0
    assert len(mailoutbox) == 2
