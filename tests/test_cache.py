"""The cache forgives a Redis outage (config/cache.py): while Redis is down every call answers
as an empty cache would, instead of failing the page; with Redis up it is Django's RedisCache."""

import logging

import pytest
from django.core.cache import caches

from config.cache import ForgivingRedisCache

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a Redis that is stopped


def _cache(location: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(
        location,
        {"KEY_PREFIX": "test-cache", "OPTIONS": {"socket_connect_timeout": 0.5}},
    )


def test_the_configured_cache_is_the_forgiving_one():
    assert isinstance(caches["default"], ForgivingRedisCache)


def test_with_redis_up_it_caches(settings):
    cache = _cache(settings.REDIS_URL)
    cache.set("answer", 42)
    assert cache.get("answer") == 42
    assert cache.incr("answer") == 43
    assert cache.get_or_set("other", "value") == "value"
    cache.delete_many(["answer", "other"])
    assert cache.get("answer") is None


def test_with_redis_down_it_is_an_empty_cache(caplog, monkeypatch):
    monkeypatch.setattr(ForgivingRedisCache, "_warned_at", 0.0)
    cache = _cache(DOWN)
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("key") is None
        assert cache.get("key", "fallback") == "fallback"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("key") is False
        assert cache.add("key", 1) is False
        assert cache.set("key", 1) is None
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # keys that were not stored
        assert cache.touch("key") is False
        assert cache.delete("key") is False
        cache.delete_many(["a"])
        assert cache.get_or_set("key", "computed") == "computed"
        with pytest.raises(ValueError):
            cache.incr("counter")  # as for a key that is not there
        cache.clear()
    # One warning, not one per call; only the exception's class, never the address.
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()
    assert all("127.0.0.1" not in r.getMessage() for r in warnings)


def test_after_a_failure_the_cache_is_skipped_for_a_while(monkeypatch):
    """A Redis that hangs costs one socket timeout per few seconds, not one per call."""
    cache = _cache(DOWN)
    client = cache._cache  # Django's Redis client: what talks to the server
    asked = []
    real_get = client.get
    monkeypatch.setattr(client, "get", lambda *a, **k: asked.append(a) or real_get(*a, **k))

    assert cache.get("a") is None  # meets the outage (connection refused)
    assert cache.get("b") is None and cache.get("c", 7) == 7  # skipped: Redis is not asked
    assert len(asked) == 1
    monkeypatch.setattr(cache, "_down_until", 0.0)  # some seconds later: it tries again
    cache.get("d")
    assert len(asked) == 2
