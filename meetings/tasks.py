"""Periodic work of the sessions (Celery beat, config/settings/base.py)."""

from celery import shared_task

from meetings.services.recurring import create_recurring_sessions as _create


@shared_task(
    name="meetings.tasks.create_recurring_sessions",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=360,
)
def create_recurring_sessions() -> int:
    """Idempotent: each occurrence of a series is created once, however often this runs."""
    return len(_create())
