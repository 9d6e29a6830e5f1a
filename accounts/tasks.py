import logging
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.management import call_command

logger = logging.getLogger(__name__)


# One DELETE of the expired session rows.
@shared_task(name="accounts.tasks.clear_expired_sessions", soft_time_limit=120, time_limit=180)
def clear_expired_sessions() -> None:
    """Idle sessions expire after SESSION_IDLE_MINUTES; this removes their rows."""
    call_command("clearsessions")


@shared_task(name="accounts.tasks.send_password_reset", soft_time_limit=60, time_limit=90)
def send_password_reset(email: str, request_id: str) -> None:
    """The password-reset mail for one request (accounts.services.password_reset_request).

    Here and not in the request: looking the address up and sending the mail took measurably
    longer for a known address than for an unknown one, which told who has an account.
    At most once per request: the marker is set before sending, so a task handed to a second
    worker (acks_late, after a crash) sends nothing; a lost mail only means asking again."""
    if not cache.add(f"{settings.THROTTLE_KEY_PREFIX}:reset-sent:{request_id}", 1, 24 * 3600):
        return
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
    )
