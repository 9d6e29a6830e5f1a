"""The lives of the demo history's questions (demo.history), per collaboration model: a
network expert picks one up, a team pool discusses it, a triage worker decides; advice,
clarification, sessions and close-outs, each at a moment counted in working days (_Clock)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Question,
    QuestionExpert,
    QuestionRevision,
    QuestionTransition,
    Reason,
    Status,
)
from demo.data import scale_texts as texts
from demo.data.history import (
    DEFAULT_USEFULNESS,
    HISTORY_DAYS,
    LEFT_ANSWERED,
    SESSION_USEFULNESS,
    TRIAGE_USEFULNESS,
    USEFULNESS,
)
from demo.data.organisation import NETWORK, TRIAGE_POOL
from expertise.models import ExpertPool, ExpertProfile
from meetings.models import AgendaItem
from triage.clock import AMSTERDAM, is_working_day
from triage.models import RedirectTarget, TriageDecision
from triage.services import REDIRECT_REASONS
from wijkteam.models import (
    DistrictTeam,
)

SEED = 2025
S, R, K = Status, Reason, Message.Kind

_ESCALATIONS = (
    CloseOut.Escalation.AVOIDED,
    CloseOut.Escalation.STILL_NEEDED,
    CloseOut.Escalation.NEWLY_TRIGGERED,
    CloseOut.Escalation.NOT_CONSIDERED,
)
# How a history question may have ended (answered: LEFT_ANSWERED of them, not closed yet).
ENDED = frozenset({S.CLOSED, S.WITHDRAWN, S.REDIRECTED, S.ANSWERED})


# --- Time: working days -------------------------------------------------------------------------
class _Clock:
    """Moments as working days, as the scale data counts them: w = 3.25 is a quarter into the
    fourth working day of the history (08:00-18:00, Amsterdam; weekends and holidays skipped)."""

    def __init__(self, today: date, now: datetime):
        self.days: list[date] = []
        day = today - timedelta(days=HISTORY_DAYS + 60)
        while day <= today:
            if is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)
        self.index = {d: i for i, d in enumerate(self.days)}
        self.now = now
        # The history ends an hour before loading began (or at the last working day's end).
        self.end = self.of(now - timedelta(hours=1))

    def of(self, moment: datetime) -> float:
        local = timezone.localtime(moment, AMSTERDAM)
        day = local.date()
        while day not in self.index and day > self.days[0]:
            day -= timedelta(days=1)
            local = datetime.combine(day, time(18, 0), tzinfo=AMSTERDAM)
        hours = local.hour + local.minute / 60 - 8
        return self.index[day] + min(max(hours, 0.0), 10.0) / 10

    def at(self, w: float) -> datetime:
        day = self.days[min(int(w), len(self.days) - 1)]
        minutes = int((w - int(w)) * 600)
        return datetime.combine(day, time(8, 0), tzinfo=AMSTERDAM) + timedelta(minutes=minutes)

    def day(self, w: float) -> date:
        return self.days[int(w)]


# --- What happened to a question ----------------------------------------------------------------
@dataclass
class _Q:
    """A question while it is lived through: its row, and what happened to it in order."""

    row: Question
    team: DistrictTeam
    asker: User
    domains: list[str]
    groups: list[str]
    submitted: float
    status: str = S.DRAFT
    before: str = ""
    events: list[tuple[float, Callable[[datetime], None]]] = field(default_factory=list)
    advice: list[tuple[float, Message, float]] = field(default_factory=list)  # (w, msg, mean)
    experts: dict[int, QuestionExpert] = field(default_factory=dict)
    seen: dict[int, float] = field(default_factory=dict)
    last: float = 0.0


class Journeys:
    """What happens to a question in each kind of pool (a mixin of demo.history._History)."""

    def _network(self, q: _Q, w: float) -> None:
        rng = self.rng
        if rng.random() < 0.04:  # nobody picked it up: withdrawn
            self._withdraw(q, w + rng.uniform(3.0, 10.0))
            return
        expert = self._expert(q, self.pools[NETWORK])
        w += 0.05 + rng.expovariate(1 / 1.0)
        self._join(q, expert, QuestionExpert.Kind.PICKED_UP, w)
        if rng.random() < 0.12:
            w = self._clarify(q, expert.user, expert.job_title, w + 0.1, R.CLARIFICATION_ASKED)
        w += self._advice_delay()
        self._advise(q, expert, w)
        if rng.random() < 0.2:
            other = self._match(q, self.pools[NETWORK], not_=expert)
            if other is not None:
                self._join(q, other, QuestionExpert.Kind.PICKED_UP, w + 0.3)
                self._advise(q, other, w + 0.3 + rng.expovariate(1 / 1.5))
        self._close(q, q.last)

    def _team(self, q: _Q, w: float) -> None:
        rng = self.rng
        if rng.random() < 0.07:
            self._withdraw(q, w + rng.uniform(1.0, 6.0))
            return
        if self._discuss(q, w):  # else after the history's last session: not history
            self._close(q, q.last)

    def _triage(self, q: _Q, w: float) -> None:
        rng, worker = self.rng, self.triage_worker
        pool = self.pools[TRIAGE_POOL]
        if rng.random() < 0.03:
            self._withdraw(q, w + rng.uniform(0.5, 3.0))
            return
        asked = False
        while True:
            # Most within the triage target (2 working days), a tail beyond it.
            w += (
                0.05
                + rng.expovariate(1 / 0.7)
                + (rng.uniform(2.0, 5.0) if rng.random() < 0.08 else 0)
            )
            if rng.random() < 0.25:
                self._sharpen(q, w)
                w += 0.01
            roll = rng.random()
            if roll < 0.10 and not asked:
                asked = True
                self._decide(q, TriageDecision.Kind.CLARIFY, "", "", w)
                w = self._clarify(q, worker, self.triage_discipline, w, R.TRIAGE_CLARIFICATION)
                continue
            if roll < 0.25:
                reason = rng.choice(texts.TRIAGE_REASONS["answer"])
                message = self._message(
                    q, K.ADVICE, worker, rng.choice(texts.TRIAGE_ANSWERS), self.triage_discipline, w
                )
                self._move(q, S.ANSWERED, worker, R.TRIAGE_ANSWERED, reason, w)
                self._decide(q, TriageDecision.Kind.ANSWER, reason, "", w)
                q.advice.append((w, message, TRIAGE_USEFULNESS))
                self._close(q, w)
                return
            if roll < 0.35:
                reason = rng.choice(texts.TRIAGE_REASONS["session"])
                self._move(q, S.SCHEDULED, worker, R.SESSION_WANTED, reason, w)
                self._decide(q, TriageDecision.Kind.SESSION, reason, "", w)
                if self._discuss(q, w):
                    self._close(q, q.last)
                return
            if roll < 0.45:
                target = rng.choices(list(RedirectTarget), (60, 25, 15))[0]
                note = rng.choice(texts.REDIRECT_NOTES[target])
                self._message(q, K.TRIAGE_NOTE, worker, note, self.triage_discipline, w)
                self._move(q, S.REDIRECTED, worker, REDIRECT_REASONS[target], "", w)
                self._decide(q, TriageDecision.Kind.REDIRECT, "", target, w)
                return
            expert = self._expert(q, pool, declined=True)
            self._join(q, expert, QuestionExpert.Kind.ASSIGNED, w)
            reason = rng.choice(texts.TRIAGE_REASONS["assign"]) or expert.user.get_full_name()
            self._move(q, S.ASSIGNED, worker, R.ASSIGNED, reason, w)
            self._decide(q, TriageDecision.Kind.ASSIGN, reason, "", w)
            link = q.experts[expert.user_id]
            answered_at = w + 0.05 + rng.expovariate(1 / 0.4)
            if rng.random() < 0.07:  # declined: back in the queue, assigned again
                link.declined_at = self.clock.at(answered_at)
                link.decline_reason = rng.choice(texts.DECLINE_REASONS)
                self._move(
                    q,
                    S.IN_TRIAGE,
                    expert.user,
                    R.DECLINED,
                    f"{expert.user.get_full_name()}: {link.decline_reason}",
                    answered_at,
                )
                w = answered_at
                continue
            link.accepted_at = self.clock.at(answered_at)
            w = answered_at + self._advice_delay()
            self._advise(q, expert, w)
            self._close(q, w)
            return

    # Steps ------------------------------------------------------------------------------------
    def _advice_delay(self) -> float:
        """Working days from picking up (or accepting) to the advice: mostly a day or two, now
        and then much later (an expert on leave, a busy month)."""
        rng = self.rng
        delay = 0.1 + rng.expovariate(1 / 1.6)
        if rng.random() < 0.09:
            delay += rng.uniform(5.0, 14.0)
        return delay

    def _move(self, q: _Q, to: str, actor, code: str, reason: str, w: float) -> None:
        before = q.status if q.status != S.DRAFT or to != S.DRAFT else ""
        if to == S.NEEDS_CLARIFICATION:
            q.before = q.status
        self.rows[QuestionTransition].append(
            QuestionTransition(
                question=q.row,
                actor=actor,
                from_status=before,
                to_status=to,
                reason_code=code,
                reason=reason,
                created_at=self.clock.at(w),
            )
        )
        q.status, q.last = to, max(q.last, w)
        if actor is not None:
            q.seen[actor.pk] = max(q.seen.get(actor.pk, 0.0), w)

    def _message(self, q: _Q, kind: str, author, body: str, discipline: str, w: float) -> Message:
        message = Message(
            question=q.row,
            author=author,
            kind=kind,
            body=body,
            author_discipline=discipline,
            created_at=self.clock.at(w),
        )
        self.rows[Message].append(message)
        q.last = max(q.last, w)
        q.seen[author.pk] = max(q.seen.get(author.pk, 0.0), w)
        return message

    def _decide(self, q: _Q, kind: str, reason: str, target: str, w: float) -> None:
        self.rows[TriageDecision].append(
            TriageDecision(
                question=q.row,
                worker=self.triage_worker,
                kind=kind,
                reason=reason,
                redirect_target=target,
                created_at=self.clock.at(w),
            )
        )

    def _join(self, q: _Q, expert: ExpertProfile, kind: str, w: float) -> None:
        if expert.user_id not in q.experts:
            q.experts[expert.user_id] = QuestionExpert(
                question=q.row, expert=expert.user, kind=kind, created_at=self.clock.at(w)
            )

    def _advise(self, q: _Q, expert: ExpertProfile, w: float) -> None:
        body = self.rng.choice(texts.ADVICE[q.domains[0]])
        message = self._message(q, K.ADVICE, expert.user, body, expert.job_title, w)
        if q.status != S.ANSWERED:
            self._move(q, S.ANSWERED, expert.user, R.ADVICE_GIVEN, "", w)
        q.advice.append((w, message, USEFULNESS.get(expert.job_title, DEFAULT_USEFULNESS)))

    def _clarify(self, q: _Q, asker_of, discipline: str, w: float, code: str) -> float:
        """Clarification asked, and the team's reply a day or so later; returns its moment."""
        rng = self.rng
        self._message(
            q,
            K.CLARIFICATION_REQUEST,
            asker_of,
            rng.choice(texts.CLARIFICATION_REQUESTS),
            discipline,
            w,
        )
        back = q.status
        self._move(q, S.NEEDS_CLARIFICATION, asker_of, code, "", w)
        w += 0.1 + rng.expovariate(1 / 1.0)
        self._message(q, K.REPLY, q.asker, rng.choice(texts.REPLIES), "", w)
        self._move(q, back, q.asker, R.CLARIFICATION_GIVEN, "", w)
        return w

    def _sharpen(self, q: _Q, w: float) -> None:
        row, rng = q.row, self.rng
        self.rows[QuestionRevision].append(
            QuestionRevision(
                question=row,
                title=row.title,
                summary=row.summary,
                revised_by=self.triage_worker,
                created_at=self.clock.at(w),
            )
        )
        row.summary = rng.choice(texts.SHARPENED_SUMMARIES)
        reason = rng.choice(texts.TRIAGE_REASONS["sharpen"])
        self._move(q, q.status, self.triage_worker, R.SHARPENED, reason, w)
        self._decide(q, TriageDecision.Kind.SHARPEN, reason, "", w)

    def _discuss(self, q: _Q, w: float) -> bool:
        """On the agenda of the pool's first session with room at least two working days after
        `w`, discussed there, its outcome posted as advice. False when no session is left."""
        for starts, session, agenda in self.sessions[q.row.pool.pk]:
            if starts >= w + 2.0 and len(agenda) < session.capacity:
                break
        else:
            return False
        item = AgendaItem(
            session=session,
            question=q.row,
            position=len(agenda),
            minutes=30,
            status=AgendaItem.Status.DISCUSSED,
            added_by=session.planned_by,
            created_at=self.clock.at(w + 0.5),
        )
        agenda.append(item)
        moment = starts + 0.05 * len(agenda)
        planner = session.planned_by
        message = self._message(
            q,
            K.ADVICE,
            planner,
            self.rng.choice(texts.ADVICE[q.domains[0]]),
            self.session_discipline,
            moment,
        )
        item.outcome = message
        self._move(q, S.ANSWERED, planner, R.ADVICE_GIVEN, "", moment)
        q.advice.append((moment, message, SESSION_USEFULNESS))
        return True

    def _close(self, q: _Q, w: float) -> None:
        """The team closes with the close-out form a few working days after the advice (a few
        recent ones are left answered, to close still)."""
        rng = self.rng
        w += 0.3 + rng.expovariate(1 / 3.0)
        if w > self.clock.end:
            if self.left_answered < LEFT_ANSWERED and q.last <= self.clock.end:
                self.left_answered += 1
                return  # answered, and the team has yet to close it
            q.last = w
            return
        model = q.row.pool.collaboration_model
        avoided = 45 if model == ExpertPool.CollaborationModel.TRIAGE else 52
        escalation = rng.choices(_ESCALATIONS, (avoided, 22, 8, 18))[0]
        direction = (
            CloseOut.Direction.NEW_DIRECTION
            if rng.random() < 0.38
            else CloseOut.Direction.CONFIRMED
        )
        close_out = CloseOut(
            question=q.row,
            closed_by=q.asker,
            direction=direction,
            escalation=escalation,
            comment=rng.choice(texts.CLOSE_COMMENTS),
            created_at=self.clock.at(w),
        )
        self.rows[CloseOut].append(close_out)
        for _, message, mean in q.advice:
            score = min(5, max(1, round(rng.gauss(mean, 0.8))))
            self.rows[AdviceRating].append(
                AdviceRating(close_out=close_out, message=message, usefulness=score)
            )
        self._move(q, S.CLOSED, q.asker, R.CLOSED, "", w)

    def _withdraw(self, q: _Q, w: float) -> None:
        self._move(q, S.WITHDRAWN, q.asker, R.WITHDRAWN, self.rng.choice(texts.WITHDRAW_REASONS), w)

    def _expert(self, q: _Q, pool: ExpertPool, declined=False) -> ExpertProfile:
        expert = self._match(q, pool, declined=declined)
        if expert is None:  # pragma: no cover - every demo pool has experts
            raise ValueError(f"{pool} has no experts")
        return expert

    def _match(self, q: _Q, pool: ExpertPool, not_=None, declined=False) -> ExpertProfile | None:
        """An expert of the pool for the question's life domain (any of the pool's when none),
        not one who declined it or `not_`."""
        inside = [e for e in self.in_pool[pool.pk] if e is not not_]
        if declined:
            inside = [
                e
                for e in inside
                if e.user_id not in q.experts or q.experts[e.user_id].declined_at is None
            ]
        fitting = [e for e in inside if self.knows[e.pk].intersection(q.domains)]
        choice = fitting or inside
        return self.rng.choice(choice) if choice else None
