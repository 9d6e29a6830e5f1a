"""What `make bench` starts and stops: its own Redis, gunicorn, a Celery worker; the database.

Every process is started in its own session (process group), so a Ctrl-C in the terminal
reaches only bench.run, which stops them in order; each is stopped by its own group id, never
by name. The machine's PostgreSQL and Redis are never stopped or flushed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from config.embedded import free_port, redis_answers
from config.launcher import celery_worker

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_DATABASE = "wijkexpert_bench"


def wait_until(condition: Callable[[], object], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


# --- the database ----------------------------------------------------------------------------
def with_database(url: str, name: str) -> str:
    """The same server (and options, e.g. the embedded server's ?host=socket) with another
    database name."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def bench_database_url(env: dict[str, str]) -> str | None:
    """BENCH_DATABASE_URL as given; else the database wijkexpert_bench on DATABASE_URL's server;
    None when neither is set (then the embedded PostgreSQL, as `make run` does)."""
    if env.get("BENCH_DATABASE_URL"):
        return env["BENCH_DATABASE_URL"]
    if env.get("DATABASE_URL"):
        return with_database(env["DATABASE_URL"], BENCH_DATABASE)
    return None


def ensure_database(url: str) -> None:
    """Create the database of `url` when the server does not have it yet."""
    import psycopg2
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    connection = psycopg2.connect(with_database(url, "postgres"))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"  created database {name}", flush=True)
    finally:
        connection.close()


def resolve_database(env: dict[str, str]) -> str:
    url = bench_database_url(env)
    if url is None:
        from config.embedded import start_postgres

        url = with_database(start_postgres(), BENCH_DATABASE)
        print("  embedded PostgreSQL (no BENCH_DATABASE_URL or DATABASE_URL)", flush=True)
    ensure_database(url)
    return url


# --- processes -------------------------------------------------------------------------------
def spawn(command: list[str], *, log: Path, env: dict[str, str]) -> subprocess.Popen:
    """A child in a process group of its own (so that a stop reaches its workers too), run from
    the repository, its output appended to `log` (also tests/faults/stack.py)."""
    with open(log, "ab") as output:  # the child holds its own copy of the descriptor
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


class Processes:
    """The children of one run; `stop_all` ends each of them (SIGTERM to its group, SIGKILL
    after 15 s), in the reverse order of starting."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        self.workdir = workdir
        self.env = env
        self.children: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        process = spawn(command, log=self.workdir / f"{name}.log", env=self.env)
        self.children[name] = process
        print(f"  started {name} (pid {process.pid})", flush=True)
        return process

    def alive(self, name: str) -> bool:
        return self.children[name].poll() is None

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def check(self) -> None:
        """Fail when a child died during the run (its log says why)."""
        for name, process in self.children.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} stopped (exit {process.returncode}):\n{self.log(name)[-3000:]}"
                )

    def start_redis(self) -> str:
        """A redis-server of the benchmark's own. Without one on PATH, the embedded Redis of
        `make run` (config.embedded, shared and reference-counted; the benchmark's queue and
        cache prefix are its own, so it takes nothing from a `make run` on it)."""
        binary = shutil.which("redis-server")
        if binary is None:
            from config.embedded import start_redis

            print("  no redis-server on PATH: the embedded Redis", flush=True)
            return start_redis()
        port = free_port()
        self.start(
            "redis",
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
        )
        wait_until(lambda: redis_answers(port) or not self.alive("redis"), timeout=15, what="redis")
        self.check()
        return f"redis://127.0.0.1:{port}/0"

    def start_web(self, *, port: int, workers: int) -> None:
        self.start(
            "web",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--no-control-socket",
            ],
        )

    def start_worker(self, *, concurrency: int) -> None:
        self.start(
            "worker",
            celery_worker(
                concurrency,
                *("--hostname", f"bench-{os.getpid()}@%h", "--without-gossip", "--without-mingle"),
            ),
        )

    def stop_all(self) -> None:
        """Web and worker first, Redis last (the worker says goodbye to it)."""
        for name in list(self.children)[::-1]:
            process = self.children.pop(name)
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
            print(f"  stopped {name}", flush=True)
