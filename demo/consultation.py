"""Demo consultations: the cases and questions of demo.data.cases, in every state the services
can reach, so `make run` shows a lived-in app (issue 3). Called at the end of demo.loader.

Everything goes through the services (wijkteam.services, consultation.services, triage.services):
histories, row-level grants, audit events and notification rows are the real thing. Afterwards
the timestamps are moved back into the last weeks with queryset updates, so lists look real: the
question's own dates, its status changes, messages, experts, close-outs, notifications and read
markers. The audit log is never touched (it is append-only): it records when the demo was loaded.

Idempotent: a case is keyed on its resident (team, first and last name); a resident that already
exists means its case and question were loaded before, and nothing is written for it.

The claim the triage worker still holds keeps the loading time as its last touch, so it is not
released as idle at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from consultation import services, workflow
from consultation.models import (
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    QuestionRevision,
    QuestionTransition,
)
from demo.clock import Clock, birth_date
from demo.data.cases import CASES
from demo.data.people import DEMO_DOMAIN
from demo.script import DemoCase, DemoQuestion, Step
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from triage import services as triage
from triage.models import TriageClaim, TriageDecision
from wijkteam.models import Case, DistrictTeam, Resident
from wijkteam.services import case_open_with_resident

# A running count every so many cases: a few lines, not one per case.
REPORT_EVERY = 10


# Rows a step writes with the real time; moved back to the step's moment afterwards.
_STAMPED = (
    QuestionTransition,
    Message,
    Notification,
    QuestionExpert,
    CloseOut,
    TriageDecision,
    QuestionRevision,
)


def _backdate(question: Question, started: datetime, moment: datetime) -> None:
    """Move what the last step wrote (at the real time, so at or after `started`) to its moment.
    A claim still held keeps its touched_at: its holder is at work on it now, and the beat task
    would otherwise release it as idle at once."""
    for model in _STAMPED:
        model.objects.filter(question=question, created_at__gte=started).update(created_at=moment)
    links = QuestionExpert.objects.filter(question=question)
    links.filter(accepted_at__gte=started).update(accepted_at=moment)
    links.filter(declined_at__gte=started).update(declined_at=moment)
    TriageClaim.objects.filter(question=question, claimed_at__gte=started).update(claimed_at=moment)


@dataclass
class _Run:
    question: Question | None = None
    advice: dict[str, int] = field(default_factory=dict)  # expert key -> latest advice pk
    seen: dict[int, list[datetime]] = field(default_factory=dict)  # user pk -> moments active
    activity: list[datetime] = field(default_factory=list)
    submitted_at: datetime | None = None
    ended_at: datetime | None = None


def load_demo_consultation(*, report: Callable[[str], None] = lambda line: None) -> None:
    """Load the demo cases and questions that are not there yet (see the module docstring);
    `report` receives a line of progress every REPORT_EVERY cases, and one at the end."""
    with transaction.atomic():
        new = _load(report)
        # The demo's notifications are history: their e-mails count as sent long ago, so the
        # first `make run` does not mail (or print) a hundred stale messages. Inside the
        # transaction: the outbox queues on commit only the rows still pending by then.
        Notification.objects.filter(
            question__case__resident__created_by__is_demo_account=True,
            channel=Notification.Channel.EMAIL,
        ).exclude(state=Notification.State.SENT).update(
            state=Notification.State.SENT, sent_at=F("created_at")
        )
    report(f"Cases and questions: {len(CASES)}/{len(CASES)}… done ({new} new)")


def _load(report: Callable[[str], None]) -> int:
    """Load the missing cases; the number loaded."""
    started = timezone.now()
    context = _Context(
        started=started,
        clock=Clock(started),
        users={
            user.email.split("@")[0]: user
            for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        },
        teams={team.name: team for team in DistrictTeam.objects.all()},
        pools={pool.name: pool for pool in ExpertPool.objects.all()},
        domains={domain.slug: domain for domain in LifeDomain.objects.all()},
        groups={group.slug: group for group in TargetGroup.objects.all()},
    )
    new = 0
    for done, spec in enumerate(CASES, start=1):
        new += _load_case(spec, context)
        if done % REPORT_EVERY == 0 and done < len(CASES):
            report(f"Cases and questions: {done}/{len(CASES)}…")
    return new


@dataclass(frozen=True)
class _Context:
    """What every case needs: the moment loading began, its clock, and the demo's rows by key."""

    started: datetime
    clock: Clock
    users: dict[str, User]
    teams: dict[str, DistrictTeam]
    pools: dict[str, ExpertPool]
    domains: dict[str, LifeDomain]
    groups: dict[str, TargetGroup]


def _load_case(spec: DemoCase, context: _Context) -> bool:
    """Register the resident, open the case and perform the question's steps; False when the
    resident is there already (loaded before)."""
    team = context.teams[spec.team]
    if Resident.objects.filter(
        team=team, first_name=spec.first_name, last_name=spec.last_name
    ).exists():
        return False
    clock, users = context.clock, context.users
    clock.start_case()
    owner = users[spec.owner]
    opened = clock.at(*spec.opened)
    case = case_open_with_resident(
        actor=owner,
        team=team,
        first_name=spec.first_name,
        last_name=spec.last_name,
        date_of_birth=birth_date(
            timezone.localdate(context.started), spec.age, spec.birthday_offset
        ),
        postcode=spec.postcode,
        household=spec.household,
    )
    Resident.objects.filter(pk=case.resident_id).update(created_at=opened)
    Case.objects.filter(pk=case.pk).update(created_at=opened)

    run = _Run()
    for step in spec.question.steps:
        moment = clock.at(step.days_ago, step.at)
        actor = users[step.actor]
        _perform(
            step,
            run,
            actor=actor,
            case=case,
            spec=spec.question,
            pools=context.pools,
            domains=context.domains,
            groups=context.groups,
            users=users,
        )
        _backdate(run.question, context.started, moment)
        run.seen.setdefault(actor.pk, []).append(moment)
        if step.action != "read":
            run.activity.append(moment)
        if step.action == "submit":
            run.submitted_at = moment
        if step.action in ("close", "withdraw", "redirect"):
            run.ended_at = moment
    _settle(run)
    return True


