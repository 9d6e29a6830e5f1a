"""The vocabulary the demo data is written in: who is who, and the steps of a scripted question.

The data modules (demo.data.*) import this module; it imports nothing from the demo itself, so
the data never depends on the code that loads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from consultation.models import Question


@dataclass(frozen=True)
class DemoPerson:
    key: str  # e-mail address without the demo domain
    first_name: str
    last_name: str


@dataclass(frozen=True)
class DemoExpert:
    email: str  # e-mail address without the demo domain
    first_name: str
    last_name: str
    job_title: str
    organisation: str
    life_domains: tuple[str, ...]
    target_groups: tuple[str, ...]
    bio: str


# --- A scripted question -------------------------------------------------------------------------
# `days_ago` for what happens today, whatever day the demo is loaded (a weekend too): `at` is then
# how long before loading began (H:MM), and never before midnight. The triage home shows today's
# decisions; without these it would be empty on every day but the one the script was written.
TODAY = -1


@dataclass(frozen=True)
class Step:
    """One thing that happened, `days_ago` working days back, at `at` (local time, HH:MM)."""

    days_ago: int
    at: str
    # draft, submit, pick_up, advise, clarify, reply, close, reopen, withdraw, read; and the
    # triage steps: claim, release, triage_clarify, triage_answer, sharpen, assign, accept,
    # decline, plan_session, redirect
    action: str
    actor: str  # e-mail address without the demo domain
    text: str = ""
    direction: str = ""
    escalation: str = ""
    ratings: tuple[tuple[str, int], ...] = ()
    title: str = ""  # sharpen: the new title (`text` is the new summary)
    experts: tuple[str, ...] = ()  # assign
    target: str = ""  # redirect: a key of triage.services.REDIRECT_TARGETS
    reason: str = ""  # a triage decision's reason


def draft(days_ago, at, actor):
    return Step(days_ago, at, "draft", actor)


def submit(days_ago, at, actor):
    return Step(days_ago, at, "submit", actor)


def pick_up(days_ago, at, actor):
    return Step(days_ago, at, "pick_up", actor)


def advise(days_ago, at, actor, text):
    return Step(days_ago, at, "advise", actor, text)


def clarify(days_ago, at, actor, text):
    return Step(days_ago, at, "clarify", actor, text)


def reply(days_ago, at, actor, text):
    """A reply to a clarification request, or a follow-up when none is pending."""
    return Step(days_ago, at, "reply", actor, text)


def close(days_ago, at, actor, direction, escalation, comment, ratings=()):
    return Step(days_ago, at, "close", actor, comment, direction, escalation, tuple(ratings))


def reopen(days_ago, at, actor, reason):
    return Step(days_ago, at, "reopen", actor, reason)


def withdraw(days_ago, at, actor, reason):
    return Step(days_ago, at, "withdraw", actor, reason)


def read(days_ago, at, actor):
    """The user opened the question (no activity of its own)."""
    return Step(days_ago, at, "read", actor)


# The triage worker's decisions (triage.services) and the assigned expert's answer to them.
def claim(days_ago, at, actor):
    return Step(days_ago, at, "claim", actor)


def release(days_ago, at, actor):
    return Step(days_ago, at, "release", actor)


def triage_clarify(days_ago, at, actor, text):
    return Step(days_ago, at, "triage_clarify", actor, text)


def triage_answer(days_ago, at, actor, text, reason=""):
    return Step(days_ago, at, "triage_answer", actor, text, reason=reason)


def sharpen(days_ago, at, actor, title, summary, reason=""):
    return Step(days_ago, at, "sharpen", actor, summary, title=title, reason=reason)


def assign(days_ago, at, actor, experts, reason=""):
    return Step(days_ago, at, "assign", actor, experts=tuple(experts), reason=reason)


def accept(days_ago, at, actor):
    return Step(days_ago, at, "accept", actor)


def decline(days_ago, at, actor, reason):
    return Step(days_ago, at, "decline", actor, reason)


def plan_session(days_ago, at, actor, reason):
    return Step(days_ago, at, "plan_session", actor, reason=reason)


def redirect(days_ago, at, actor, target, note):
    return Step(days_ago, at, "redirect", actor, note, target=target)


@dataclass(frozen=True)
class DemoQuestion:
    pool: str
    title: str
    situation: str
    tried: str
    question: str
    life_domains: tuple[str, ...]
    target_groups: tuple[str, ...]
    steps: tuple[Step, ...]
    urgency: str = Question.Urgency.NORMAL
    help_form: str = Question.HelpForm.WRITTEN


@dataclass(frozen=True)
class DemoCase:
    team: str
    owner: str
    first_name: str
    last_name: str
    # The age the texts mention: the birth date is derived from it, so the story stays true.
    age: int
    birthday_offset: int  # days since the last birthday (fixed, so the date looks random)
    postcode: str
    household: str
    opened: tuple[int, str]
    question: DemoQuestion
