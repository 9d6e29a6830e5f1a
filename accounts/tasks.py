from celery import shared_task
from django.core.management import call_command


@shared_task(name="accounts.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Idle sessions expire after SESSION_IDLE_MINUTES; this removes their rows."""
    call_command("clearsessions")
