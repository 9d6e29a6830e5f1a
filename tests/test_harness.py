"""The harness itself: tests run on the test settings, whatever the launcher imported."""

from django.conf import settings


def test_the_suite_runs_on_test_settings():
    assert settings.SETTINGS_MODULE == "config.settings.test"
    assert settings.DEMO_MODE is False
    assert settings.CELERY_TASK_DEFAULT_QUEUE.startswith("wijkexpert-test-")
