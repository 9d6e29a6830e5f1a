"""The bell's number, on every page: from the cache for half a minute per user; written
notifications and reading them forget it (consultation.notifications, notifications_mark_read),
so a person never waits for their own news."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from consultation.selectors import unread_notification_count

BELL_CACHE_SECONDS = 30


def _key(user_pk: int) -> str:
    return f"bell:{user_pk}"


def bell_count(*, user) -> int:
    count = cache.get(_key(user.pk))
    if count is None:
        count = unread_notification_count(user=user)
        cache.set(_key(user.pk), count, BELL_CACHE_SECONDS)
    return count


def forget_bells(user_ids: Iterable[int]) -> None:
    """After the transaction commits (before, a page could cache the old count anew)."""
    keys = [_key(pk) for pk in set(user_ids)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
