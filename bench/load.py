"""A small closed-loop HTTP load generator (standard library only).

Each of C connections is a thread that sends a request, reads the whole answer, and sends the
next one, for a fixed time. One TCP connection per request, with `Connection: close`: gunicorn's
sync workers close the connection after every response anyway, so a keep-alive client would
measure the same. Latency is from the connect to the last byte of the answer. Only answers that
complete inside the measured window count (after a warm-up that is not recorded).

Why not wrk or locust: the POSTs need a fresh one-time submission token per request, claims are
handed back after each request, and every figure should come from one place that the tests can
check. The price is the Python client's own CPU time on the same machine; it is measured
(`client_cpu_seconds`) and reported per request.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from bench.stats import Sample

TIMEOUT = 120.0  # gunicorn is started with a longer timeout than any page should take


@dataclass(frozen=True)
class Response:
    status: int  # 0 when there was no answer
    headers: dict[str, str]
    size: int  # bytes, headers included
    seconds: float
    sent_at: float  # time.time() when the request went out (to compare with database times)


@dataclass
class Endpoint:
    """One thing to measure: `paths` are taken in turn; `body` makes a fresh body per request
    (a POST's one-time token); `check` looks at an answer and may undo its effect (a claim),
    returning an outcome name to count, or None."""

    name: str
    role: str
    method: str = "GET"
    paths: list[str] = field(default_factory=list)
    expect: frozenset[int] = frozenset({200})
    body: Callable[[], bytes] | None = None
    check: Callable[[Response], str | None] | None = None
    reference: bool = False
    note: str = ""


def build_request(
    *,
    host: str,
    port: int,
    method: str,
    path: str,
    cookie: str,
    body: bytes | None,
    extra: dict[str, str] | None = None,
) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: close",
        "Accept: text/html,application/json",
        "Accept-Language: nl",
        "User-Agent: wijkexpert-bench",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
    if body is not None:
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def parse_head(data: bytes) -> tuple[int, dict[str, str]]:
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    first, *rest = head.split("\r\n")
    parts = first.split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    headers = {}
    for line in rest:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def send(host: str, port: int, raw: bytes, *, timeout: float = TIMEOUT) -> Response:
    sent_at = time.time()
    started = time.perf_counter()
    chunks = []
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(raw)
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    except OSError:
        return Response(0, {}, 0, time.perf_counter() - started, sent_at)
    seconds = time.perf_counter() - started
    data = b"".join(chunks)
    status, headers = parse_head(data)
    return Response(status, headers, len(data), seconds, sent_at)


def run(
    endpoint: Endpoint,
    *,
    host: str,
    port: int,
    cookies: list[str],
    connections: int,
    duration: float,
    warmup: float = 1.0,
) -> Sample:
    """Measure `endpoint` with `connections` concurrent connections for `duration` seconds,
    connection i sending cookies[i] (its own session)."""
    if len(cookies) < connections:
        raise ValueError(f"{connections} connections need as many cookies, got {len(cookies)}")
    turn = count()
    lock = threading.Lock()
    sample = Sample(seconds=duration)
    barrier = threading.Barrier(connections + 1)
    window: dict[str, float] = {}

    def connection(index: int) -> None:
        barrier.wait()
        while time.perf_counter() < window["end"]:
            path = endpoint.paths[next(turn) % len(endpoint.paths)]
            body = endpoint.body() if endpoint.body else None
            raw = build_request(
                host=host,
                port=port,
                method=endpoint.method,
                path=path,
                cookie=cookies[index],
                body=body,
            )
            response = send(host, port, raw)
            finished = time.perf_counter()
            outcome = endpoint.check(response) if endpoint.check else None
            if not window["start"] <= finished <= window["end"]:
                continue
            with lock:
                sample.statuses[response.status] += 1
                sample.response_bytes += response.size
                if response.status in endpoint.expect:
                    sample.latencies.append(response.seconds)
                else:
                    sample.errors += 1
                if outcome:
                    sample.outcomes[outcome] += 1

    threads = [
        threading.Thread(target=connection, args=(i,), daemon=True) for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    window["start"] = now + warmup
    window["end"] = now + warmup + duration
    barrier.wait()
    time.sleep(max(0.0, window["start"] - time.perf_counter()))
    cpu_before = time.process_time()
    time.sleep(max(0.0, window["end"] - time.perf_counter()))
    sample.client_cpu_seconds = time.process_time() - cpu_before
    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)
    return sample
