"""Working-day clocks (issue 4): weekends and Dutch public holidays don't count, the time of day
is kept (also across a DST change), late is past the target and very late past three times it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.triage.factories import AMSTERDAM, at
from triage.clock import Clock, _holidays, add_working_days, clock, is_working_day


# --- Weekends ------------------------------------------------------------------------------------
def test_friday_afternoon_plus_two_working_days_is_tuesday_afternoon():
    due = add_working_days(at(2026, 3, 6, 15), 2)  # Friday
    assert due == at(2026, 3, 10, 15)
    assert due.weekday() == 1  # Tuesday


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (at(2026, 3, 2, 9), 0, at(2026, 3, 2, 9)),  # Monday + 0: now
        (at(2026, 3, 2, 9), 1, at(2026, 3, 3, 9)),  # Monday + 1: Tuesday
        (at(2026, 3, 6, 15), 1, at(2026, 3, 9, 15)),  # Friday + 1: Monday
        (at(2026, 3, 6, 15), 5, at(2026, 3, 13, 15)),  # a working week
        (at(2026, 3, 6, 15), 6, at(2026, 3, 16, 15)),  # 3x a 2-day target: two weekends
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize("weekend_day", [at(2026, 3, 7, 11, 30), at(2026, 3, 8, 22, 45)])
def test_a_start_in_the_weekend_counts_from_monday_midnight(weekend_day):
    assert add_working_days(weekend_day, 0) == at(2026, 3, 9, 0)
    assert add_working_days(weekend_day, 1) == at(2026, 3, 10, 0)
    assert add_working_days(weekend_day, 2) == at(2026, 3, 11, 0)


def test_a_start_on_a_public_holiday_counts_from_the_next_working_day_midnight():
    # King's Day 2026 (Monday) at 10:00: counting starts Tuesday 00:00.
    assert add_working_days(at(2026, 4, 27, 10), 0) == at(2026, 4, 28, 0)
    assert add_working_days(at(2026, 4, 27, 10), 1) == at(2026, 4, 29, 0)
    # Christmas Day 2025 (Thursday): Boxing Day and the weekend too, so Monday 29 December.
    assert add_working_days(at(2025, 12, 25, 9), 1) == at(2025, 12, 30, 0)


def test_the_start_is_taken_in_amsterdam_time_whatever_its_timezone():
    # 14:00 UTC on a Friday in winter is 15:00 in Amsterdam.
    assert add_working_days(datetime(2026, 3, 6, 14, tzinfo=UTC), 2) == at(2026, 3, 10, 15)
    # 23:30 UTC on Friday is already Saturday 00:30 in Amsterdam: counting starts on Monday.
    assert add_working_days(datetime(2026, 3, 6, 23, 30, tzinfo=UTC), 1) == at(2026, 3, 10, 0)
    # The result is an Amsterdam time.
    assert add_working_days(at(2026, 3, 6), 1).tzinfo is not None


# --- Dutch public holidays ---------------------------------------------------------------------
def test_kings_day_2026_is_a_monday_off():
    assert date(2026, 4, 27).weekday() == 0
    assert not is_working_day(date(2026, 4, 27))
    # Friday 24 April + 1 skips the weekend and King's Day: Tuesday 28 April.
    assert add_working_days(at(2026, 4, 24), 1) == at(2026, 4, 28)
    assert add_working_days(at(2026, 4, 24), 2) == at(2026, 4, 29)


def test_kings_day_2025_moves_to_the_26th_because_the_27th_is_a_sunday():
    assert date(2025, 4, 27).weekday() == 6
    assert date(2025, 4, 26) in _holidays(2025)
    assert date(2025, 4, 27) not in _holidays(2025)
    # It is not moved to a working day: the Friday before and Monday after are normal days.
    assert is_working_day(date(2025, 4, 25))
    assert is_working_day(date(2025, 4, 28))
    assert add_working_days(at(2025, 4, 25), 1) == at(2025, 4, 28)


def test_christmas_2026():
    # Thursday 24 December + 1: Christmas (Friday) and the weekend (incl. Boxing Day) skipped.
    assert add_working_days(at(2026, 12, 24), 1) == at(2026, 12, 28)
    assert not is_working_day(date(2026, 12, 25))


def test_christmas_2025_both_days_on_weekdays():
    # Wednesday 24 December + 1: Thursday 25 and Friday 26 are both days off.
    assert not is_working_day(date(2025, 12, 25))
    assert not is_working_day(date(2025, 12, 26))
    assert add_working_days(at(2025, 12, 24), 1) == at(2025, 12, 29)
    assert add_working_days(at(2025, 12, 24), 2) == at(2025, 12, 30)


def test_new_year_across_the_year_boundary():
    # Wednesday 31 December 2025 + 1: New Year's Day (Thursday) skipped.
    assert not is_working_day(date(2026, 1, 1))
    assert add_working_days(at(2025, 12, 31), 1) == at(2026, 1, 2)
    # A five-day target from Christmas Eve 2026 crosses into 2027 (1 January is a Friday).
    assert add_working_days(at(2026, 12, 24), 5) == at(2027, 1, 4)


def test_easter_monday():
    assert not is_working_day(date(2026, 4, 6))
    # Thursday 2 April + 1: Good Friday (in the calendar), the weekend and Easter Monday skipped.
    assert add_working_days(at(2026, 4, 2), 1) == at(2026, 4, 7)
    # Easter Monday 2025 too.
    assert add_working_days(at(2025, 4, 17), 1) == at(2025, 4, 22)


def test_ascension_day():
    assert date(2026, 5, 14).weekday() == 3
    assert not is_working_day(date(2026, 5, 14))
    assert add_working_days(at(2026, 5, 13), 1) == at(2026, 5, 15)


def test_whit_monday():
    assert not is_working_day(date(2026, 5, 25))
    assert add_working_days(at(2026, 5, 22), 1) == at(2026, 5, 26)


def test_liberation_day_only_in_lustrum_years():
    assert not is_working_day(date(2025, 5, 5))  # 2025: a lustrum year
    assert is_working_day(date(2026, 5, 5))  # a Tuesday like any other


def test_ordinary_weekdays_are_working_days():
    for day in range(2, 7):  # Monday 2 .. Friday 6 March 2026
        assert is_working_day(date(2026, 3, day))
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 3, 8))


def test_extra_local_days_off_from_the_settings(settings):
    _holidays.cache_clear()
    try:
        settings.TRIAGE_EXTRA_HOLIDAYS = [date(2026, 3, 9)]  # a Monday
        _holidays.cache_clear()
        assert not is_working_day(date(2026, 3, 9))
        assert add_working_days(at(2026, 3, 6), 1) == at(2026, 3, 10)
    finally:
        _holidays.cache_clear()
    settings.TRIAGE_EXTRA_HOLIDAYS = []
    assert is_working_day(date(2026, 3, 9))


# --- Daylight saving time ------------------------------------------------------------------------
def test_spring_forward_weekend_keeps_the_wall_clock_time():
    start = at(2026, 3, 27, 15)  # Friday, CET (UTC+1); summer time starts Sunday 29 March
    due = add_working_days(start, 2)
    assert due == at(2026, 3, 31, 15)
    local = due.astimezone(AMSTERDAM)
    assert (local.hour, local.minute) == (15, 0)
    assert local.utcoffset() == timedelta(hours=2)
    assert start.utcoffset() == timedelta(hours=1)
    # Four calendar days less the hour that was skipped (Python subtracts datetimes sharing a
    # tzinfo as wall-clock times, so compare in UTC).
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=4, hours=-1)


def test_fall_back_weekend_keeps_the_wall_clock_time():
    start = at(2026, 10, 23, 15)  # Friday, CEST; winter time starts Sunday 25 October
    due = add_working_days(start, 1)
    local = due.astimezone(AMSTERDAM)
    assert (local.date(), local.hour, local.minute) == (date(2026, 10, 26), 15, 0)
    assert local.utcoffset() == timedelta(hours=1)
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=3, hours=1)


# --- The clock -----------------------------------------------------------------------------------
def test_clock_is_on_time_until_the_due_moment():
    started = at(2026, 3, 6, 15)  # Friday; due Tuesday 15:00, very late Monday 16 March 15:00
    before = Clock(started=started, target_days=2, now=at(2026, 3, 10, 14, 59))
    assert before.due == at(2026, 3, 10, 15)
    assert not before.is_late
    assert not before.is_very_late
    assert before.state == "on_time"
    assert before.time_left == timedelta(minutes=1)

    exactly = Clock(started=started, target_days=2, now=at(2026, 3, 10, 15))
    assert exactly.state == "on_time"
    assert exactly.time_left == timedelta(0)


def test_clock_is_late_past_the_target_and_very_late_past_three_times_it():
    started = at(2026, 3, 6, 15)
    late = Clock(started=started, target_days=2, now=at(2026, 3, 10, 15, 1))
    assert late.is_late
    assert not late.is_very_late
    assert late.state == "late"
    assert late.time_left == timedelta(minutes=-1)

    # Three times the target, in working days: 6 working days = Monday 16 March 15:00.
    assert late.very_late_at == at(2026, 3, 16, 15)
    still_late = Clock(started=started, target_days=2, now=at(2026, 3, 16, 15))
    assert still_late.state == "late"
    very_late = Clock(started=started, target_days=2, now=at(2026, 3, 16, 15, 1))
    assert very_late.is_late
    assert very_late.is_very_late
    assert very_late.state == "very_late"


def test_very_late_counts_working_days_not_calendar_days():
    # Submitted before King's Day 2026 with a 2-day target: 3x = 6 working days.
    started = at(2026, 4, 23, 10)  # Thursday
    c = Clock(started=started, target_days=2, now=at(2026, 5, 1, 10, 1))
    # Fri 24, (weekend), (King's Day), Tue 28 = 2 working days: due Tuesday 28 April 10:00.
    assert c.due == at(2026, 4, 28, 10)
    # Wed 29, Thu 30, Fri 1 May, Mon 4 May = 6: very late after Monday 4 May 10:00.
    assert c.very_late_at == at(2026, 5, 4, 10)
    assert c.state == "late"


def test_clock_defaults_to_now():
    started = timezone.now() - timedelta(days=60)
    c = clock(started, 2)
    assert abs((c.now - timezone.now()).total_seconds()) < 5
    assert c.state == "very_late"
    fresh = clock(timezone.now(), 2)
    assert fresh.state == "on_time"
    assert fresh.time_left > timedelta(0)
