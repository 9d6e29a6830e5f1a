"""What `make run` and `make test` start: `python -m config.launcher run|test [args]`.

- `run`: embedded services if needed, migrate, demo data, then web server + Celery worker + Celery
  beat as child processes; Ctrl-C (or SIGTERM) stops all of them.
- `test`: embedded services if needed, then pytest with the given arguments.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import warnings

from config.embedded import BASE_DIR, ensure_services

PYTHON = sys.executable


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


def run() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env.setdefault("DEMO_MODE", "1")
    port = env.get("PORT", "8000")
    print("Wijkexpert starting...", flush=True)
    env = ensure_services(env)
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_demo")
    beat_schedule = BASE_DIR / ".data" / "celerybeat-schedule"
    beat_schedule.parent.mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": celery_worker(2),
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(beat_schedule),
        ],
    }
    children: list[subprocess.Popen] = []
    # The children ignore the terminal's Ctrl-C (own session); we stop them in order instead.
    stopping = False

    def _on_signal(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    _manage(env, "load_demo", "--list")
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    exit_code = 0
    try:  # from the first child on: whatever happens, every child is stopped
        for name, command in commands.items():
            children.append(
                subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
            )
            print(f"  started {name} (pid {children[-1].pid})", flush=True)
        print(
            f"\nWijkexpert runs on http://127.0.0.1:{port}/  (Ctrl-C stops everything)\n",
            flush=True,
        )
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
