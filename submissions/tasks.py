from celery import shared_task

from submissions.services import submissions_clear_expired


# Batched DELETEs by the created_at index; idempotent, so a run cut short by the soft limit
# is finished by the next.
@shared_task(
    name="submissions.tasks.clear_expired_submissions", soft_time_limit=120, time_limit=180
)
def clear_expired_submissions() -> int:
    """One-time tokens and Idempotency-Keys are remembered for a day (KEEP_FOR), no longer."""
    return submissions_clear_expired()
