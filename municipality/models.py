"""An invitation to a district team, sent by the municipality admin (issue 12).

TeamInvitation is also an outbox row, sent by consultation's hand-off protocol
(consultation/delivery.py: pending → sending → sent, a Message-ID derived from the row, resent
at most once after a crash): one row, one e-mail. The link in it is not stored: it is derived
from the row (municipality.links), so the sending task can write it again and a copy of the
database holds no working link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TeamInvitation(models.Model):
    class State(models.TextChoices):
        # As consultation.models.Notification.State (the shared protocol).
        PENDING = "pending", _("pending")
        SENDING = "sending", _("being handed to the mail server")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")
        # Withdrawn before its turn: a newer invitation, or the membership ended.
        SUPERSEDED = "superseded", _("superseded by a later change")

    team = models.ForeignKey(
        "wijkteam.DistrictTeam",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("team"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_invitations",
        verbose_name=_("invitee"),
    )
    role = models.CharField(_("role"), max_length=20)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # A new person (or one whose account was ended) sets a password and a second factor through
    # the link; someone already working in Wijkexpert is only told, and signs in as always.
    needs_setup = models.BooleanField(_("sets up the account"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    resent_once = models.BooleanField(_("resent once"), default=False)
    handed_off_at = models.DateTimeField(_("handed off at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per person and team: inviting again withdraws the old one
            # first (in the same transaction), so a second click never leaves two links alive.
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="team_invitation_one_open",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="team_invitation_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} to team {self.team_id} ({self.state})"

    @property
    def recipient(self):
        """For the shared protocol (consultation.delivery)."""
        return self.user

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def has_expired(self) -> bool:
        return timezone.now() >= self.expires_at
