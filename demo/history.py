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
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from consultation.models import (
    CloseOut,
    Message,
    Question,
    QuestionExpert,
    QuestionRead,
)
from demo.data import scale_texts as texts
from demo.data.cases import CASES
from demo.data.history import (
    DOMAIN_SHARES,
    GROUPS_BY_DOMAIN,
    HARDLY_ASKS,
    HISTORY_DAYS,
    QUIET_DAYS,
    SEASON,
    SESSION_HOURS,
    SILENT_MONTHS,
    TEAMS,
    TRIAGE_SESSION,
)
from demo.data.organisation import NETWORK, TEAM_POOL, TRIAGE_POOL
from demo.data.people import COORDINATOR, DEMO_DOMAIN, ROLE_ACCOUNTS, TRIAGE_WORKER
from demo.data.scale_world import RESIDENT_FIRST_NAMES
from demo.history_journeys import _Q, ENDED, SEED, Journeys, R, S, _Clock
from demo.history_rows import Writing
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from meetings.models import AgendaItem, Session
from triage.clock import AMSTERDAM, is_working_day
from wijkteam.models import (
    PSEUDONYM_ALPHABET,
    Case,
    DistrictTeam,
    Resident,
)

EXPERT_ACCOUNT = dict(ROLE_ACCOUNTS)["expert"]
LETTERS = "ABCDEGHJKLMNPRTVWXZ"  # of a postcode (no SA, SD, SS)

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


class _History(Journeys, Writing):
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
