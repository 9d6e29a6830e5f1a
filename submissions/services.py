"""Claiming a submission once, recording its result, and clearing old rows.

The claim is an INSERT inside the caller's transaction, before the write it guards, in a
savepoint. Two submits with the same key meet on the unique index: the second waits until the
first's transaction ends. When the first committed, the second gets the unique violation and
reads the first's row (READ COMMITTED: a fresh snapshot per statement), so it can answer with
the first result; when the first rolled back, the second's INSERT goes through and it does the
work itself. A row that is visible is always complete: claim and result commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from submissions.models import Submission

if TYPE_CHECKING:
    from accounts.models import User

# Long enough for every double click, retry and reconnect; short enough to hold little.
KEEP_FOR = timedelta(hours=24)
DELETE_BATCH = 5000


@dataclass(frozen=True)
class Claim:
    submission: Submission
    first: bool  # False: the same submit ran before; `submission` holds its result


def submission_claim(
    *, user: User, channel: str, key: str, scope: str, fingerprint: str = ""
) -> Claim:
    """Claim `key` for `user` in the current transaction, or find who claimed it first."""
    if not connection.in_atomic_block:
        raise RuntimeError("a submission is claimed inside the transaction of what it makes")
    for _attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: the unique violation leaves ours usable
                submission = Submission.objects.create(
                    user=user,
                    channel=channel,
                    key=key,
                    scope=scope[:300],
                    fingerprint=fingerprint,
                )
            return Claim(submission=submission, first=True)
        except IntegrityError:
            earlier = Submission.objects.filter(user=user, channel=channel, key=key).first()
            if earlier is not None:
                return Claim(submission=earlier, first=False)
            # Gone between the two statements (cleared as expired): claim it afresh.
    raise RuntimeError("could not claim the submission")  # pragma: no cover


def submission_record(
    *,
    submission: Submission,
    url: str = "",
    result: Model | None = None,
    status_code: int | None = None,
) -> Submission:
    """What the first submit answered, written in its own transaction (so with the claim)."""
    submission.result_url = url[:300]
    if result is not None:
        submission.result_model = result._meta.label_lower
        submission.result_id = result.pk
    submission.status_code = status_code
    submission.save(update_fields=["result_url", "result_model", "result_id", "status_code"])
    return submission


def submission_release(*, submission: Submission) -> None:
    """The submit made nothing (its form had errors, the service refused): the token stays
    usable, so the person fixes the form and sends it again."""
    submission.delete()


def submissions_clear_expired(*, older_than: timedelta = KEEP_FOR) -> int:
    """Delete rows older than `older_than`, in batches (short statements, short locks); safe to
    run twice or to be cut short, the next run goes on where this one stopped."""
    cutoff = timezone.now() - older_than
    deleted = 0
    while True:
        batch = list(
            Submission.objects.filter(created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:DELETE_BATCH]
        )
        if not batch:
            return deleted
        count, _details = Submission.objects.filter(pk__in=batch).delete()
        deleted += count
