"""The demo's clock: every scripted moment is in the past, in order, and on a working day."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from demo.clock import Clock
from demo.data.cases import CASES
from demo.script import TODAY


@pytest.mark.parametrize("weekday", range(7))
def test_demo_clock_uses_working_days_in_the_past(weekday):
    monday = timezone.make_aware(datetime(2026, 11, 16, 7, 30))
    now = monday + timedelta(days=weekday)
    clock = Clock(now)
    for spec in CASES:
        clock.start_case()
        when = [spec.opened] + [(step.days_ago, step.at) for step in spec.question.steps]
        moments = [clock.at(*args) for args in when]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)
        for (days_ago, _at), moment in zip(when, moments, strict=True):
            assert moment < now
            if days_ago == TODAY:  # today, even on a weekend: the triage home shows it
                assert timezone.localdate(moment) == timezone.localdate(now)
            else:
                assert timezone.localtime(moment).weekday() < 5
