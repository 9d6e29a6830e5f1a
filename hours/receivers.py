"""hours listens to the apps below it: a held session proposes each attendee their time (in
the transaction that marks it held); triage's suggestions read the minutes used this month."""

from __future__ import annotations

from expertise.workload import minutes_source
from hours.selectors import minutes_used
from meetings.models import Session
from meetings.signals import session_held


def _on_session_held(*, session: Session, **_kwargs) -> None:
    from hours.services import time_entry_propose_attendance

    time_entry_propose_attendance(session=session)


def connect() -> None:
    session_held.connect(_on_session_held, sender=Session, dispatch_uid="hours-attendance")
    minutes_source(minutes_used)
