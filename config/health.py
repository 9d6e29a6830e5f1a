"""/health/: database, Redis and a real round trip through a Celery worker."""

import logging
import threading
import time

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _check_redis() -> dict:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def _check_celery() -> dict:
    from config.celery import ping

    timeout = settings.HEALTH_CELERY_TIMEOUT
    # expires: a ping nobody picked up must not pile up in the queue for a later worker.
    result = ping.apply_async(expires=timeout * 2, retry=False)
    try:
        answer = result.get(timeout=timeout, propagate=True)
    finally:
        result.forget()
    return {"ok": answer == "pong"}


CHECKS = {"database": _check_database, "redis": _check_redis, "celery": _check_celery}

# One check at a time per process, answered from a short cache: anonymous probes cannot pile up
# blocking Celery round trips on the web workers.
_lock = threading.Lock()
_last: dict = {"at": 0.0, "body": None, "status": 503}


@login_not_required
@never_cache
@require_GET
def health(request):
    max_age = settings.HEALTH_CACHE_SECONDS
    if _last["body"] is not None and time.monotonic() - _last["at"] < max_age:
        return JsonResponse(_last["body"], status=_last["status"])
    if not _lock.acquire(timeout=settings.HEALTH_CELERY_TIMEOUT + 5):
        return JsonResponse({"status": "error", "checks": {}}, status=503)
    try:
        if _last["body"] is not None and time.monotonic() - _last["at"] < max_age:
            return JsonResponse(_last["body"], status=_last["status"])
        body, status = _run_checks()
        _last.update(at=time.monotonic(), body=body, status=status)
        return JsonResponse(body, status=status)
    finally:
        _lock.release()


def _run_checks() -> tuple[dict, int]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        if name == "celery" and not results.get("redis", {"ok": True})["ok"]:
            # No round trip through a broker that is down: the answer is known, and fast.
            results[name] = {"ok": False, "error": "broker unavailable"}
            continue
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure makes the check red
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
            # Only the exception class: messages can carry connection strings.
            results[name] = {"ok": False, "error": type(exc).__name__}
    healthy = all(r["ok"] for r in results.values())
    return {"status": "ok" if healthy else "error", "checks": results}, 200 if healthy else 503
