"""The e-mail of one TeamInvitation row. No case content, and nothing about any resident: the
team, the role, who invited, and the link (or, for someone who already works in Wijkexpert,
the sign-in page)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from consultation import delivery
from municipality.links import invitation_url
from municipality.models import TeamInvitation
from wijkteam.models import TeamMembership


def message(row: TeamInvitation) -> EmailMessage:
    """The message of a claimed row (its user, team and inviter loaded)."""
    # The project keeps no language per person: the interface's own (Dutch).
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "recipient": row.user,
            "team": row.team.name,
            "municipality": row.team.municipality.name,
            "role": TeamMembership.Role(row.role).label,
            "invited_by": row.invited_by.get_full_name() or row.invited_by.email,
            "needs_setup": row.needs_setup,
            "url": (
                invitation_url(row)
                if row.needs_setup
                else settings.SITE_URL.rstrip("/") + reverse("accounts:login")
            ),
            "valid_until": dateformat.format(timezone.localtime(row.expires_at), "j F Y H:i"),
        }
        subject = render_to_string("municipality/email/invitation_subject.txt", context).strip()
        body = render_to_string("municipality/email/invitation.txt", context)
    return EmailMessage(
        subject,
        body,
        to=[row.user.email],
        headers={"Message-ID": delivery.message_id("teaminvitation", row.pk)},
    )
