"""The one-time link of an invitation, in the style of Django's password-reset tokens: an HMAC
of the row (SECRET_KEY, a salt of its own), so nothing secret is stored and the sending task
can write the link again. Whether the link still works is the row's: accepted (used), withdrawn
(a newer invitation, or the membership ended) or expired (expires_at)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from municipality.models import TeamInvitation

KEY_SALT = "wijkexpert.municipality.invitation"


def _digest(invitation: TeamInvitation, secret: str | None = None) -> str:
    value = (
        f"{invitation.pk}:{invitation.user_id}:{invitation.team_id}:"
        f"{invitation.created_at.timestamp():.6f}"
    )
    return salted_hmac(KEY_SALT, value, secret=secret, algorithm="sha256").hexdigest()[:40]


def make_token(invitation: TeamInvitation) -> str:
    return _digest(invitation)


def check_token(invitation: TeamInvitation, token: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_digest(invitation, secret), token) for secret in secrets)


def invitation_key(invitation: TeamInvitation) -> str:
    return urlsafe_base64_encode(force_bytes(invitation.pk))


def invitation_pk(key: str) -> int | None:
    try:
        raw = urlsafe_base64_decode(key).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return int(raw) if raw.isdigit() else None


def invitation_url(invitation: TeamInvitation) -> str:
    path = reverse(
        "invitation:open",
        kwargs={"key": invitation_key(invitation), "token": make_token(invitation)},
    )
    return settings.SITE_URL.rstrip("/") + path
