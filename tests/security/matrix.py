"""Helpers of the URL permission matrix (test_url_matrix.py, test_url_matrix_posts.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tests.security.specs import Spec

# What an outsider's POST must leave as it was: the rows of every model a URL of the project
# writes (not the audit log, which may note the attempt, nor the one-time submission tokens).
WATCHED = [
    "consultation.Question",
    "consultation.QuestionExpert",
    "consultation.Message",
    "consultation.Attachment",
    "consultation.QuestionTransition",
    "consultation.CloseOut",
    "consultation.Notification",
    "meetings.MeetingSeries",
    "meetings.Session",
    "meetings.AgendaItem",
    "meetings.Invitation",
    "meetings.CalendarFeed",
    "hours.TimeEntry",
    "hours.InvoiceExport",
    "expertise.ExpertPool",
    "expertise.WeeklyAvailability",
    "expertise.Absence",
    "accounts.ApiToken",
    "wijkteam.TeamMembership",
    "wijkteam.Resident",
    "wijkteam.Case",
    "municipality.TeamInvitation",
    "triage.TriageClaim",
    "triage.TriageDecision",
]


def client_for(world, role: str) -> Client:
    return world.clients[role]


def is_empty(body) -> bool:
    """An API collection without rows: a page with no results, or lists that are all empty."""
    if isinstance(body, list):
        return not body
    if "results" in body:
        return not body["results"]
    return all(not value for value in body.values() if isinstance(value, list))


def url_of(spec: Spec, name: str, world) -> str:
    kwargs = spec.kwargs(world) if spec.kwargs else {}
    return reverse(name, kwargs=kwargs)


def fingerprint() -> list:
    """One row per watched table: its row count and an md5 of all its rows (one query)."""
    parts = []
    for label in WATCHED:
        table = apps.get_model(label)._meta.db_table
        parts.append(
            f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))"
            f' FROM "{table}" t'
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return cursor.fetchall()


def sign_in_target(response, role: str) -> bool:
    location = response.get("Location", "")
    if role == "anonymous":
        return location.startswith(resolve_url(settings.LOGIN_URL))
    return location.startswith((reverse("accounts:otp-verify"), reverse("accounts:otp-enrol")))


def verdict(failures: list[str], marked: dict[str, str], wrong_as_marked: list[str]) -> None:
    """Fail naming every role that answered wrongly; a role marked as a known wrong answer
    (Spec.xfail) that now answers rightly fails too (strict: take the mark off). Only marked
    wrong answers: the test is an expected failure, with their reasons."""
    fixed = sorted(set(marked) - set(wrong_as_marked))
    if fixed:
        failures.append(f"marked wrong but now right, take the xfail off: {fixed}")
    assert not failures, "\n".join(failures)
    if wrong_as_marked:
        pytest.xfail("; ".join(f"{role}: {marked[role]}" for role in wrong_as_marked))


def get_problem(spec: Spec, name: str, url: str, role: str, response) -> str | None:
    want = spec.expected(role)
    got = response.status_code
    allowed = want if isinstance(want, frozenset | set) else {want}
    if got not in allowed:
        return f"GET {url} ({name}) as {role}: {got}, expected {want}"
    if got == 302 and role in ("anonymous", "unverified") and not sign_in_target(response, role):
        return f"GET {url} ({name}) as {role}: redirected to {response['Location']}"
    if spec.listing and got == 200 and role not in spec.ok and not is_empty(response.json()):
        return f"GET {url} ({name}) as {role}: lists rows outside their scope"
    return None
