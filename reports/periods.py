"""Periods, working days and the order statistics the municipality reports are made of.

Working days are the triage clock's (triage.clock: weekends and Dutch public holidays do not
count, TRIAGE_EXTRA_HOLIDAYS neither). Elapsed working time is measured so that it agrees with
the clock: `working_days_between(t, add_working_days(t, n)) == n`. A working day counts as a
whole day of 24 hours; time on a weekend or a holiday does not count at all, so a question
submitted on Saturday starts counting on Monday at 00:00, as its clock does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from triage.clock import AMSTERDAM, is_working_day

_EPOCH_YEAR = 1990  # working days are counted from 1 January of this year


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included (Amsterdam dates)."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def month(cls, day: date) -> Period:
        first = day.replace(day=1)
        return cls(first, first + relativedelta(months=1) - timedelta(days=1))

    @classmethod
    def quarter(cls, day: date) -> Period:
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return cls(first, first + relativedelta(months=3) - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def since(self) -> datetime:
        """The first moment of the period (aware, Amsterdam midnight)."""
        return datetime.combine(self.start, time.min, tzinfo=AMSTERDAM)

    @property
    def until(self) -> datetime:
        """The first moment after the period: filter with `__lt`."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=AMSTERDAM)

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def last_quarter(self) -> Period:
        """The calendar quarter the period ends in ("asked nothing this quarter")."""
        return Period.quarter(self.end)


# --- Working days ---------------------------------------------------------------------------------
@lru_cache(maxsize=128)
def _year(year: int) -> tuple[int, ...]:
    """For each day of `year` (index: day of the year - 1) the number of working days before
    it in that year, and at the end the year's total."""
    counts, running, day = [], 0, date(year, 1, 1)
    while day.year == year:
        counts.append(running)
        running += is_working_day(day)
        day += timedelta(days=1)
    counts.append(running)
    return tuple(counts)


@lru_cache(maxsize=64)
def _years_before(year: int) -> int:
    if year <= _EPOCH_YEAR:
        return 0
    return _years_before(year - 1) + _year(year - 1)[-1]


def working_days_before(day: date) -> int:
    """How many working days lie between the epoch and `day` (not counting `day`)."""
    return _years_before(day.year) + _year(day.year)[day.timetuple().tm_yday - 1]


_DAY_US = 86_400_000_000  # a working day in microseconds


@lru_cache(maxsize=8192)
def _day_position(day: date) -> tuple[int, bool]:
    """Where `day` begins on the line below, and whether it is a working day: per day, once
    (the dashboard's timing measures some 30,000 intervals at 500,000 questions; working them
    out for each moment again was a third of its time)."""
    return working_days_before(day) * _DAY_US, is_working_day(day)


def _position(moment: datetime) -> int:
    """`moment` on a line on which only working days have length, in microseconds (whole
    numbers: "exactly 7 working days" compares exactly)."""
    if timezone.is_naive(moment):
        raise ValueError("working days are measured between aware moments")
    local = moment.astimezone(AMSTERDAM)
    position, working = _day_position(local.date())
    if working:
        # Wall-clock time, as the clock keeps the time of day across a DST change.
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        position += seconds * 1_000_000 + local.microsecond
    return position


def working_days_between(start: datetime, end: datetime) -> float:
    """Elapsed working time from `start` to `end`, in working days (negative if end < start)."""
    return (_position(end) - _position(start)) / _DAY_US


# --- Order statistics -----------------------------------------------------------------------------
def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The percentile by linear interpolation between the closest ranks: the same as
    PostgreSQL's percentile_cont(fraction). None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 0.5)


@dataclass(frozen=True)
class Distribution:
    """Durations in working days: how many, the median and the 90th percentile (rounded to a
    tenth of a day, as shown), and which share lies within a limit."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Distribution:
        def rounded(value):
            return None if value is None else round(value, 1)

        return cls(len(values), rounded(median(values)), rounded(percentile(values, 0.9)))


@dataclass(frozen=True)
class Share:
    """`count` out of `total`. Kept as the two counts, so that suppression can see how many
    people a share is about (reports.suppression.shown_share)."""

    count: int
    total: int

    @property
    def value(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else round(100 * self.count / self.total, 1)
