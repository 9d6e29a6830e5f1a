"""Writing millions of rows fast: PostgreSQL COPY on Django's own connection, and the indexes
and constraints of the big tables set aside while it runs.

Rows are text lines in COPY's format (tab-separated, \\N for NULL), buffered per table and sent
in batches by a second thread, so Python builds the next batch while PostgreSQL stores this one
(psycopg2 lets go of the GIL while it waits on the server). Everything goes through the one
connection and so stays in the caller's transaction.

Before the load, the secondary indexes, unique constraints and foreign keys of the big tables are
dropped and their definitions kept (read from pg_catalog, so an index added by a later migration
is handled too); afterwards they are built again in one go, which is far cheaper than
maintaining them row by row, and re-adding a foreign key checks every row against it: what the
generator wrote is validated by PostgreSQL as if the constraints had been there all along.
"""

from __future__ import annotations

import contextlib
import io
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = r"\N"


def esc(text: str) -> str:
    """A text value for COPY."""
    return text.translate(_ESCAPES)


class Loader:
    """Buffers COPY lines per table and sends them from a background thread."""

    def __init__(self, connection, *, tables: dict[str, tuple[str, ...]]):
        connection.ensure_connection()
        self._raw = connection.connection
        self.columns = tables
        self.buffers: dict[str, list[str]] = {name: [] for name in tables}
        self.counts: dict[str, int] = dict.fromkeys(tables, 0)
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._copy_loop, name="scale-copy", daemon=True)
        self._thread.start()

    def rows(self, table: str) -> list[str]:
        """The buffer to append lines to (each ends with a newline)."""
        return self.buffers[table]

    def flush(self) -> None:
        for table, lines in self.buffers.items():
            if lines:
                self.counts[table] += len(lines)
                columns = ", ".join(f'"{c}"' for c in self.columns[table])
                sql = f"COPY {table} ({columns}) FROM STDIN"
                self._put((sql, "".join(lines)))
                # Emptied in place: the writers hold on to these lists.
                lines.clear()

    def finish(self) -> None:
        """Send what is buffered and wait until PostgreSQL has it all."""
        self.flush()
        self._put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """After a failure elsewhere: let the copying thread end (the transaction is rolled
        back by the caller)."""
        if self._thread.is_alive():
            self._error = self._error or RuntimeError("abandoned")
            with contextlib.suppress(queue.Full):  # the thread drains the queue on error
                self._queue.put(None, timeout=60)
            self._thread.join(timeout=600)

    def _put(self, item) -> None:
        while True:
            if self._error is not None:
                raise self._error
            try:
                self._queue.put(item, timeout=1)
                return
            except queue.Full:
                continue

    def _copy_loop(self) -> None:
        cursor = self._raw.cursor()
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                if self._error is None:
                    sql, data = item
                    cursor.copy_expert(sql, io.StringIO(data), size=1 << 20)
        except BaseException as exc:  # handed to the main thread at its next put or finish
            self._error = exc
            while self._queue.get() is not None:  # let the producer finish quickly
                pass
        finally:
            cursor.close()


@dataclass(frozen=True)
class SetAside:
    """What was dropped from a table before the load, to be built again after it."""

    table: str
    indexes: list[tuple[str, str]]  # (name, CREATE INDEX …)
    uniques: list[tuple[str, str]]  # (name, constraint definition)
    foreign_keys: list[tuple[str, str]]


def set_aside(cursor, tables: Iterable[str]) -> list[SetAside]:
    """Drop the secondary indexes, unique constraints and foreign keys of `tables` (primary keys
    and check constraints stay) and return how to restore them."""
    result = []
    for table in tables:
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname
            """,
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS (
                SELECT 1 FROM pg_constraint k
                WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')
            )
            ORDER BY c.relname
            """,
            [table],
        )
        indexes = cursor.fetchall()
        aside = SetAside(
            table=table,
            indexes=[(name, definition) for name, definition in indexes],
            uniques=[(name, d) for name, d, kind in constraints if kind == "u"],
            foreign_keys=[(name, d) for name, d, kind in constraints if kind == "f"],
        )
        for name, _ in aside.foreign_keys + aside.uniques:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in aside.indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        result.append(aside)
    return result


def restore(cursor, set_aside: list[SetAside], *, report: Callable[[str], None]) -> None:
    """Build the indexes and unique constraints again, then the foreign keys (which check every
    row)."""
    for aside in set_aside:
        started = time.monotonic()
        for _name, definition in aside.indexes:
            cursor.execute(definition)
        for name, definition in aside.uniques:
            cursor.execute(f'ALTER TABLE {aside.table} ADD CONSTRAINT "{name}" {definition}')
        if aside.indexes or aside.uniques:
            count = len(aside.indexes) + len(aside.uniques)
            report(f"  {aside.table}: {count} indexes ({time.monotonic() - started:.1f} s)")
    for aside in set_aside:
        started = time.monotonic()
        for name, definition in aside.foreign_keys:
            cursor.execute(f'ALTER TABLE {aside.table} ADD CONSTRAINT "{name}" {definition}')
        if aside.foreign_keys:
            count = len(aside.foreign_keys)
            seconds = time.monotonic() - started
            report(f"  {aside.table}: {count} foreign keys checked ({seconds:.1f} s)")
