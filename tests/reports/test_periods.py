"""Periods, working days and percentiles (reports/periods.py)."""

from datetime import date, datetime, timedelta

import pytest

from reports.periods import Distribution, Period, median, percentile, working_days_between
from triage.clock import AMSTERDAM, add_working_days


def at(y, m, d, h=0, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (at(2025, 6, 2, 9), at(2025, 6, 2, 21), 0.5),  # same day
        (at(2025, 6, 6, 15), at(2025, 6, 10, 15), 1.0),  # Fri -> Tue over Whit Monday
        (at(2025, 6, 7, 10), at(2025, 6, 8, 22), 0.0),  # a weekend counts nothing
        (at(2025, 6, 7, 10), at(2025, 6, 10, 6), 0.25),  # Sat -> Tue 06:00: Tuesday only
        (at(2025, 12, 24, 12), at(2025, 12, 29, 12), 1.0),  # Christmas, both days, and Sunday
        (at(2025, 4, 25, 12), at(2025, 4, 28, 12), 1.0),  # King's Day 2025 is a Saturday
        (at(2025, 3, 28, 12), at(2025, 3, 31, 12), 1.0),  # across the DST change (wall clock)
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_working_days_agree_with_the_triage_clock():
    start = at(2024, 12, 20, 14, 30)
    for step in range(0, 24 * 40, 7):
        moment = start + timedelta(hours=step)
        for n in (1, 2, 5, 7):
            assert working_days_between(moment, add_working_days(moment, n)) == n


def test_percentiles_are_percentile_cont():
    values = [0.75, 1, 2, 3, 5, 7, 8]
    assert median(values) == 3
    assert percentile(values, 0.9) == pytest.approx(7.4)
    assert median([4, 4, 5, 9]) == 4.5
    assert percentile([], 0.5) is None
    assert Distribution.of([]) == Distribution(0, None, None)
    assert Distribution.of([1, 2]) == Distribution(2, 1.5, 1.9)


def test_periods():
    q2 = Period.quarter(date(2025, 5, 17))
    assert (q2.start, q2.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert q2.months() == [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    assert q2.since == at(2025, 4, 1)
    assert q2.until == at(2025, 7, 1)
    assert Period(date(2025, 1, 15), date(2025, 8, 3)).last_quarter() == Period.quarter(
        date(2025, 8, 1)
    )
    assert Period.month(date(2024, 2, 10)).end == date(2024, 2, 29)
    with pytest.raises(ValueError):
        Period(date(2025, 2, 1), date(2025, 1, 1))


def test_a_filter_is_about_one_municipality_or_one_region():
    from reports.scope import ReportFilter

    period = Period.year(2025)
    with pytest.raises(ValueError):
        ReportFilter(period=period)
    with pytest.raises(ValueError):
        ReportFilter(period=period, municipality_id=1, region_id=2)
    f = ReportFilter(period=period, municipality_id=1, team_ids=(3, 2, 3))
    assert f.team_ids == (2, 3)
    assert not f.is_region
