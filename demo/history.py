"""A year of history for the demo region (issue 12: the municipality's dashboard should look
lived-in): the questions the district teams of Regio Eemland asked in the twelve months before
today, as they went, written in bulk.

The scripted cases (demo.consultation) are the demo's foreground: a few weeks, every state,
through the services. This is the background, in numbers a dashboard can show: about 900
questions, spread as a region's would be, not evenly:

- per team (TEAMS below): the busy Amersfoort wijkteams ask most, Sociaal team Baarn hardly
  asks (as the expertise team of De Fryske Marren was "hardly used", seed 001) and asked nothing
  in the last half year of the history;
- per month: fewer in the summer holidays and in December (SEASON);
- per life domain and target group: money matters most, each team with its own leaning;
- per pool, as the pool works: the Amersfoort network (an expert picks a question up, now and
  then asks for clarification first), the triage pool (every kind of decision: answered
  directly, clarification, sharpened, assigned with an accept or a decline, a session,
  redirected), the expertise team Soest-Baarn (discussed in its fortnightly session, the
  outcome posted from there);
- first advice mostly within 7 working days, some late; close-outs with direction, escalation
  and a usefulness rating of every advice; sessions held with their agenda, outcome and
  attendance; the experts' hours against the pools' caps.

Only past: every history question ended (closed, withdrawn or redirected) before today, apart
from a handful answered and not closed yet (LEFT_ANSWERED) that their team still has to close.
Nobody's inbox or the triage queue fills up with it: it writes no notifications (history is no
news), and the demo's own expert account (expert@) takes no part in it (an expert's inbox lists
every question granted to them, closed ones too). The audit log gets what the services would
have written when the resident was registered and the case opened, at that moment.

Privacy: history residents are obviously fictional (surnames as "Proefsma" and "Verzinveld",
demo.data.scale_texts), live behind a pseudonymised case like every resident, and the texts are
the scale generator's, which pass the privacy guard.

Deterministic for a day: a fixed seed, the moments counted back from today. Idempotent: when
the demo teams already have history residents, nothing is written. Fast: bulk_create per model,
a few dozen queries, whatever the number of questions.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

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
    Reason,
    Status,
)
from demo.data import scale_texts as texts
from demo.data.cases import CASES
from demo.data.history import (
    DEFAULT_USEFULNESS,
    DOMAIN_SHARES,
    GROUPS_BY_DOMAIN,
    HARDLY_ASKS,
    HISTORY_DAYS,
    LEFT_ANSWERED,
    QUIET_DAYS,
    SEASON,
    SESSION_HOURS,
    SESSION_USEFULNESS,
    SILENT_MONTHS,
    TEAMS,
    TRIAGE_SESSION,
    TRIAGE_USEFULNESS,
    USEFULNESS,
)
from demo.data.organisation import NETWORK, TEAM_POOL, TRIAGE_POOL
from demo.data.people import COORDINATOR, DEMO_DOMAIN, ROLE_ACCOUNTS, TRIAGE_WORKER
from demo.data.scale_world import RESIDENT_FIRST_NAMES
from demo.history_rows import Writing
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from meetings.models import AgendaItem, Session
from triage.clock import AMSTERDAM, is_working_day
from triage.models import RedirectTarget, TriageDecision
from triage.services import REDIRECT_REASONS
from wijkteam.models import (
    PSEUDONYM_ALPHABET,
    Case,
    DistrictTeam,
    Resident,
)

SEED = 2025
S, R, K = Status, Reason, Message.Kind

EXPERT_ACCOUNT = dict(ROLE_ACCOUNTS)["expert"]
LETTERS = "ABCDEGHJKLMNPRTVWXZ"  # of a postcode (no SA, SD, SS)

_ESCALATIONS = (
    CloseOut.Escalation.AVOIDED,
    CloseOut.Escalation.STILL_NEEDED,
    CloseOut.Escalation.NEWLY_TRIGGERED,
    CloseOut.Escalation.NOT_CONSIDERED,
)
# How a history question may have ended (answered: LEFT_ANSWERED of them, not closed yet).
ENDED = frozenset({S.CLOSED, S.WITHDRAWN, S.REDIRECTED, S.ANSWERED})
# The history's residents' surnames: fictional ones the scripted cases do not use, so that
# they tell whether the history is there.
SURNAMES = tuple(
    sorted(
        {
            stem + ending
            for stem in texts.RESIDENT_SURNAME_STEMS
            for ending in texts.RESIDENT_SURNAME_ENDINGS
        }
        - {case.last_name for case in CASES}
    )
)


def history_q(prefix: str = "") -> Q:
    """The history's questions (`prefix` "question__" for the rows of a question): told apart
    from the scripted ones by their residents' surnames."""
    return Q(**{f"{prefix}case__resident__last_name__in": SURNAMES})


