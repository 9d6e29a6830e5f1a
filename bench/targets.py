"""The Django side of a run (bench.run calls django.setup() first, with the same settings and
secret key as gunicorn): sessions of the demo accounts, what each endpoint asks for, queries per
request, undoing what the run wrote, and submit → e-mail.

The demo accounts are signed in without the sign-in and TOTP forms: a session is written as the
second-factor step leaves it (the user, and the id of a confirmed TOTP device), the way the
tests do it (tests.helpers.verify_session). Each connection of the load generator gets a
session of its own, as different browsers of the same person would.
"""

from __future__ import annotations

import re
import string
import time
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from consultation.models import Notification, Question, Status
from consultation.selectors import questions_visible_to
from consultation.services import pools_serving
from demo.data.people import DEMO_DOMAIN
from demo.scale.generate import read_marker
from expertise.models import ExpertPool
from submissions.models import Submission
from submissions.web import new_token
from triage.models import TriageClaim
from wijkteam.models import Case
from wijkteam.selectors import cases_visible_to

ROLES = {
    "expert": f"expert@{DEMO_DOMAIN}",
    "triage": f"triage@{DEMO_DOMAIN}",
    "generalist": f"generalist@{DEMO_DOMAIN}",
}
DEVICE_NAME = "bench"  # the TOTP device the benchmark's sessions are verified with
DETAIL_QUESTIONS = 25  # question detail rotates over the expert's newest 25
CLAIMED = re.compile(r"/triage/vragen/(\d+)/")
QUESTION = re.compile(r"/vragen/(\d+)/")


