"""hours' section on the question page (registered with consultation.panels in
HoursConfig.ready): right after an expert sent written advice, the time it took, to register
in minutes; once registered, the minutes registered. Only the advice's own author sees it.

Its cost: nothing for whoever wrote no advice on the question (the thread is read already),
nor for someone who is not an expert (their roles are read once per request anyway, for the
navigation); one query for the author (hours.personal.advice_times)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.roles import Role, request_roles
from consultation.models import Message
from hours.mine_forms import AdviceTimeForm
from hours.personal import advice_times

if TYPE_CHECKING:
    from django.http import HttpRequest

    from consultation.models import Question


def advice_time_panel(request: HttpRequest, question: Question) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    thread = question.messages.all()  # prefetched by the question page's selector
    if not any(m.kind == Message.Kind.ADVICE and m.author_id == user.pk for m in thread):
        return None
    if Role.EXPERT not in request_roles(request):
        return None
    times = advice_times(expert=user, messages=thread)  # type: ignore[arg-type]
    if not times:
        return None
    return {
        "template": "hours/includes/advice_time.html",
        "advice_times": [
            (time, None if time.registered else AdviceTimeForm(message_pk=time.message.pk))
            for time in times
        ],
    }
