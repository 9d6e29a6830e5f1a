"""Test settings: real PostgreSQL and Redis (DATABASE_URL / REDIS_URL), never SQLite or fakes."""

import os

from config.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY", "test-only-insecure-key")
DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
HEALTH_CELERY_TIMEOUT = 2.0
HEALTH_CACHE_SECONDS = 0
# A prefix per test process: the cache holds per-user entries (roles, the bell's count) keyed by
# user id, and every xdist worker has its own database with its own ids, on one shared Redis.
CACHES["default"]["KEY_PREFIX"] = f"wijkexpert-test-{os.getpid()}"  # noqa: F405
# Each test process consumes its own queue, so a `make run` worker on the same Redis never steals
# a test's task (and a test's worker never runs a developer's). Every pytest-xdist worker is a
# process of its own, so the workers of one run do not take each other's tasks either.
CELERY_TASK_DEFAULT_QUEUE = f"wijkexpert-test-{os.getpid()}"

# A database per test process: CI, a developer and other worktrees on the same machine (same
# PostgreSQL) must not drop each other's test database. Under pytest-xdist pytest-django adds
# the worker id: test_wijkexpert_<pid>_gw0, test_wijkexpert_<pid>_gw1, ...
DATABASES["default"]["TEST"] = {"NAME": f"test_wijkexpert_{os.getpid()}"}  # noqa: F405
