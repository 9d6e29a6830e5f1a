from celery import shared_task
from django.core.management import call_command


# One DELETE of the expired session rows.
@shared_task(name="accounts.tasks.clear_expired_sessions", soft_time_limit=120, time_limit=180)
def clear_expired_sessions() -> None:
    """Idle sessions expire after SESSION_IDLE_MINUTES; this removes their rows."""
    call_command("clearsessions")
