"""The harness itself: tests run on the test settings, whatever the launcher imported."""

import os

import pytest
from django.conf import settings
from django.db import connection


def test_the_suite_runs_on_test_settings():
    assert settings.SETTINGS_MODULE == "config.settings.test"
    assert settings.DEMO_MODE is False
    assert settings.CELERY_TASK_DEFAULT_QUEUE.startswith("wijkexpert-test-")


@pytest.mark.django_db
def test_each_test_process_has_its_own_database_and_celery_queue():
    """Parallel runs (xdist workers, other worktrees, CI) on one PostgreSQL and Redis never share
    a test database or a queue: both are named after the process, the database also after the
    xdist worker."""
    from config.celery import app

    pid = os.getpid()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert connection.settings_dict["NAME"] == (
        f"test_wijkexpert_{pid}_{worker}" if worker else f"test_wijkexpert_{pid}"
    )
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    assert queue == f"wijkexpert-test-{pid}"
    assert app.conf.task_default_queue == queue
