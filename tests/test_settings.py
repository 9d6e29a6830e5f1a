"""Settings come from the environment; production has no default secret and passes --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(*args, env_overrides: dict[str, str | None]):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_a_secret():
    result = _manage(
        "check", env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.production"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
            "ALLOWED_HOSTS": "wijkexpert.example.nl",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_demo_data():
    result = _manage(
        "load_demo",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "s" * 60,
        },
    )
    assert result.returncode != 0
    assert "never loaded here" in result.stderr


def test_production_forces_demo_mode_off():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEMO_MODE)",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "s" * 60,
            "DEMO_MODE": "1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_idle_timeout_is_configurable():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "SESSION_IDLE_MINUTES": "5",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "300"


def test_tests_run_on_postgresql_and_redis():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    # Django's RedisCache, forgiving an outage (config/cache.py).
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ForgivingRedisCache"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ is True


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a", "b", "c"]
    monkeypatch.setenv("X_BOOL", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "many")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1)


# --- Mail: every EMAIL_* variable the README names works from the environment -----------------
MAIL_VARIABLES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "EMAIL_FILE_PATH",
)


@pytest.fixture
def mail_env(monkeypatch):
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_smtp_is_the_default_and_takes_every_smtp_variable(mail_env):
    from config.env import env_mailer

    assert env_mailer() == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "localhost",
            "port": 25,
            "username": "",
            "password": "",
            "use_tls": False,
            "use_ssl": False,
            "timeout": 10,
        },
    }
    for name, value in {
        "EMAIL_HOST": "smtp.gemeente.nl",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "wijkexpert",
        "EMAIL_HOST_PASSWORD": "geheim",
        "EMAIL_USE_TLS": "1",
        "EMAIL_TIMEOUT": "5",
    }.items():
        mail_env.setenv(name, value)
    assert env_mailer()["OPTIONS"] == {
        "host": "smtp.gemeente.nl",
        "port": 587,
        "username": "wijkexpert",
        "password": "geheim",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 5,
    }


def test_smtp_over_ssl_defaults_to_port_465_and_excludes_starttls(mail_env):
    from config.env import env_mailer

    mail_env.setenv("EMAIL_USE_SSL", "yes")
    assert env_mailer()["OPTIONS"]["port"] == 465
    mail_env.setenv("EMAIL_USE_TLS", "yes")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_mailer()


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("console", "django.core.mail.backends.console.EmailBackend"),
        (
            "django.core.mail.backends.console.EmailBackend",
            "django.core.mail.backends.console.EmailBackend",
        ),
        ("locmem", "django.core.mail.backends.locmem.EmailBackend"),
        ("dummy", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_backends_without_options_by_name_or_path(mail_env, value, backend):
    from config.env import env_mailer

    mail_env.setenv("EMAIL_BACKEND", value)
    mail_env.setenv("EMAIL_HOST", "ignored.example")  # SMTP options do not leak into others
    assert env_mailer() == {"BACKEND": backend, "OPTIONS": {}}


def test_the_file_backend_needs_its_directory(mail_env):
    from config.env import env_mailer

    mail_env.setenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_FILE_PATH"):
        env_mailer()
    mail_env.setenv("EMAIL_FILE_PATH", "/var/mail/wijkexpert")
    assert env_mailer()["OPTIONS"] == {"file_path": "/var/mail/wijkexpert"}


def test_a_mail_sent_through_the_file_backend_from_the_environment(tmp_path):
    """As the operator sets it (the issue: the file backend from the environment failed)."""
    outbox = tmp_path / "mail"
    result = _manage(
        "sendtestemail",
        "beheer@gemeente.example",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (written,) = outbox.iterdir()
    assert "To: beheer@gemeente.example" in written.read_text()


def test_the_readme_names_only_mail_variables_that_are_read():
    readme = (BASE_DIR / "README.md").read_text()
    env_source = (BASE_DIR / "config" / "env.py").read_text()
    import re

    named = set(re.findall(r"`(EMAIL_[A-Z_]+)`", readme))
    assert named >= {"EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_FILE_PATH"}
    for name in named:
        assert f'"{name}"' in env_source, f"{name} is documented but never read"


@pytest.mark.django_db
def test_postgresql_jit_is_off_for_our_connections():
    """Issue 9: JIT compilation cost more than the queries it was meant to speed up."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
