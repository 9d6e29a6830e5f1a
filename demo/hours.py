"""The demo's hours: the time of each written advice by an expert, registered as the expert
would right after sending it; the attendance of the held session confirmed by all but one
(whose proposal waits on "Mijn uren"). Through the hours services, so the caps count as they
do for real."""

from __future__ import annotations

from collections.abc import Callable

from consultation.models import Message
from demo.history import history_q
from hours.models import TimeEntry
from hours.services import time_entry_confirm, time_entry_register_advice


def _minutes(message: Message) -> int:
    """20 to 55 minutes, the same for the same advice on every load."""
    return 20 + (message.pk * 7) % 8 * 5


def load_demo_hours(*, report: Callable[[str], None] = lambda line: None) -> None:
    advice = (
        Message.objects.filter(kind=Message.Kind.ADVICE, author__expert_profile__isnull=False)
        # Registered before (a second load; the history's, demo.history): the service would
        # return the entry it has, at three queries an advice.
        .exclude(time_entries__activity=TimeEntry.Activity.ADVICE)
        # The history's advice keeps the hours the history gave it (some none): a second load
        # must not book them now.
        .exclude(history_q("question__"))
        .select_related("author", "question")
        .order_by("created_at", "pk")
    )
    for message in advice:
        time_entry_register_advice(
            expert=message.author, message=message, minutes=_minutes(message)
        )
    proposals = list(
        TimeEntry.objects.filter(status=TimeEntry.Status.PROPOSED)
        .select_related("expert")
        .order_by("expert__email")
    )
    # The demo expert's proposal stays to confirm, so that "Mijn uren" shows one.
    for entry in proposals:
        if entry.expert.email.startswith("expert@"):
            continue
        time_entry_confirm(expert=entry.expert, entry=entry)
    report("Experts' hours… done")
