"""Writes around accounts and the second factor."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.signals import credentials_ended
from accounts.tasks import send_password_reset
from accounts.throttle import throttle_allows
from accounts.tokens import api_tokens_revoke_all

logger = logging.getLogger(__name__)

ENROLMENT_SESSION_KEY = "wijkexpert_enrolment_device"


@transaction.atomic
def totp_device_for_enrolment(*, user, session) -> TOTPDevice:
    """The device this session is enrolling. A reload keeps its QR code, but another session
    (someone else who knows the password) never sees this secret: every new session starts a
    new device and drops the half-finished ones."""
    device_id = session.get(ENROLMENT_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
        session[ENROLMENT_SESSION_KEY] = device.pk
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the enrolment when the token matches; drop other half-finished enrolments."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    user = device.user
    # Tell the owner, so a second factor set up by someone else does not go unnoticed.
    transaction.on_commit(lambda: _mail_second_factor_added(user))
    return True


def _mail_second_factor_added(user) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    body = render_to_string("accounts/email/second_factor_added.txt", {"user": user})
    subject = render_to_string("accounts/email/second_factor_added_subject.txt", {}).strip()
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as exc:  # noqa: BLE001 - the enrolment itself succeeded; log, don't fail
        logger.warning("could not mail second-factor notice: %s", type(exc).__name__)


def sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every session `user` is signed in with (all browsers), now, except the one with
    `keep_session_key` (the browser that asked, e.g. after changing its own password): the rows
    and their cached copies (SESSION_ENGINE cached_db) are deleted, so the next request of each
    is anonymous. Sessions do not say whose they are without decoding them; only the unexpired
    ones are read (the idle timeout keeps those few, and clear_expired_sessions removes the
    rest)."""
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    if keep_session_key:
        live = live.exclude(session_key=keep_session_key)
    for row in live.iterator(chunk_size=500):
        if str(row.get_decoded().get("_auth_user_id")) != str(user.pk):
            continue
        store_class(session_key=row.session_key).delete()
        ended += 1
    return ended


@dataclass(frozen=True)
class CredentialsEnded:
    sessions: int
    tokens: int


def credentials_end(*, user, keep_session_key: str | None = None) -> CredentialsEnded:
    """After a password change or reset, or a deactivation: every other session of `user` ends
    and every API token is revoked (a token made under the old password must not outlive it),
    and so is what other apps hand out (`credentials_ended`: the calendar feed). Idempotent."""
    sessions = sessions_end(user=user, keep_session_key=keep_session_key)
    tokens = api_tokens_revoke_all(user=user)
    credentials_ended.send(sender=credentials_end, user=user)
    logger.info(
        "credentials ended for user %s: %s session(s), %s token(s)", user.pk, sessions, tokens
    )
    return CredentialsEnded(sessions=sessions, tokens=tokens)


# A publish from a request must not wait on a Redis that hangs (as consultation.tasks.publish).
_PUBLISH_TRANSPORT_OPTIONS = {"socket_timeout": 0.8, "socket_connect_timeout": 0.3}


def password_reset_request(*, email: str) -> None:
    """Someone asks for a password-reset link for `email`. Whether the address is known is not
    looked at here: the same work happens for every address (a throttle count and a queued
    task), so the answer and its timing say nothing. The task looks the account up and mails.
    At most PASSWORD_RESET_TARGET_LIMIT mails per address per window; beyond it nothing is
    queued, and the asker is told the same as always."""
    if not throttle_allows(
        "password-reset-target",
        email.strip().lower(),
        limit=settings.PASSWORD_RESET_TARGET_LIMIT,
        window_seconds=settings.PASSWORD_RESET_WINDOW_MINUTES * 60,
    ):
        return
    request_id = uuid.uuid4().hex
    transaction.on_commit(lambda: _publish_password_reset(email, request_id))


def _publish_password_reset(email: str, request_id: str) -> None:
    task: Any = send_password_reset  # celery-types lacks apply_async's `connection`
    try:
        with current_app.connection_for_write(transport_options=_PUBLISH_TRANSPORT_OPTIONS) as conn:
            task.apply_async(
                args=(email, request_id), connection=conn, retry_policy={"max_retries": 0}
            )
    except Exception as exc:  # noqa: BLE001 - the broker is down: the person can ask again
        # The exception's class only: never the address (it may be a resident's or anyone's).
        logger.warning("could not queue a password-reset mail: %s", type(exc).__name__)
