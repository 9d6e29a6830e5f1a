"""Service-level clocks in working days: weekends and Dutch public holidays don't count.

A pool's targets are in working days (defaults: triaged within 2, first advice within 5 — the
eConsult services answer 94 % within a week). A question submitted at 15:00 on a Friday with a
2-day target is due at 15:00 on Tuesday; one submitted on a Saturday starts counting on Monday
at 00:00. Late is past the target, very late past three times the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    # The `holidays` package's Dutch calendar: New Year, Good Friday, Easter, King's Day (26
    # April when the 27th is a Sunday), Liberation Day in lustrum years, Ascension, Whitsun,
    # Christmas. Extra local days off can be added in settings.
    days = set(holidays.country_holidays("NL", years=year))
    days |= {d for d in getattr(settings, "TRIAGE_EXTRA_HOLIDAYS", []) if d.year == year}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days after `start` (same time of day, Amsterdam time)."""
    local = timezone.localtime(start, AMSTERDAM)
    if not is_working_day(local.date()):
        day = local.date()
        while not is_working_day(day):
            day += timedelta(days=1)
        local = datetime.combine(day, time.min, tzinfo=AMSTERDAM)
    day, remaining = local.date(), days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class Clock:
    started: datetime
    target_days: int
    now: datetime

    @property
    def due(self) -> datetime:
        return add_working_days(self.started, self.target_days)

    @property
    def very_late_at(self) -> datetime:
        return add_working_days(self.started, 3 * self.target_days)

    @property
    def time_left(self) -> timedelta:
        return self.due - self.now

    @property
    def is_late(self) -> bool:
        return self.now > self.due

    @property
    def is_very_late(self) -> bool:
        return self.now > self.very_late_at

    @property
    def state(self) -> str:
        if self.is_very_late:
            return "very_late"
        if self.is_late:
            return "late"
        return "on_time"


def clock(started: datetime, target_days: int, now: datetime | None = None) -> Clock:
    return Clock(started=started, target_days=target_days, now=now or timezone.now())


def late_since(target_days: int, now: datetime) -> datetime:
    """The latest start whose clock of `target_days` has run out at `now`: a clock started at
    or before it is late. For the queries that list late questions (triage.selectors): the due
    moment grows with the start, so a bisection over the start finds the edge to the second."""
    low = now - timedelta(days=3 * target_days + 30)  # surely late (holidays included)
    high = now  # surely not late
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if add_working_days(middle, target_days) < now:
            low = middle
        else:
            high = middle
    return low