def _perform(
    step: Step, run: _Run, *, actor, case, spec: DemoQuestion, pools, domains, groups, users
):
    """Do one step through the services."""
    if step.action == "draft":
        run.question = services.question_create(
            actor=actor,
            case=case,
            pool=pools[spec.pool],
            data=services.QuestionInput(
                title=spec.title,
                situation=spec.situation,
                tried=spec.tried,
                question=spec.question,
                urgency=spec.urgency,
                help_form=spec.help_form,
            ),
            life_domains=[domains[slug] for slug in spec.life_domains],
            target_groups=[groups[slug] for slug in spec.target_groups],
        )
        return
    question = Question.objects.get(pk=run.question.pk)
    if step.action == "submit":
        services.question_submit(actor=actor, question=question)
    elif step.action == "pick_up":
        services.question_pick_up(actor=actor, question=question)
    elif step.action == "advise":
        message = services.question_advise(actor=actor, question=question, body=step.text)
        run.advice[step.actor] = message.pk
    elif step.action == "clarify":
        services.question_request_clarification(actor=actor, question=question, body=step.text)
    elif step.action == "reply":
        services.question_reply(actor=actor, question=question, body=step.text)
    elif step.action == "close":
        services.question_close(
            actor=actor,
            question=question,
            direction=step.direction,
            escalation=step.escalation,
            comment=step.text,
            ratings={run.advice[key]: score for key, score in step.ratings},
        )
    elif step.action == "reopen":
        services.question_reopen(actor=actor, question=question, reason=step.text)
    elif step.action == "withdraw":
        services.question_withdraw(actor=actor, question=question, reason=step.text)
    elif step.action == "read":
        services.question_mark_read(user=actor, question=question)
    elif step.action in TRIAGE_ACTIONS:
        _perform_triage(step, run, actor=actor, question=question, users=users)
    else:  # pragma: no cover - a typo in demo.data.cases
        raise ValueError(f"unknown demo step {step.action!r}")


TRIAGE_ACTIONS = {
    "claim",
    "release",
    "triage_clarify",
    "triage_answer",
    "sharpen",
    "assign",
    "accept",
    "decline",
    "plan_session",
    "redirect",
}


def _perform_triage(step: Step, run: _Run, *, actor, question: Question, users) -> None:
    """Do one triage step through triage.services."""
    if step.action == "claim":
        triage.triage_claim(worker=actor, question=question)
    elif step.action == "release":
        triage.triage_release(worker=actor, question=question)
    elif step.action == "triage_clarify":
        triage.triage_ask_clarification(worker=actor, question=question, body=step.text)
    elif step.action == "triage_answer":
        message = triage.triage_answer(
            worker=actor, question=question, body=step.text, reason=step.reason
        )
        run.advice[step.actor] = message.pk
    elif step.action == "sharpen":
        triage.triage_sharpen(
            worker=actor,
            question=question,
            title=step.title,
            summary=step.text,
            reason=step.reason,
        )
    elif step.action == "assign":
        triage.triage_assign(
            worker=actor,
            question=question,
            experts=[users[key] for key in step.experts],
            reason=step.reason,
        )
    elif step.action == "accept":
        triage.assignment_accept(expert=actor, question=question)
    elif step.action == "decline":
        triage.assignment_decline(expert=actor, question=question, reason=step.text)
    elif step.action == "plan_session":
        triage.triage_plan_session(worker=actor, question=question, reason=step.reason)
    elif step.action == "redirect":
        triage.triage_redirect(worker=actor, question=question, target=step.target, note=step.text)
    else:  # pragma: no cover - a typo in demo.data.cases
        raise ValueError(f"unknown demo step {step.action!r}")


def _settle(run: _Run) -> None:
    """Give the question its dates, and mark as read what each person has seen: a question is
    read by whoever acted on it last; a notification is read once its recipient next acted on the
    question or opened it. The rest stays unread, as it would be."""
    question = Question.objects.get(pk=run.question.pk)
    fields = {
        "created_at": min(run.activity),
        "last_activity_at": max(run.activity),
        "submitted_at": run.submitted_at,
        "closed_at": run.ended_at if question.status in workflow.FINAL else None,
    }
    Question.objects.filter(pk=question.pk).update(**fields)

    for user_pk, moments in run.seen.items():
        user = User(pk=user_pk)
        services.question_mark_read(user=user, question=question)
        QuestionRead.objects.filter(question=question, user_id=user_pk).update(read_at=max(moments))

    notifications = Notification.objects.filter(
        question=question, channel=Notification.Channel.IN_APP
    )
    for notification in notifications:
        later = [
            m for m in run.seen.get(notification.recipient_id, []) if m >= notification.created_at
        ]
        if later:
            services.notifications_mark_read(
                user=User(pk=notification.recipient_id), ids=[notification.pk]
            )
            Notification.objects.filter(pk=notification.pk).update(read_at=min(later))
