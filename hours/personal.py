"""Reads of the expert's own hours ("Mijn uren") and of the advice-time panel on the question
page: the month chosen, its usage per pool against the cap, its entries, and which of the
expert's advice has its time registered. Each is a fixed number of queries, whatever the rows;
they read through hours.selectors (the one chokepoint)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from consultation.models import Message
from hours.models import TimeEntry
from hours.selectors import (
    WARN_AT,
    Usage,
    billable,
    entries_visible_to,
    month_of,
    usage_of,
    with_references,
)
from meetings.models import AgendaItem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from accounts.models import User

MONTH = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR = 2000


def chosen_month(raw: str | None, *, today: date | None = None) -> tuple[date, bool]:
    """(the first day of the month asked for, whether it was understood). No value is this
    month; a value that is no month ("2024-13", "gisteren") or a month to come is this month
    too, and False: the page says so."""
    this_month = month_of(today or timezone.localdate())[0]
    if not raw:
        return this_month, True
    found = MONTH.fullmatch(raw.strip())
    if found is None:
        return this_month, False
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12 or year < FIRST_YEAR:
        return this_month, False
    first = date(year, month, 1)
    if first > this_month:
        return this_month, False
    return first, True


@dataclass(frozen=True)
class PoolMonth:
    """One pool's month of the expert, as the page shows it against the cap."""

    usage: Usage

    @property
    def pool(self):
        return self.usage.pool

    @property
    def meter_value(self) -> int:
        return min(self.usage.used, self.usage.cap)

    @property
    def warn_from(self) -> int:
        """From this many minutes on the page warns (80 % of the cap)."""
        return math.ceil(self.usage.cap * WARN_AT)

    @property
    def reached(self) -> bool:
        """The cap is full: what comes beyond it needs approval."""
        return self.usage.used >= self.usage.cap

    @property
    def over(self) -> int:
        """Minutes approved beyond the cap."""
        return max(self.usage.used - self.usage.cap, 0)


def month_usage(*, expert: User, month: date) -> list[PoolMonth]:
    """Every pool the expert serves or registered time for, in `month`: two queries."""
    return [PoolMonth(usage) for usage in usage_of(expert=expert, day=month)]


def month_entries(*, expert: User, month: date) -> QuerySet[TimeEntry]:
    """The expert's own entries of the month, newest first; proposals still to confirm are
    shown apart (hours.selectors.proposals_for)."""
    first, after = month_of(month)
    return (
        with_references(entries_visible_to(user=expert))
        .filter(expert=expert, date__gte=first, date__lt=after)
        .exclude(status=TimeEntry.Status.PROPOSED)
        .order_by("-date", "-pk")
    )


def own_entry(*, expert: User, pk: int) -> TimeEntry:
    """One of the expert's own entries, or TimeEntry.DoesNotExist (a 404): a planner sees the
    pool's entries through the chokepoint, but corrects and confirms only their own."""
    return with_references(entries_visible_to(user=expert).filter(expert=expert)).get(pk=pk)


def correctable(entry: TimeEntry) -> bool:
    """What hours.services.time_entry_correct accepts: confirmed or approved time that is not
    a correction itself. An exported (locked) entry too: its correction is a new entry."""
    return entry.activity != TimeEntry.Activity.CORRECTION and entry.status in TimeEntry.BILLABLE


def corrections_of(entry: TimeEntry, *, most: int = 20) -> list[TimeEntry]:
    """The entry's corrections, oldest first (a handful at most): one query."""
    return list(entry.corrections.order_by("created_at", "pk")[:most])


@dataclass(frozen=True)
class AdviceTime:
    """One written advice of the expert on the question, and the time registered for it."""

    message: Message
    minutes: int | None  # None: no time registered yet
    counted: int | None  # with its billable corrections
    status: str | None

    @property
    def registered(self) -> bool:
        return self.minutes is not None

    @property
    def awaiting_approval(self) -> bool:
        return self.status == TimeEntry.Status.AWAITING_APPROVAL


def advice_times(*, expert: User, messages: Sequence[Message]) -> list[AdviceTime]:
    """For the expert's own written advice among `messages` (the question page's thread,
    read already): the time registered for each. No advice of theirs: no query; else one,
    which also leaves out the advice recorded for a session (its time is the attendance) and
    says whether they are an expert at all (a coordinator writes advice without being one)."""
    mine = [m for m in messages if m.kind == Message.Kind.ADVICE and m.author_id == expert.pk]
    if not mine:
        return []
    advice_entries = TimeEntry.objects.filter(
        message=OuterRef("pk"), activity=TimeEntry.Activity.ADVICE
    )
    corrections = (
        billable(TimeEntry.objects.filter(corrects__message=OuterRef("pk")))
        .values("corrects__message")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    rows = {
        pk: (minutes, correction, status)
        for pk, minutes, correction, status in Message.objects.filter(
            pk__in=[m.pk for m in mine], author=expert, kind=Message.Kind.ADVICE
        )
        .exclude(Exists(AgendaItem.objects.filter(outcome=OuterRef("pk"))))
        .filter(author__expert_profile__isnull=False)
        .annotate(
            minutes=Subquery(advice_entries.values("minutes")[:1]),
            correction=Coalesce(Subquery(corrections), Value(0), output_field=IntegerField()),
            entry_status=Subquery(advice_entries.values("status")[:1]),
        )
        .values_list("pk", "minutes", "correction", "entry_status")
    }
    return [
        AdviceTime(
            message=m,
            minutes=rows[m.pk][0],
            counted=None if rows[m.pk][0] is None else rows[m.pk][0] + rows[m.pk][1],
            status=rows[m.pk][2],
        )
        for m in mine
        if m.pk in rows
    ]
