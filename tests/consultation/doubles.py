"""Stand-ins for what the outbox tests need to fail on purpose, in process: mail servers that
are down, that refuse, or that go quiet after the data; and a task whose publish fails.
(tests/faults fails the real ones.)"""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class BrokenMailer(BaseEmailBackend):
    """An SMTP server that is down: the connection is refused."""

    def open(self):
        raise ConnectionRefusedError("smtp down")

    def send_messages(self, email_messages):
        raise AssertionError("sent without an open connection")


class RefusingMailer(BaseEmailBackend):
    """An SMTP server that answers "no" to the recipient (a full mailbox, say)."""

    def send_messages(self, email_messages):
        recipients = {to: (452, b"Mailbox full") for m in email_messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class UnconfirmedMailer(BaseEmailBackend):
    """An SMTP server that takes the data and then drops the connection before "250 OK"."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FakeSendTask:
    """Stands in for send_notification_email / send_digest: records what would be queued."""

    def __init__(self, fail=()):
        self.attempted: list[int] = []
        self.queued: list[int] = []
        self.calls: list[tuple] = []  # the arguments of every publish that went through
        self.fail = dict(fail)

    def apply_async(self, args, **options):
        first = args[0]  # the row's id (send_notification_email), the user's (send_digest)
        self.attempted.append(first)
        if first in self.fail:
            raise self.fail[first]
        self.queued.append(first)
        self.calls.append(tuple(args))