def load_demo_history(*, report: Callable[[str], None] = lambda line: None) -> int:
    """Write the year of history when the demo teams have none yet; the number of questions
    written (0 on a second load)."""
    teams = {t.name: t for t in DistrictTeam.objects.filter(name__in=TEAMS)}
    if (
        len(teams) < len(TEAMS)
        or Resident.objects.filter(team__in=teams.values(), last_name__in=SURNAMES).exists()
    ):
        report("A year of history… done (0 new)")
        return 0
    with transaction.atomic(), _timestamps_as_given():
        written = _History(teams).write()
    report(f"A year of history… done ({written} questions)")
    return written


@contextlib.contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """bulk_create would stamp every auto_now_add field with the moment of loading; history
    keeps the moments it was given."""
    fields = [
        model._meta.get_field("created_at")
        for model in (Resident, Case, Question, Message, QuestionExpert, CloseOut)
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


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


class _History(Writing):
    def __init__(self, teams: dict[str, DistrictTeam]):
        self.rng = random.Random(SEED)
        now = timezone.now()
        self.today = timezone.localdate(now)
        self.clock = _Clock(self.today, now)
        self.teams = teams
        self.members = defaultdict(list)
        for team in teams.values():
            self.members[team.pk] = sorted(
                team.members.filter(is_active=True), key=lambda u: u.email
            )
        self.pools = {p.name: p for p in ExpertPool.objects.filter(name__in=POOL_NAMES)}
        self.pool_of = {team.pk: pool for pool in self.pools.values() for team in pool.teams.all()}
        # Not the demo's own expert account: an expert's inbox lists the questions granted to
        # them whatever their status, urgent first, and a year of closed ones would push the
        # scripted open questions off its first page.
        profiles = (
            ExpertProfile.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
            .exclude(user__email=EXPERT_ACCOUNT)
            .select_related("user")
            .prefetch_related("life_domains", "target_groups", "pools")
            .order_by("user__email")
        )
        self.experts = list(profiles)
        # Read once: the related managers cost more than the rest of choosing an expert.
        self.in_pool: dict[int, list[ExpertProfile]] = defaultdict(list)
        for expert in self.experts:
            for pool in expert.pools.all():
                self.in_pool[pool.pk].append(expert)
        self.knows = {e.pk: {d.slug for d in e.life_domains.all()} for e in self.experts}
        self.triage_worker = User.objects.get(email=f"{TRIAGE_WORKER.key}@{DEMO_DOMAIN}")
        self.coordinator = User.objects.get(email=f"{COORDINATOR.key}@{DEMO_DOMAIN}")
        self.domains = {d.slug: d for d in LifeDomain.objects.all()}
        self.groups = {g.slug: g for g in TargetGroup.objects.all()}
        with translation.override(settings.LANGUAGE_CODE):
            self.triage_discipline = gettext("triage worker")
            self.session_discipline = gettext("expertise session")
        self.pseudonyms = set(Case.objects.values_list("pseudonym", flat=True))
        self.rows: dict[type, list] = defaultdict(list)
        self.questions: list[_Q] = []
        self.left_answered = 0
        # Sessions: the next one with room, per pool (filled as questions come).
        self.sessions: dict[int, list[tuple[float, Session, list]]] = {}

    # The order questions are written in: by submission, so ids grow with time.
    def write(self) -> int:
        self._plan_sessions()
        planned = sorted(self._plan(), key=lambda item: item[0])
        for submitted, team in planned:
            self._question(team, submitted)
        self._save()
        return len(self.questions)

    # --- planning ------------------------------------------------------------------------------
    def _plan(self) -> list[tuple[float, DistrictTeam]]:
        """(moment of submission, team) for every question of the history."""
        rng, clock = self.rng, self.clock
        first = clock.of(clock.now - timedelta(days=HISTORY_DAYS)) + 0.5
        last = clock.of(clock.now - timedelta(days=QUIET_DAYS))
        silent_from = clock.of(clock.now - timedelta(days=30 * SILENT_MONTHS))
        planned = []
        months: dict[date, list[float]] = defaultdict(list)
        w = int(first)
        while w < last:
            months[clock.day(w).replace(day=1)].append(float(w))
            w += 1
        for name, (rate, _) in TEAMS.items():
            team = self.teams[name]
            for month, days in sorted(months.items()):
                share = len(days) / 21  # a partial month at either end
                expected = rate * SEASON[month.month] * share * rng.uniform(0.8, 1.2)
                count = int(expected) + (rng.random() < expected - int(expected))
                for _ in range(count):
                    moment = rng.choice(days) + rng.uniform(0.05, 0.9)
                    if first <= moment < last and not (
                        name == HARDLY_ASKS and moment >= silent_from
                    ):
                        planned.append((moment, team))
        return planned

    def _plan_sessions(self) -> None:
        """The held sessions of the history: the expertise team every second Tuesday, the triage
        pool's MDO every fourth Thursday; each takes up to its capacity of questions."""
        clock = self.clock
        start = self.today - timedelta(days=HISTORY_DAYS)
        team_series = self._first_series_date()
        for name, weekday, every, (at, minutes), planner in (
            (TEAM_POOL, 1, 14, SESSION_HOURS, self.coordinator),
            (TRIAGE_POOL, 3, 28, TRIAGE_SESSION, self.triage_worker),
        ):
            pool = self.pools[name]
            slots: list[tuple[float, Session, list[AgendaItem]]] = []
            day = start + timedelta(days=(weekday - start.weekday()) % 7)
            stop = min(team_series, self.today) if name == TEAM_POOL else self.today
            while day < stop:
                if is_working_day(day):
                    starts = datetime.combine(day, at, tzinfo=AMSTERDAM)
                    session = Session(
                        pool=pool,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=minutes),
                        place="Gemeentehuis Soest, zaal De Eem"
                        if name == TEAM_POOL
                        else "Huis van Eemland, Leusden",
                        capacity=4,
                        status=Session.Status.HELD,
                        planned_by=planner,
                        created_at=starts - timedelta(days=21),
                        held_at=starts + timedelta(minutes=minutes),
                    )
                    slots.append((clock.of(starts), session, []))
                day += timedelta(days=every)
            self.sessions[pool.pk] = slots

    def _first_series_date(self) -> date:
        """History sessions of the expertise team end where its recurring meeting begins."""
        from meetings.models import MeetingSeries

        series = MeetingSeries.objects.filter(pool__name=TEAM_POOL).first()
        return series.first_date if series else self.today

    # --- one question ----------------------------------------------------------------------------
    def _question(self, team: DistrictTeam, submitted: float) -> None:
        rng, clock = self.rng, self.clock
        lean = TEAMS[team.name][1]
        names = list(DOMAIN_SHARES)
        weights = [DOMAIN_SHARES[d] * lean.get(d, 1.0) for d in names]
        domains = [rng.choices(names, weights)[0]]
        if rng.random() < 0.3:
            other = rng.choices(names, weights)[0]
            if other not in domains:
                domains.append(other)
        groups = []
        if rng.random() < 0.85:
            groups.append(rng.choice(GROUPS_BY_DOMAIN[domains[0]]))
        members = self.members[team.pk]
        asker = members[0] if rng.random() < 0.45 else rng.choice(members)
        title, situation, ask = rng.choice(texts.QUESTIONS[domains[0]])
        created = submitted - rng.uniform(0.01, 0.3)
        resident = Resident(
            team=team,
            first_name=rng.choice(RESIDENT_FIRST_NAMES),
            last_name=rng.choice(SURNAMES),
            date_of_birth=self.today - timedelta(days=rng.randrange(18 * 365, 88 * 365)),
            postcode=f"{3700 + rng.randrange(150)} {''.join(rng.choices(LETTERS, k=2))}",
            household=rng.choice(Resident.Household.values),
            created_by=asker,
            created_at=clock.at(created - 0.01),
        )
        case = Case(
            team=team,
            resident=resident,
            pseudonym=self._pseudonym(),
            owner=asker,
            status=Case.Status.OPEN,
            created_at=resident.created_at,
        )
        pool = self.pool_of[team.pk]
        row = Question(
            case=case,
            team=team,
            pool=pool,
            asked_by=asker,
            title=title,
            situation=f"{situation} {rng.choice(texts.CONTEXT)}",
            tried=rng.choice(texts.TRIED),
            question=ask,
            urgency=Question.Urgency.URGENT if rng.random() < 0.12 else Question.Urgency.NORMAL,
            help_form=Question.HelpForm.SESSION
            if pool.collaboration_model == ExpertPool.CollaborationModel.TEAM
            else rng.choice(
                [Question.HelpForm.WRITTEN] * 4
                + [Question.HelpForm.PHONE, Question.HelpForm.HOME_VISIT]
            ),
            created_at=clock.at(created),
            submitted_at=clock.at(submitted),
        )
        q = _Q(row, team, asker, domains, groups, submitted)
        self._move(q, S.DRAFT, asker, R.DRAFT_SAVED, "", created)
        self._move(q, S.SUBMITTED, asker, "", "", submitted)
        model = pool.collaboration_model
        if model == ExpertPool.CollaborationModel.NETWORK:
            self._move(q, S.OPEN, None, R.ROUTED_NETWORK, "", submitted)
            self._network(q, submitted)
        elif model == ExpertPool.CollaborationModel.TEAM:
            self._move(q, S.SCHEDULED, None, R.ROUTED_TEAM, "", submitted)
            self._team(q, submitted)
        else:
            self._move(q, S.IN_TRIAGE, None, R.ROUTED_TRIAGE, "", submitted)
            self._triage(q, submitted)
        if q.status in ENDED and q.last <= self.clock.end:
            self._keep(q, resident, case)
        else:
            self._drop(q)

    # The three ways of working ----------------------------------------------------------------
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

    def _pseudonym(self) -> str:
        while True:
            value = "C-" + "".join(self.rng.choices(PSEUDONYM_ALPHABET, k=6))
            if value not in self.pseudonyms:
                self.pseudonyms.add(value)
                return value

    # --- keep or drop ----------------------------------------------------------------------------
    def _drop(self, q: _Q) -> None:
        """A question that would still be running today is not history: its rows are left out
        (_save writes only those of the questions kept), and its place on an agenda is freed."""
        for _, _session, agenda in self.sessions.get(q.row.pool.pk, []):
            if agenda and agenda[-1].question is q.row:
                agenda.pop()

    def _keep(self, q: _Q, resident: Resident, case: Case) -> None:
        row, clock = q.row, self.clock
        row.status = q.status
        row.last_activity_at = clock.at(q.last)
        if q.status in (S.CLOSED, S.WITHDRAWN, S.REDIRECTED):
            row.closed_at = clock.at(q.last)
            if q.last < clock.end - 40:
                case.status, case.closed_at = Case.Status.CLOSED, clock.at(q.last + 10)
        self.rows[Resident].append(resident)
        self.rows[Case].append(case)
        self.rows[Question].append(row)
        self.rows[QuestionExpert].extend(q.experts.values())
        q.seen[q.asker.pk] = max(q.seen.get(q.asker.pk, 0.0), q.last)
        for user_pk, w in q.seen.items():
            self.rows[QuestionRead].append(
                QuestionRead(question=row, user_id=user_pk, read_at=clock.at(w))
            )
        self.questions.append(q)


POOL_NAMES = (NETWORK, TEAM_POOL, TRIAGE_POOL)
