"""A real SMTP server for the fault tests (aiosmtpd, in a thread of the test process): it records
every message it accepts, and can act at the worst moment of a hand-off — the message's data
has arrived, the sender has not yet heard "250 OK" (so has not marked the row sent)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes

from aiosmtpd.controller import Controller

from tests.faults.stack import free_port


@dataclass(frozen=True)
class Received:
    message_id: str
    to: tuple[str, ...]
    subject: str


class MailServer:
    def __init__(self, on_data: Callable[[Received], None] | None = None):
        self.port = free_port()
        self.on_data = on_data
        self.slow_reply: Callable[[Received], bool] | None = None
        self.slow_reply_seconds = 3.0
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.content)
        received = Received(
            message_id=str(parsed["Message-ID"]).strip(),
            to=tuple(envelope.rcpt_tos),
            subject=str(parsed["Subject"]),
        )
        with self._lock:
            self._received.append(received)
        if self.on_data is not None:
            self.on_data(received)
        if self.slow_reply is not None and self.slow_reply(received):
            # The message is here (and would be delivered), but "250 OK" comes too late for
            # the sender's timeout.
            await asyncio.sleep(self.slow_reply_seconds)
        return "250 Message accepted for delivery"

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def copies(self) -> Counter:
        """How many messages arrived per Message-ID."""
        return Counter(message.message_id for message in self.received)
