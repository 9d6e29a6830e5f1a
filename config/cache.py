"""Django's Redis cache, forgiving: while Redis is down the cache behaves as an empty one.

A cache is an optimisation, so an outage of it must cost speed, never a page: reads miss, writes
are dropped, the cache is skipped for a few seconds after a failure, and a warning is logged at
most once a minute per process (not once per call).
Other errors (a wrong key type, a bug) still raise.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
_WARN_EVERY = 60.0


def _forgiving(fallback):
    """Wrap a cache method: on an outage return fallback(*args, **kwargs) instead."""

    def wrap(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)  # known to be down: do not wait for it again
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as exc:
                self._outage(method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _no_failures(data, *args, **kwargs):
    return list(data)  # set_many: every key "failed" to be stored


def _miss_incr(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # what incr() raises for a missing key


class ForgivingRedisCache(RedisCache):
    _warned_at = 0.0
    # After a failure this cache is skipped for RETRY_AFTER seconds: a Redis that
    # hangs costs one socket timeout per few seconds, not one per cache call of every request.
    _down_until = 0.0
    RETRY_AFTER = 5.0

    def _outage(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + self.RETRY_AFTER
        if now - ForgivingRedisCache._warned_at >= _WARN_EVERY:
            ForgivingRedisCache._warned_at = now
            # The exception's class only: its message can carry the connection string.
            logger.warning(
                "cache unavailable (%s in %s): serving without cache", type(exc).__name__, operation
            )

    get = _forgiving(_default)(RedisCache.get)
    get_many = _forgiving(_empty)(RedisCache.get_many)
    has_key = _forgiving(_false)(RedisCache.has_key)
    add = _forgiving(_false)(RedisCache.add)
    set = _forgiving(_nothing)(RedisCache.set)
    set_many = _forgiving(_no_failures)(RedisCache.set_many)
    touch = _forgiving(_false)(RedisCache.touch)
    delete = _forgiving(_false)(RedisCache.delete)
    delete_many = _forgiving(_nothing)(RedisCache.delete_many)
    incr = _forgiving(_miss_incr)(RedisCache.incr)
    clear = _forgiving(_false)(RedisCache.clear)
