"""The beat schedule and the tasks it names agree with the Celery app (as Open Forms'
test_celery_beat.py): a renamed task or a changed signature fails here, not silently at 07:00 in
production when beat sends a message no worker knows."""

import inspect
from pathlib import Path

import pytest
from celery.schedules import crontab, schedule
from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _registered_tasks():
    # The worker imports every app's tasks module at start-up (autodiscovery); so do we.
    app.loader.import_default_modules()
    return app.tasks


def our_tasks():
    """Tasks defined in this repository's packages, not Celery's built-in ones."""
    tasks = _registered_tasks()
    return {
        name: task
        for name, task in tasks.items()
        if (ROOT / task.run.__module__.split(".")[0]).is_dir()
    }


BEAT = sorted(settings.CELERY_BEAT_SCHEDULE.items())


def test_there_is_a_schedule_and_there_are_tasks():
    assert BEAT
    assert {entry["task"] for _, entry in BEAT} <= set(our_tasks())


@pytest.mark.parametrize(("key", "entry"), BEAT, ids=[key for key, _ in BEAT])
def test_every_beat_entry_names_a_registered_task_its_arguments_fit(key, entry):
    tasks = _registered_tasks()
    assert entry["task"] in tasks, f"beat entry {key!r}: no task named {entry['task']!r}"
    task = tasks[entry["task"]]
    # Beat sends args/kwargs as they are: they must bind to what the task accepts.
    inspect.signature(task.run).bind(*entry.get("args", ()), **entry.get("kwargs", {}))
    assert isinstance(entry["schedule"], int | float | schedule | crontab)


@pytest.mark.parametrize("name", sorted(our_tasks()))
def test_every_task_is_named_by_its_import_path(name):
    task = our_tasks()[name]
    assert name == f"{task.run.__module__}.{task.run.__name__}"


@pytest.mark.parametrize("name", sorted(our_tasks()))
def test_every_task_has_a_soft_and_a_hard_time_limit(name):
    task = our_tasks()[name]
    assert task.soft_time_limit, f"{name} has no soft_time_limit"
    assert task.time_limit, f"{name} has no time_limit"
    # The soft limit first, so the task can still roll back and leave its rows for a re-run.
    assert task.soft_time_limit < task.time_limit
    # A task still running after the visibility timeout is handed to a second worker.
    assert task.time_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


# --- Reliability settings (issue 8; README "Reliability") ----------------------------------------
def test_no_task_but_the_health_ping_keeps_a_result():
    """A stored result means a subscription at publish time: nothing but /health/ waits on one."""
    assert app.conf.task_ignore_result is True
    keeping = {name for name, task in our_tasks().items() if not task.ignore_result}
    assert keeping == {"config.celery.ping"}


def test_the_visibility_timeout_outlasts_every_task_and_its_retry_delay():
    """Redis hands an unacknowledged message to another worker after the visibility timeout: a
    task still running (or waiting for its retry countdown) must never be handed out twice, and
    a crash should cost minutes, not an hour."""
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    longest = max(
        (task.time_limit or 0) + (task.default_retry_delay or 0) for task in our_tasks().values()
    )
    assert longest < visibility <= 15 * 60
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_a_publish_gives_up_within_a_second():
    policy = app.conf.task_publish_retry_policy
    connect = app.conf.broker_transport_options["socket_connect_timeout"]
    waits = [
        min(policy["interval_start"] + n * policy["interval_step"], policy["interval_max"])
        for n in range(policy["max_retries"])
    ]
    assert (policy["max_retries"] + 1) * connect + sum(waits) < 1.0
    assert app.conf.broker_connection_max_retries is None  # workers and beat wait for Redis
