"""Writing the demo's year of history (demo.history) in bulk: bulk_create per model, in the
order of their foreign keys, with what the services would have written alongside (the audit
rows of registering the resident and opening the case, the row-level grants, the sessions'
invitations and attendance, the experts' hours against the caps)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Question,
    QuestionExpert,
    QuestionRead,
    QuestionRevision,
    QuestionTransition,
    QuestionUserObjectPermission,
)
from demo.data.organisation import TEAM_POOL, TRIAGE_POOL
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from hours.models import TimeEntry
from meetings.models import AgendaItem, Invitation, Session
from triage.models import TriageDecision
from wijkteam.models import AuditEvent, Case, Resident, ResidentGroupObjectPermission


class Writing:
    """The writing half of demo.history._History: what it planned, to the database."""

    rng: random.Random
    rows: dict[type, list]
    questions: list
    domains: dict[str, LifeDomain]
    groups: dict[str, TargetGroup]
    sessions: dict[int, list[tuple[float, Session, list[AgendaItem]]]]
    experts: list[ExpertProfile]
    in_pool: dict[int, list[ExpertProfile]]
    pools: dict[str, ExpertPool]
    triage_worker: User
    coordinator: User
    session_discipline: str
    attended: list[tuple[Session, ExpertProfile]]

    def _save(self) -> None:
        rows, questions = self.rows, self.questions
        Resident.objects.bulk_create(rows[Resident], batch_size=1000)
        Case.objects.bulk_create(rows[Case], batch_size=1000)
        Question.objects.bulk_create(rows[Question], batch_size=1000)
        domains = Question.life_domains.through
        groups = Question.target_groups.through
        domains.objects.bulk_create(
            [
                domains(question=q.row, lifedomain=self.domains[d])
                for q in questions
                for d in q.domains
            ]
        )
        groups.objects.bulk_create(
            [
                groups(question=q.row, targetgroup=self.groups[g])
                for q in questions
                for g in q.groups
            ]
        )
        kept = {id(q.row) for q in questions}
        for model in (
            QuestionTransition,
            Message,
            TriageDecision,
            QuestionRevision,
            QuestionExpert,
            QuestionRead,
        ):
            model.objects.bulk_create(
                [r for r in rows[model] if id(r.question) in kept], batch_size=2000
            )
        CloseOut.objects.bulk_create([r for r in rows[CloseOut] if id(r.question) in kept])
        AdviceRating.objects.bulk_create(
            [r for r in rows[AdviceRating] if id(r.close_out.question) in kept], batch_size=2000
        )
        self._audit()
        self._grants()
        self._save_sessions()
        self._hours()

    def _audit(self) -> None:
        """Registering the resident and opening the case, as wijkteam.services records them (an
        insert at the moment it happened; the log is never updated)."""
        events = []
        for q in self.questions:
            case = q.row.case
            for obj, label, pseudonym in (
                (case.resident, "wijkteam.Resident", ""),
                (case, "wijkteam.Case", case.pseudonym),
            ):
                events.append(
                    AuditEvent(
                        actor=case.owner, action=AuditEvent.Action.CREATE, object_type=label,
                        object_id=obj.pk, case_pseudonym=pseudonym, created_at=case.created_at,
                    )
                )  # fmt: skip
        AuditEvent.objects.bulk_create(events, batch_size=2000)

    def _grants(self) -> None:
        """The row-level grants the services give: the team sees its residents, an expert the
        questions they worked on (their answered list and its feedback)."""
        view_resident = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Resident), codename="view_resident"
        )
        question_type = ContentType.objects.get_for_model(Question)
        view, advise = (
            Permission.objects.get(content_type=question_type, codename=codename)
            for codename in ("view_question", "advise_question")
        )
        ResidentGroupObjectPermission.objects.bulk_create(
            [
                ResidentGroupObjectPermission(
                    content_object=q.row.case.resident,
                    group_id=q.team.group_id,
                    permission=view_resident,
                )
                for q in self.questions
                if q.team.group_id
            ],
            batch_size=2000,
        )
        QuestionUserObjectPermission.objects.bulk_create(
            [
                QuestionUserObjectPermission(
                    content_object=q.row, user_id=link.expert_id, permission=permission
                )
                for q in self.questions
                for link in q.experts.values()
                if link.declined_at is None
                for permission in (view, advise)
            ],
            batch_size=2000,
        )

    def _save_sessions(self) -> None:
        held = [(s, agenda) for slots in self.sessions.values() for _, s, agenda in slots]
        Session.objects.bulk_create([s for s, _ in held])
        items = [item for _, agenda in held for item in agenda]
        AgendaItem.objects.bulk_create(items)
        invitations, participants, self.attended = [], [], []
        for session, agenda in held:
            experts = self.in_pool[session.pool_id]
            for expert in experts:
                came = self.rng.random() < 0.85
                invitations.append(
                    Invitation(
                        session=session,
                        user=expert.user,
                        role=Invitation.Role.EXPERT,
                        response=Invitation.Response.ACCEPTED
                        if came
                        else Invitation.Response.DECLINED,
                        responded_at=session.starts_at - timedelta(days=3),
                        reminder_due_at=session.starts_at - timedelta(days=1),
                        reminded_at=session.starts_at - timedelta(days=1),
                        created_at=session.created_at,
                    )
                )
                if came and agenda:
                    self.attended.append((session, expert))
            through = AgendaItem.participants.through
            came_ids = [e.user_id for s, e in self.attended if s is session]
            participants += [
                through(agendaitem=item, user_id=user_id)
                for item in agenda
                for user_id in came_ids[:3]
            ]
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        AgendaItem.participants.through.objects.bulk_create(participants, batch_size=2000)

    def _hours(self) -> None:
        """The time each expert registered: their written advice (20-60 minutes) and the
        sessions they attended, within the pool's monthly cap; beyond it approved by the pool's
        triage worker or coordinator, where it has one, else not paid and left out."""
        used: dict[tuple[int, int, date], int] = defaultdict(int)
        existing = (
            TimeEntry.objects.filter(
                status__in=(*TimeEntry.BILLABLE, TimeEntry.Status.AWAITING_APPROVAL)
            )
            .annotate(month=TruncMonth("date"))
            .values_list("expert_id", "pool_id", "month")
            .annotate(total=Sum("minutes"))
            .order_by()
        )
        for expert_id, pool_id, month, total in existing:
            used[(expert_id, pool_id, month)] = total
        profiles = {e.user_id: e for e in self.experts}
        approver = {
            self.pools[TRIAGE_POOL].pk: self.triage_worker,
            self.pools[TEAM_POOL].pk: self.coordinator,
        }
        work: list[tuple[datetime, int, Question | None, Message | None, Session | None, int]]
        work = []
        for q in self.questions:
            for _, message, _ in q.advice:
                if (
                    message.author_id in profiles
                    and message.author_discipline != self.session_discipline
                ):
                    minutes = 20 + 5 * self.rng.randrange(9)
                    work.append(
                        (message.created_at, message.author_id, q.row, message, None, minutes)
                    )
        for session, expert in self.attended:
            minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
            work.append((session.ends_at, expert.user_id, None, None, session, minutes))
        work.sort(key=lambda item: item[0])
        entries = []
        for moment, expert_id, question, advice, held, minutes in work:
            pool = question.pool if question is not None else held.pool  # type: ignore[union-attr]
            day = timezone.localdate(moment)
            key = (expert_id, pool.pk, day.replace(day=1))
            status, decided_by = TimeEntry.Status.CONFIRMED, None
            if used[key] + minutes > pool.monthly_cap_minutes:
                decided_by = approver.get(pool.pk)
                if decided_by is None:
                    continue
                status = TimeEntry.Status.APPROVED
            used[key] += minutes
            entries.append(
                TimeEntry(
                    expert_id=expert_id,
                    pool=pool,
                    organisation_id=profiles[expert_id].organisation_id,
                    date=day,
                    activity=TimeEntry.Activity.SESSION if held else TimeEntry.Activity.ADVICE,
                    question=question,
                    message=advice,
                    session=held,
                    minutes=minutes,
                    status=status,
                    created_by_id=expert_id,
                    created_at=moment,
                    decided_by=decided_by,
                    decided_at=moment + timedelta(days=2) if decided_by else None,
                )
            )
        TimeEntry.objects.bulk_create(entries, batch_size=2000)
