"""What `make run` and `make test` start: `python -m config.launcher run|test [args]`.

- `run`: embedded services if needed, then `manage.py prepare_demo` (migrate, the demo data unless
  it is loaded already) as the database owner, then web server + Celery worker + Celery beat as
  child processes connected as the application's role (app_database_url); the
  demo accounts and the URL once /health/ is green. Ctrl-C (or SIGTERM) stops all of them.
- `test`: embedded services if needed, then pytest with the given arguments.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from config.embedded import BASE_DIR, ensure_services

PYTHON = sys.executable
# How long `make run` waits for a green /health/ before it prints the URL anyway.
HEALTH_WAIT_SECONDS = 120


def celery_worker(concurrency: int, *extra: str) -> list[str]:
    """The command of one Celery worker of this project (prefork pool), for `make run`, the
    benchmark (bench/stack.py) and the fault tests (tests/faults/stack.py)."""
    return [
        PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
        "--concurrency", str(concurrency), "--loglevel", "INFO", *extra,
    ]  # fmt: skip


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def _stop_all(children: list[subprocess.Popen]) -> None:
    # Each child leads its own process group (start_new_session): signal the whole group, so
    # Celery's pool processes stop too.
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)


def demo_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of `make run` and the processes it starts: the dev settings, demo mode,
    DEBUG off (the application's own Dutch error pages, not Django's debug page; DEBUG=1 turns
    it on), and e-mail links to the port it serves on (PORT, default 8000) unless SITE_URL is
    set. A variable that is set wins over each of these."""
    env = dict(environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env.setdefault("DEMO_MODE", "1")
    env.setdefault("DEBUG", "0")
    env["PORT"] = env.get("PORT") or "8000"
    if not env.get("SITE_URL"):
        env["SITE_URL"] = f"http://127.0.0.1:{env['PORT']}"
    return env


def app_database_url(env: Mapping[str, str]) -> str:
    """The URL web, worker and beat connect with: DATABASE_APP_URL when set, else DATABASE_URL
    with the application's role (DATABASE_APP_ROLE, default wijkexpert_app) as its user and no
    password. The role may only read and append the audit log (migration wijkteam 0010); the
    owner in DATABASE_URL is for migrations (prepare_demo) only."""
    if env.get("DATABASE_APP_URL"):
        return env["DATABASE_APP_URL"]
    parts = urlsplit(env["DATABASE_URL"])
    host = parts.netloc.rpartition("@")[2]
    role = env.get("DATABASE_APP_ROLE") or "wijkexpert_app"
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


def _connects(url: str) -> bool:
    import dj_database_url
    import psycopg2

    settings = dj_database_url.parse(url)
    try:
        psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings.get("PASSWORD") or None,
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            connect_timeout=5,
        ).close()
    except psycopg2.Error:
        return False
    return True


def as_app_role(env: dict[str, str]) -> dict[str, str]:
    """The children's environment: DATABASE_URL as the application's role, when it can sign in
    (with password authentication the operator gives it a password in DATABASE_APP_URL);
    otherwise the owner's, with a warning."""
    url = app_database_url(env)
    if not _connects(url):
        print(
            "warning: cannot connect as the application's database role; web, worker and beat "
            "use the owner's DATABASE_URL (set DATABASE_APP_URL)",
            flush=True,
        )
        return env
    return {**env, "DATABASE_URL": url}


# Straight to our own server, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(url: str) -> bool:
    try:
        with _opener.open(url, timeout=5) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # refused, 503 (HTTPError), timeout, cut off
        return False


def _wait_until_healthy(
    url: str, children: list[subprocess.Popen], stop: Callable[[], bool]
) -> bool:
    """Poll `url` until it answers 200, a child stops, `stop()` says so, or HEALTH_WAIT_SECONDS
    pass; whether it answered."""
    deadline = time.monotonic() + HEALTH_WAIT_SECONDS
    while time.monotonic() < deadline and not stop():
        if any(child.poll() is not None for child in children):
            return False
        if _healthy(url):
            return True
        time.sleep(0.5)
    return False


def run() -> int:
    started = time.monotonic()
    env = demo_environment(os.environ)
    port = env["PORT"]
    print("Wijkexpert starting...", flush=True)
    env = ensure_services(env)
    # Migrate, the demo data (unless loaded already) and the accounts, in one Django process;
    # the accounts are printed last, with the URL.
    with tempfile.TemporaryDirectory(prefix="wijkexpert-") as scratch:
        accounts_file = Path(scratch) / "accounts.txt"
        _manage(env, "prepare_demo", "--accounts-file", str(accounts_file))
        accounts = accounts_file.read_text()
    # Migrations ran as the owner; from here on the application's role (app_database_url).
    env = as_app_role(env)
    beat_schedule = BASE_DIR / ".data" / "celerybeat-schedule"
    beat_schedule.parent.mkdir(parents=True, exist_ok=True)
    commands = {
        # prepare_demo ran the system checks already.
        "web": [
            PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks",
        ],
        # No mingle: a demo has no other workers to sync revoked tasks with (1 s at start-up).
        "worker": celery_worker(2, "--without-mingle"),
        "beat": [
            PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
            "--schedule", str(beat_schedule),
        ],
    }  # fmt: skip
    children: list[subprocess.Popen] = []
    # The children ignore the terminal's Ctrl-C (own session); we stop them in order instead.
    stopping = False

    def _on_signal(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    exit_code = 0
    try:  # from the first child on: whatever happens, every child is stopped
        for name, command in commands.items():
            children.append(
                subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
            )
            print(f"  started {name} (pid {children[-1].pid})", flush=True)
        # The URL comes last, after the children's start-up output: once /health/ is green
        # (database, Redis and a round trip through the worker), or it took too long.
        url = f"http://127.0.0.1:{port}/"
        healthy = _wait_until_healthy(f"{url}health/", children, lambda: stopping)
        if not stopping and all(child.poll() is None for child in children):
            seconds = time.monotonic() - started
            state = (
                f"ready in {seconds:.0f} s"
                if healthy
                else f"{url}health/ not green yet after {seconds:.0f} s"
            )
            print(f"\n{accounts}\nWijkexpert runs on {url}  ({state}; Ctrl-C stops everything)\n",
                  flush=True)  # fmt: skip
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    print(
                        f"a process stopped (pid {child.pid}, exit {child.returncode}); "
                        "stopping the rest",
                        flush=True,
                    )
                    stopping = True
                    exit_code = 1
            time.sleep(0.5)
    finally:
        print("stopping web, worker and beat...", flush=True)
        _stop_all(children)
    return exit_code


def test(args: list[str]) -> int:
    env = dict(os.environ)
    env = ensure_services(env)
    # Always the test settings: importing the `config` package (for this launcher) already put
    # the dev default into os.environ through config.celery.
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.call([PYTHON, "-m", "pytest", *args], cwd=BASE_DIR, env=env)


def main(argv: list[str]) -> int:
    # pgserver's platformdirs warns when XDG_RUNTIME_DIR is unset (as under root); harmless.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    if not argv or argv[0] not in {"run", "test"}:
        print("usage: python -m config.launcher run | test [pytest args]", file=sys.stderr)
        return 2
    if argv[0] == "run":
        return run()
    return test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
