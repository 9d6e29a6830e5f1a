"""Test settings: real PostgreSQL and Redis (DATABASE_URL / REDIS_URL), never SQLite or fakes."""

from config.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY", "test-only-insecure-key")
DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
HEALTH_CELERY_TIMEOUT = 2.0
CACHES["default"]["KEY_PREFIX"] = "wijkexpert-test"  # noqa: F405