def signed_in_session(user: User) -> str:
    """A new session key of `user`, signed in with a verified second factor."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=DEVICE_NAME, defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def csrf_secret() -> str:
    """A CSRF cookie value; the form field may carry it as it is (unmasked)."""
    return get_random_string(32, allowed_chars=string.ascii_letters + string.digits)


@dataclass
class Setup:
    """Who signs in and what they ask for, found in the data set."""

    started: datetime
    last_generated_question: int
    users: dict[str, User]
    csrf: str
    cookies: dict[str, list[str]] = field(default_factory=dict)  # per role, one per connection
    detail_paths: list[str] = field(default_factory=list)
    submit_path: str = ""
    submit_fields: dict[str, str] = field(default_factory=dict)

    def session_keys(self) -> list[str]:
        return [
            cookie.split(";")[0].split("=", 1)[1] for per in self.cookies.values() for cookie in per
        ]


def prepare(*, connections: int, started: datetime) -> Setup:
    with connection.cursor() as cursor:
        marker = read_marker(cursor)
    if marker is None:
        raise RuntimeError("the database holds no scale data set (generate_scale_data)")
    users = {role: User.objects.get(email=email) for role, email in ROLES.items()}
    setup = Setup(
        started=started,
        last_generated_question=marker["last_question_id"],
        users=users,
        csrf=csrf_secret(),
    )
    for role, user in users.items():
        setup.cookies[role] = [
            f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}; "
            f"{settings.CSRF_COOKIE_NAME}={setup.csrf}"
            for _ in range(connections)
        ]
    expert = users["expert"]
    newest = questions_visible_to(user=expert).order_by("-pk").values_list("pk", flat=True)
    setup.detail_paths = [f"/vragen/{pk}/" for pk in newest[:DETAIL_QUESTIONS]]
    case, pool = _case_and_pool(users["generalist"], expert)
    setup.submit_path = f"/wijkteam/casussen/{case.pseudonym}/vraag-stellen/"
    domain = expert.expert_profile.life_domains.order_by("pk").first()
    setup.submit_fields = {
        "situation": "Vaste lasten lopen op en er komen aanmaningen binnen.",
        "tried": "Samen een overzicht van de schulden gemaakt.",
        "question": "Welke stappen raad je aan richting schuldhulpverlening?",
        "life_domains": str(domain.pk) if domain else "",
        "urgency": Question.Urgency.NORMAL,
        "help_form": Question.HelpForm.WRITTEN,
        "pool": str(pool.pk),
        "privacy_confirmed": "on",
        "send": "1",
    }
    return setup


def _case_and_pool(generalist: User, expert: User) -> tuple[Case, ExpertPool]:
    """The generalist's newest open case served by a network pool the expert is in: a
    question sent there notifies the expert at once (no triage in between)."""
    cases = cases_visible_to(user=generalist).filter(status=Case.Status.OPEN).order_by("-pk")
    for case in cases[:200]:
        pool = (
            pools_serving(team_id=case.team_id)
            .filter(
                collaboration_model=ExpertPool.CollaborationModel.NETWORK,
                experts__user=expert,
            )
            .first()
        )
        if pool is not None:
            return case, pool
    raise RuntimeError("no open case of the generalist is served by a network pool of the expert")


_TITLES = count(1)


def submit_body(setup: Setup) -> bytes:
    """A fresh question form: its own one-time token, and a title of its own."""
    fields = {
        **setup.submit_fields,
        "title": f"Benchmarkvraag {next(_TITLES)}",
        "csrfmiddlewaretoken": setup.csrf,
        "submission_token": new_token(),
    }
    return urlencode(fields).encode()


def claim_body(setup: Setup) -> bytes:
    return urlencode({"csrfmiddlewaretoken": setup.csrf, "submission_token": new_token()}).encode()


def release_claim(location: str, worker: User) -> str | None:
    """Put a claimed question back in the queue at once (in the database, not over HTTP), so the
    queue is as long at the end of a run as at its start and every claim claims."""
    found = CLAIMED.search(location or "")
    if not found:
        return "queue empty" if location else None
    TriageClaim.objects.filter(question_id=int(found.group(1)), worker=worker).delete()
    return "claimed"


def question_id(location: str) -> int | None:
    found = QUESTION.search(location or "")
    return int(found.group(1)) if found else None


# --- undoing the run -------------------------------------------------------------------------
def undo(setup: Setup) -> dict[str, int]:
    """Remove what the benchmark wrote, so the next run measures the same data: the questions
    it submitted (and with them their history, notifications, grants), claims, its one-time
    tokens, its sessions."""
    users = list(setup.users.values())
    removed = {}  # rows per kind, those deleted with them included
    with transaction.atomic():
        removed["questions"] = Question.objects.filter(
            pk__gt=setup.last_generated_question
        ).delete()[0]
        removed["claims"] = TriageClaim.objects.filter(
            worker=setup.users["triage"], claimed_at__gte=setup.started
        ).delete()[0]
        removed["submissions"] = Submission.objects.filter(
            user__in=users, created_at__gte=setup.started
        ).delete()[0]
        removed["sessions"] = Session.objects.filter(session_key__in=setup.session_keys()).delete()[
            0
        ]
    return removed


def undo_earlier_runs(last_generated_question: int) -> int:
    """Questions left by a run that was stopped before it could clean up."""
    return Question.objects.filter(pk__gt=last_generated_question).delete()[0]


# --- submit → e-mail -------------------------------------------------------------------------
def wait_for_outbox(setup: Setup, *, timeout: float) -> int:
    """Wait until the e-mails of the questions the run submitted so far have been handed to the
    worker and sent; the number still waiting when the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        waiting = Notification.objects.filter(
            question_id__gt=setup.last_generated_question,
            channel=Notification.Channel.EMAIL,
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
        ).count()
        if not waiting or time.monotonic() > deadline:
            return waiting
        time.sleep(0.2)


def email_times(
    setup: Setup, submitted: dict[int, float], *, timeout: float
) -> tuple[list[float], list[float], int]:
    """For each question submitted (id → time.time() the POST went out): seconds from the submit
    to the expert's e-mail being sent, and from the notification row to the sending; and how many
    e-mails were not sent within `timeout`."""
    expert = setup.users["expert"]
    rows = Notification.objects.filter(
        question_id__in=list(submitted), recipient=expert, channel=Notification.Channel.EMAIL
    )
    deadline = time.monotonic() + timeout
    while rows.filter(sent_at__isnull=True).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    from_submit, from_row = [], []
    for question, created, sent in rows.values_list("question_id", "created_at", "sent_at"):
        if sent is None:
            continue
        from_submit.append(sent.timestamp() - submitted[question])
        from_row.append((sent - created).total_seconds())
    return from_submit, from_row, len(submitted) - len(from_submit)


def visible_counts(setup: Setup) -> dict[str, int]:
    """How much each signed-in user sees, for the report (bounded: it is a description)."""
    expert, triage = setup.users["expert"], setup.users["triage"]
    return {
        "expert_visible_questions": questions_visible_to(user=expert).count(),
        "triage_queue": Question.objects.filter(
            status=Status.IN_TRIAGE,
            pool__triage_workers=triage,
            triage_claim__isnull=True,
        ).count(),
        "generalist_cases": cases_visible_to(user=setup.users["generalist"]).count(),
        "questions": Question.objects.count(),
    }
