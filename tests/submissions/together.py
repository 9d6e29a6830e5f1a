"""Two (or more) requests at once, each in its own thread on its own PostgreSQL connection
(Django gives every thread its own), released together by a barrier; and a claim that holds
its uncommitted row a moment, so the second request really meets it on the unique index."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

HOLD_SECONDS = 0.4


def run_together(works: list[Callable[[], Any]], *, errors: bool = False) -> list[dict]:
    """Run each work in its own thread at once; one record per work: value or error, the
    backend pid it used, and when it started and ended. An error fails the test unless
    `errors` (the caller asserts on them)."""
    barrier = threading.Barrier(len(works))
    records: list[dict] = [{} for _ in works]

    def body(i: int) -> None:
        record = records[i]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                record["pid"] = cursor.fetchone()[0]
            barrier.wait(timeout=30)
            record["start"] = time.monotonic()
            try:
                record["value"] = works[i]()
            except Exception as exc:  # noqa: BLE001 - recorded and asserted on
                record["error"] = exc
            record["end"] = time.monotonic()
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    if not errors:
        assert [r.get("error") for r in records] == [None] * len(works), records
    assert len({r["pid"] for r in records}) == len(works), "requests shared a connection"
    return records


def holding_claims(monkeypatch, module) -> list[float]:
    """Make `module.submission_claim` hold a first claim (its row inserted, not yet committed)
    for HOLD_SECONDS before the work goes on. Returns the list of moments a first claim was
    made, to show the other request waited for it."""
    real = module.submission_claim
    claimed_at: list[float] = []

    def claim(**kwargs):
        result = real(**kwargs)
        if result.first:
            claimed_at.append(time.monotonic())
            time.sleep(HOLD_SECONDS)
        return result

    monkeypatch.setattr(module, "submission_claim", claim)
    return claimed_at


def assert_the_second_waited(records: list[dict], claimed_at: list[float]) -> None:
    """Exactly one claim was first; the others started before it was committed and ended only
    after it (they waited on the unique index rather than arriving later)."""
    assert len(claimed_at) == 1
    starts = sorted(r["start"] for r in records)
    assert starts[-1] - starts[0] < HOLD_SECONDS, "the requests did not overlap"
    assert all(r["end"] - claimed_at[0] >= HOLD_SECONDS * 0.9 for r in records)
