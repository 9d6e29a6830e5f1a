"""The demo's clock: the script says "so many working days ago, at HH:MM"; this turns that into a
moment in the past, relative to when loading began."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from demo.script import TODAY


class Clock:
    """Turns (working days ago, HH:MM) into a moment in the past: never later than the moment
    loading began, and strictly increasing within one case."""

    def __init__(self, now: datetime):
        self.now = now
        self.latest = now - timedelta(seconds=1)
        self.previous: datetime | None = None

    def start_case(self) -> None:
        self.previous = None

    def at(self, days_ago: int, hhmm: str) -> datetime:
        """`days_ago` counts working days: wijkteams and experts work on weekdays. TODAY is
        today, whatever day that is, `hhmm` (H:MM) before loading began."""
        if days_ago == TODAY:
            return self._today(hhmm)
        day = timezone.localdate(self.now)
        for _ in range(days_ago):
            day -= timedelta(days=1)
            while day.weekday() >= 5:
                day -= timedelta(days=1)
        while day.weekday() >= 5:  # day 0 on a weekend
            day -= timedelta(days=1)
        hour, minute = (int(part) for part in hhmm.split(":"))
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        if self.previous is not None and moment <= self.previous:
            moment = self.previous + timedelta(minutes=3)
        moment = min(moment, self.latest)
        self.previous = moment
        return moment

    def _today(self, before: str) -> datetime:
        hours, minutes = (int(part) for part in before.split(":"))
        midnight = timezone.make_aware(datetime.combine(timezone.localdate(self.now), time.min))
        moment = max(self.now - timedelta(hours=hours, minutes=minutes), midnight)
        if self.previous is not None and moment <= self.previous:
            moment = self.previous + timedelta(minutes=1)
        moment = min(moment, self.latest)
        self.previous = moment
        return moment


def birth_date(today: date, age: int, offset: int) -> date:
    """A birth date at which the resident is `age` today: `offset` days after a birthday."""
    last_birthday = today - timedelta(days=offset)
    try:
        return last_birthday.replace(year=last_birthday.year - age)
    except ValueError:  # 29 February
        return last_birthday.replace(year=last_birthday.year - age, day=28)
