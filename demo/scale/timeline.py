"""Time in the synthetic data: a fixed base moment and working hours before it.

Everything happens on working days (weekends and Dutch public holidays skipped, the calendar of
triage.clock) between 08:00 and 18:00, Amsterdam time. The generator counts time in *working
days*: w = 3.25 is a quarter into the fourth working day (10:30). That makes "two working days
later" an addition, and it is exactly how the triage clocks count (triage.clock.add_working_days
keeps the time of day), so a service-level deadline is `submitted + target_days`.

No row gets the real current time: the data set ends at BASE (DESIGN: the same seed gives the
same data), like the demo's clock but fixed (demo.clock moves with the moment of loading).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from math import sqrt
from zoneinfo import ZoneInfo

from triage.clock import is_working_day

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The data set ends here: a Monday at 17:00. Fixed, so two runs give the same rows.
BASE_DATE = date(2026, 11, 30)
BASE_TIME = time(17, 0)
HISTORY_YEARS = 5
DAY_START = 8 * 3600  # 08:00
DAY_SECONDS = 10 * 3600  # until 18:00
DIGEST_TIME = time(7, 0)  # consultation.tasks.send_daily_digests (beat: crontab 07:00)

# "HH:MM:SS" for every second of a day, and the date part per day: formatting a timestamp for
# COPY is then two lookups (millions of them).
_CLOCK = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]


class Timeline:
    def __init__(self, base_date: date = BASE_DATE, years: int = HISTORY_YEARS):
        first = base_date - timedelta(days=366 * years + 60)
        last = base_date + timedelta(days=400)  # events after BASE are cut, but may be planned
        self.dates: list[date] = []
        self.starts: list[int] = []  # epoch seconds of 08:00 on each working day
        day = first
        while day <= last:
            if is_working_day(day):
                self.dates.append(day)
                self.starts.append(_epoch(day, time(8, 0)))
            day += timedelta(days=1)
        # The digests, every calendar day at 07:00 (weekends too).
        self.digests: list[int] = []
        day = first
        while day <= last + timedelta(days=7):
            self.digests.append(_epoch(day, DIGEST_TIME))
            day += timedelta(days=1)
        index = self.dates.index(base_date)
        self.base = index + (BASE_TIME.hour * 3600 - DAY_START) / DAY_SECONDS
        self.base_epoch = self.epoch(self.base)
        horizon = base_date - timedelta(days=365 * years)
        self.history = len([d for d in self.dates if horizon < d <= base_date])
        self.start = self.base - self.history
        self._day_text: dict[int, str] = {}

    # --- conversions ------------------------------------------------------------------------
    def epoch(self, w: float) -> int:
        day = int(w)
        return self.starts[day] + int((w - day) * DAY_SECONDS)

    def datetime(self, w: float) -> datetime:
        return datetime.fromtimestamp(self.epoch(w), UTC)

    def ts(self, w: float | None) -> str:
        r"""The timestamp as COPY reads it (UTC), or \N."""
        if w is None:
            return r"\N"
        return self.ts_epoch(self.epoch(w))

    def ts_epoch(self, seconds: int) -> str:
        day, rest = divmod(seconds, 86400)
        text = self._day_text.get(day)
        if text is None:
            text = self._day_text[day] = datetime.fromtimestamp(day * 86400, UTC).strftime(
                "%Y-%m-%d "
            )
        return text + _CLOCK[rest] + "+00"

    def date_of(self, w: float) -> date:
        return self.dates[int(w)]

    def digest_after(self, w: float) -> int:
        """Epoch seconds of the first daily digest after `w`."""
        return self.digests[bisect_right(self.digests, self.epoch(w))]

    # --- sampling ---------------------------------------------------------------------------
    def sample_created(self, u: float) -> float:
        """A moment in the history for a uniform `u`: more recent years are busier (the
        density grows linearly from 0.4 to 1.6 times the average over the years)."""
        x = (-0.4 + sqrt(0.16 + 2.4 * u)) / 1.2
        return self.start + x * self.history


def _epoch(day: date, at: time) -> int:
    return int(datetime.combine(day, at, tzinfo=AMSTERDAM).timestamp())
