"""/health/ reports database, Redis and a real round trip through a Celery worker."""

import pytest
from django.urls import reverse


def test_health_is_green_with_a_running_worker(client, celery_worker, settings):
    # The worker thread starts without a ping check; on a loaded machine (a full parallel run)
    # its first answer took more than the test settings' 2 s. What is tested is green with a
    # worker, not the timeout, which is a deployment setting.
    settings.HEALTH_CELERY_TIMEOUT = 20
    response = client.get(reverse("health"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        "database": {"ok": True},
        "redis": {"ok": True},
        "celery": {"ok": True},
    }


@pytest.mark.django_db
def test_health_is_503_when_no_worker_runs(client):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True}
    assert body["checks"]["celery"]["ok"] is False


@pytest.mark.django_db
def test_health_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    redis_check = response.json()["checks"]["redis"]
    assert redis_check["ok"] is False
    # The error names the failure's kind, never the connection string.
    assert "127.0.0.1" not in response.text


@pytest.mark.django_db
def test_health_needs_no_sign_in_and_is_not_cached(client):
    response = client.get(reverse("health"))
    assert response.status_code in (200, 503)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_probes_from_a_short_cache(client, settings, monkeypatch):
    from config import health

    calls = []
    monkeypatch.setattr(health, "CHECKS", {"database": lambda: calls.append(1) or {"ok": True}})
    monkeypatch.setattr(health, "_last", {"at": 0.0, "body": None, "status": 503})
    settings.HEALTH_CACHE_SECONDS = 60
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("health")).status_code == 200
    assert len(calls) == 1


@pytest.mark.django_db
def test_health_skips_the_worker_round_trip_while_redis_is_down(client, settings, monkeypatch):
    """No publish to a broker that is known to be down: the answer comes at once, with why."""
    from config import health

    def no_round_trip():
        raise AssertionError("the Celery round trip was attempted")

    monkeypatch.setitem(health.CHECKS, "celery", no_round_trip)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["celery"] == {"ok": False, "error": "broker unavailable"}
