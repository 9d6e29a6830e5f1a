"""Writes around accounts and the second factor."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def sessions_end(*, user) -> int:
    """End every session `user` is signed in with (all browsers), now: the rows and their cached
    copies (SESSION_ENGINE cached_db) are deleted, so the next request of each is anonymous.
    Sessions do not say whose they are without decoding them; only the unexpired ones are read
    (the idle timeout keeps those few, and clear_expired_sessions removes the rest)."""
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for row in live.iterator(chunk_size=500):
        if str(row.get_decoded().get("_auth_user_id")) != str(user.pk):
            continue
        store_class(session_key=row.session_key).delete()
        ended += 1
    return ended
