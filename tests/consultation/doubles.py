"""Stand-ins for the two things the outbox tests need to fail on purpose, in process: a mail
server that is down and a task whose publish fails. (tests/faults fails the real ones.)"""

from django.core.mail.backends.base import BaseEmailBackend


class BrokenMailer(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


class FakeSendTask:
    """Stands in for send_notification_email: records what would be queued."""

    def __init__(self, fail=()):
        self.attempted: list[int] = []
        self.queued: list[int] = []
        self.fail = dict(fail)

    def apply_async(self, args):
        first = args[0]  # the row's id (send_notification_email), the user's (send_digest)
        self.attempted.append(first)
        if first in self.fail:
            raise self.fail[first]
        self.queued.append(first)
