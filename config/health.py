"""/health/: database, Redis and a real round trip through a Celery worker."""

import logging

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
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
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


@login_not_required
@never_cache
@require_GET
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure makes the check red
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
            # Only the exception class: messages can carry connection strings.
            results[name] = {"ok": False, "error": type(exc).__name__}
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
