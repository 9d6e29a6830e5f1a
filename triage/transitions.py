"""The moves triage adds to the one question state machine (consultation.workflow)."""

from consultation.models import Status as S
from consultation.workflow import allow


def register() -> None:
    allow(S.IN_TRIAGE, S.ANSWERED, S.ASSIGNED, S.SCHEDULED, S.REDIRECTED)
    # A declining expert sends the question back to the queue.
    allow(S.ASSIGNED, S.IN_TRIAGE)
