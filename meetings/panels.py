"""meetings' section on the question page (registered with consultation.panels in
MeetingsConfig.ready): when the question is, or was, discussed in a session, with a link to the
session's page for whoever may open it. The generalist and the experts read the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from consultation.models import Status
from expertise.models import ExpertPool
from meetings.models import AgendaItem, Session
from meetings.selectors import discussion_of
from meetings.views.common import user_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from consultation.models import Question


def discussion_panel(request: HttpRequest, question: Question) -> dict[str, Any] | None:
    # A network pool's question never goes on an agenda, and a draft is nowhere yet: no query
    # (the question page's budget for those stays as it was).
    if question.status == Status.DRAFT or (
        question.pool.collaboration_model == ExpertPool.CollaborationModel.NETWORK
    ):
        return None
    item = discussion_of(question=question, user=user_of(request))
    if item is None:
        return None
    discussed = (
        item.status == AgendaItem.Status.DISCUSSED or item.session.status == Session.Status.HELD
    )
    return {
        "template": "meetings/includes/discussion.html",
        "discussion": {
            "item": item,
            "session": item.session,
            "discussed": discussed,
            "coming": not discussed and item.session.starts_at > timezone.now(),
            "link": item.session_visible,  # type: ignore[attr-defined]
        },
    }
