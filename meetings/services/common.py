"""What every session write shares: the planner check, the session lock, and the hook that
tells the invitees (invitations and updates go out on commit, meetings.invitations)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import Session
from meetings.selectors import may_plan

if TYPE_CHECKING:
    from accounts.models import User
    from expertise.models import ExpertPool


def require_planner(*, user: User, pool: ExpertPool | int) -> None:
    if not may_plan(user=user, pool=pool):
        raise PermissionDenied(_("Only the pool's triage workers and coordinators plan sessions."))


def session_for_update(*, session: Session | int) -> Session:
    """The session row, locked for this transaction (inside transaction.atomic)."""
    pk = session if isinstance(session, int) else session.pk
    return Session.objects.select_for_update(of=("self",)).select_related("pool").get(pk=pk)


def announce(session: Session) -> None:
    """After commit, send every invitee what changed (the invitation, an update with a higher
    SEQUENCE, or the cancellation). Registered by meetings.invitations when present."""
    for hook in ANNOUNCE_HOOKS:
        transaction.on_commit(partial(hook, session.pk))


# Functions of one argument (the session id) run after commit of every change of a session.
ANNOUNCE_HOOKS: list[Callable[[int], None]] = []
