"""Sections that apps above consultation add to the question page, without consultation
importing them (the layers run one way: meetings sits above consultation). An app registers a
panel in its AppConfig.ready(), as expertise does with accounts.roles.role_source:

    question_panel(discussion_panel)

A panel is a function (request, question) -> a dict with "template" and what that template
reads, or None when it has nothing to show. The question page includes each one it gets, in
the order they were registered; a panel reads what it needs itself (and should read nothing
for a question it cannot concern, so the page's query budget holds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from consultation.models import Question

Panel = Callable[["HttpRequest", "Question"], dict[str, Any] | None]

_PANELS: list[Panel] = []


def question_panel(panel: Panel) -> None:
    """Register `panel` (once: ready() may run twice in tests)."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(request: HttpRequest, question: Question) -> list[dict[str, Any]]:
    return [shown for panel in _PANELS if (shown := panel(request, question)) is not None]
