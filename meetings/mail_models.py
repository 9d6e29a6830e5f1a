"""The e-mails of a session (invitation, update, cancellation, reminder) and the personal
calendar feed. Imported at the end of meetings.models, so that Django registers them there.

SessionMail is an outbox like consultation's Notification, and is sent by the same protocol
(consultation/delivery.py: pending → sending → sent, a Message-ID derived from the row, resent
at most once after a crash): one row, one e-mail, per (invitation, sequence, kind)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SessionMail(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("invitation or update")
        CANCEL = "cancel", _("cancellation")
        REMINDER = "reminder", _("reminder")

    class State(models.TextChoices):
        # The first four as consultation.models.Notification.State (the shared protocol).
        PENDING = "pending", _("pending")
        SENDING = "sending", _("being handed to the mail server")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")
        # Not sent because the session changed before its turn (a newer SEQUENCE, a
        # cancellation): the newer row tells the invitee instead.
        SUPERSEDED = "superseded", _("superseded by a later change")

    invitation = models.ForeignKey(
        "meetings.Invitation",
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("invitation"),
    )
    # The session's SEQUENCE this mail carries (RFC 5545): an update has a higher one.
    sequence = models.PositiveIntegerField(_("calendar sequence"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    resent_once = models.BooleanField(_("resent once"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    handed_off_at = models.DateTimeField(_("handed off at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session e-mail")
        verbose_name_plural = _("session e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "sequence", "kind"], name="session_mail_once_per_sequence"
            )
        ]
        indexes = [
            # The sweep: rows left pending or in an unconfirmed hand-off.
            models.Index(
                fields=["created_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="session_mail_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.sequence} for invitation {self.invitation_id} ({self.state})"

    @property
    def recipient(self):
        """For the shared protocol (consultation.delivery checks the recipient is active)."""
        return self.invitation.user


class CalendarFeed(models.Model):
    """A personal calendar feed URL (/overleg/agenda/<secret>.ics): only the SHA-256 hash of
    the secret is stored (as accounts.models.ApiToken), so a copy of the database holds no
    working link. At most one active feed per person; a new one revokes the old."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
