"""`manage.py load_demo`: where it refuses, what `--list` prints, and what loading prints."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from consultation.models import Question
from demo.consultation import REPORT_EVERY
from demo.data.cases import CASES
from demo.data.people import DEMO_PASSWORD, ROLE_ACCOUNTS

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_listed_with_the_password(capsys):
    call_command("load_demo", "--list")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for _, email in ROLE_ACCOUNTS:
        assert email in out


def test_load_demo_refuses_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.filter(is_demo_account=True).exists()


class _Recorder(io.StringIO):
    """The command's stdout: each line with the number of questions when it was written, which
    tells progress printed while loading from a report printed afterwards."""

    def __init__(self):
        super().__init__()
        self.lines: list[tuple[str, int]] = []

    def write(self, text):
        self.lines += [(line, Question.objects.count()) for line in text.splitlines()]
        return super().write(text)


def test_loading_prints_each_step_as_it_goes_then_the_success_line():
    total, every = len(CASES), REPORT_EVERY
    counts = [f"Cases and questions: {n}/{total}…" for n in range(every, total, every)]
    steps = [
        "Region, municipalities and teams… done",
        "Generalists and team leads… done",
        "Care providers, experts and pools… done",
        "Experts' weekly availability and absences… done",
        "Municipality admin, region admin and functional administrator… done",
        *counts,
    ]
    out = _Recorder()
    call_command("load_demo", stdout=out, no_color=True)
    lines = [line for line, _ in out.lines]
    # The history's size depends on the day it is counted back from (demo.history).
    history = re.fullmatch(r"A year of history… done \((\d+) questions\)", lines[-2])
    assert history is not None, lines[-2]
    assert 600 <= int(history.group(1)) <= 1200
    assert lines == [
        *steps,
        f"Cases and questions: {total}/{total}… done ({total} new)",
        "Sessions of the expertise team… done",
        "Experts' hours… done",
        history.group(0),
        "Demo data for Regio Eemland is loaded.",
    ]
    assert 2 <= len(counts) <= 4, "a running count, not a line per case"
    # Written while loading: no questions before the cases, more with each count, all at the end.
    questions = [count for _, count in out.lines]
    assert questions[:5] == [0, 0, 0, 0, 0]
    # (the sessions come after the last case: the count stays; the history adds its questions)
    assert questions[4:-4] == sorted(set(questions[4:-4]))
    assert 0 < questions[5] < questions[-3]
    scripted, total_now = questions[-3], Question.objects.count()
    assert scripted + int(history.group(1)) == questions[-2] == questions[-1] == total_now

    again = io.StringIO()
    call_command("load_demo", stdout=again, no_color=True)
    assert again.getvalue().splitlines() == [
        *steps,
        f"Cases and questions: {total}/{total}… done (0 new)",
        "Sessions of the expertise team… done",
        "Experts' hours… done",
        "A year of history… done (0 new)",
        "Demo data for Regio Eemland is loaded.",
    ]
