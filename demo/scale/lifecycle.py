"""Cases and questions, lived through: every question follows the steps the services would take
(consultation.services, triage.services), and each step writes the rows that service writes —
the status change in the history, the message, the expert on the question and their row-level
grants, the triage decision, the close-out with its ratings, the outbox rows of in-app and
e-mail notifications, the read markers and the audit events.

Time runs in working days (demo.scale.timeline) from the moment a question is drafted; a step
that would happen after the end of the data set does not happen, so what is left is the state at
the end: old questions are nearly all closed, recent ones are open, in triage, awaiting a reply.
Every move is checked against consultation.workflow.TRANSITIONS as it is made.

A step function raises Stop when the next step falls after the end: the question stays where it
is.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from consultation.models import CloseOut, Message, Notification, QuestionExpert, Reason, Status
from consultation.workflow import ANSWERED_BY_ADVICE, FINAL, TRANSITIONS
from demo.scale import texts
from demo.scale.copy import NULL, esc
from demo.scale.names import RESIDENT_FIRST_NAMES
from demo.scale.plan import NETWORK, TEAM, Expert, Person, Pool, Team, World
from demo.scale.timeline import Timeline
from expertise.models import ExpertPool
from triage.models import RedirectTarget, TriageDecision
from triage.services import REDIRECT_REASONS
from wijkteam.models import PSEUDONYM_ALPHABET, AuditEvent, Case, Resident

S = Status
R = Reason
K = Message.Kind
N = Notification.Kind
IN_APP = Notification.Channel.IN_APP
EMAIL = Notification.Channel.EMAIL

TABLES: dict[str, tuple[str, ...]] = {
    "wijkteam_resident": (
        "id",
        "first_name",
        "last_name",
        "date_of_birth",
        "postcode",
        "household",
        "created_at",
        "anonymised_at",
        "created_by_id",
        "team_id",
    ),
    "wijkteam_residentgroupobjectpermission": (
        "id",
        "content_object_id",
        "group_id",
        "permission_id",
    ),
    "wijkteam_case": (
        "id",
        "pseudonym",
        "status",
        "created_at",
        "closed_at",
        "owner_id",
        "team_id",
        "resident_id",
    ),
    "wijkteam_auditevent": (
        "id",
        "action",
        "object_type",
        "object_id",
        "case_pseudonym",
        "detail",
        "channel",
        "path",
        "ip_address",
        "user_agent",
        "created_at",
        "actor_id",
    ),
    "consultation_question": (
        "id",
        "title",
        "situation",
        "tried",
        "question",
        "urgency",
        "help_form",
        "status",
        "status_before_clarification",
        "created_at",
        "submitted_at",
        "closed_at",
        "last_activity_at",
        "asked_by_id",
        "case_id",
        "pool_id",
        "team_id",
        "summary",
    ),
    "consultation_question_life_domains": ("id", "question_id", "lifedomain_id"),
    "consultation_question_target_groups": ("id", "question_id", "targetgroup_id"),
    "consultation_questiontransition": (
        "id",
        "from_status",
        "to_status",
        "reason",
        "created_at",
        "actor_id",
        "question_id",
        "reason_code",
    ),
    "consultation_message": (
        "id",
        "kind",
        "body",
        "author_discipline",
        "created_at",
        "author_id",
        "question_id",
    ),
    "consultation_questionexpert": (
        "id",
        "kind",
        "created_at",
        "expert_id",
        "question_id",
        "accepted_at",
        "decline_reason",
        "declined_at",
    ),
    "consultation_questionuserobjectpermission": (
        "id",
        "content_object_id",
        "permission_id",
        "user_id",
    ),
    "consultation_questionread": ("id", "read_at", "question_id", "user_id"),
    "consultation_questionrevision": (
        "id",
        "title",
        "summary",
        "created_at",
        "question_id",
        "revised_by_id",
    ),
    "consultation_closeout": (
        "id",
        "direction",
        "escalation",
        "comment",
        "created_at",
        "closed_by_id",
        "question_id",
    ),
    "consultation_advicerating": ("id", "usefulness", "close_out_id", "message_id"),
    "consultation_notification": (
        "id",
        "kind",
        "channel",
        "event_key",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
        "recipient_id",
        "question_id",
        "digest",
        "handed_off_at",
        "resent_once",
    ),
    "triage_triageclaim": ("id", "claimed_at", "touched_at", "question_id", "worker_id"),
    "triage_triagedecision": (
        "id",
        "kind",
        "reason",
        "created_at",
        "question_id",
        "worker_id",
        "redirect_target",
    ),
}

# How often what happens (the spread of a region's consultations; most end closed).
DOMAIN_SHARES = {
    "financien": 0.30,
    "psychische-gezondheid": 0.20,
    "sociale-relaties": 0.15,
    "wonen-en-leefbaarheid": 0.12,
    "lichamelijke-gezondheid": 0.10,
    "werk-opleiding-en-activiteiten": 0.08,
    "zingeving": 0.05,
}
GROUPS_BY_DOMAIN = {
    "financien": ("schulden", "schulden", "schulden", "lvb", "ggz"),
    "psychische-gezondheid": ("ggz", "ggz", "verslaving", "jeugd", "nah"),
    "sociale-relaties": ("jeugd", "jeugd", "lvb", "ouderen"),
    "wonen-en-leefbaarheid": ("ggz", "ouderen", "schulden"),
    "lichamelijke-gezondheid": ("ouderen", "dementie", "nah"),
    "werk-opleiding-en-activiteiten": ("lvb", "jeugd"),
    "zingeving": ("ouderen",),
}
HOUSEHOLDS_ADULT = (
    Resident.Household.SINGLE,
    Resident.Household.SINGLE,
    Resident.Household.SINGLE_PARENT,
    Resident.Household.COUPLE,
    Resident.Household.COUPLE_WITH_CHILDREN,
    Resident.Household.SHARED,
    Resident.Household.OTHER,
)
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
)
# Consultation.tasks.send_daily_digests and triage.tasks.check_clocks run on a beat.
CLOCK_CHECK = 0.025  # every 15 minutes (in working days of ten hours)
NEW_QUESTION_OPENED = 0.25  # share of notified network experts who open a new question
IN_APP_READ = 0.85
CASE_CLOSED_AFTER = 60  # working days without activity on a case whose questions all ended


# The states a question can rest in, per collaboration model, that a few of the last questions
# of the demo's pools are left in (Consultations._showcase). `submitted` is a passing state:
# question_submit routes at once. `closed` needs no help.
SHOWCASE = {
    NETWORK: [S.DRAFT, S.OPEN, S.NEEDS_CLARIFICATION, S.ANSWERED, S.WITHDRAWN],
    ExpertPool.CollaborationModel.TRIAGE: [
        S.IN_TRIAGE,
        S.ASSIGNED,
        S.SCHEDULED,
        S.REDIRECTED,
        S.NEEDS_CLARIFICATION,
    ],
    TEAM: [S.SCHEDULED],
}
# The triage decision that leads to the state (see Consultations._triage).
_FORCED_ROLL: dict[str, float] = {
    S.NEEDS_CLARIFICATION: 0.05,
    S.SCHEDULED: 0.30,
    S.REDIRECTED: 0.40,
    S.ASSIGNED: 0.90,
}


class Stop(Exception):
    """The next step would fall after the end of the data set."""


@dataclass(eq=False)
class CaseState:
    id: int
    resident_id: int
    team: Team
    owner: Person
    pseudonym: str
    opened: float
    question_times: list[float]
    remaining: int = 0
    last: float = 0.0
    all_final: bool = True
    started: bool = False


@dataclass(eq=False)
class QState:
    id: int
    case: CaseState
    team: Team
    pool: Pool
    asker: Person
    created: float
    domains: list[str]
    groups: list[str]
    title: str
    situation: str
    ask: str
    summary: str = ""
    status: str = ""
    before: str = ""
    submitted: float | None = None
    closed: float | None = None
    last: float = 0.0
    first_final: float | None = None
    first_advice: float | None = None
    advice: list[int] = field(default_factory=list)
    links: dict = field(default_factory=dict)  # expert Person -> [id, kind, created, acc, decl]
    seen: dict = field(default_factory=dict)  # Person -> last moment they had it open
    triage_spells: list = field(default_factory=list)  # [start, end] in the queue
    last_clarifier: Person | None = None
    # A status this question stops in (demo.scale.lifecycle.SHOWCASE), or "".
    force: str = ""


class Consultations:
    def __init__(
        self,
        *,
        world: World,
        timeline: Timeline,
        rng: random.Random,
        ids,
        loader,
        refs: dict,
        discipline_triage: str,
    ):
        self.world, self.tl, self.rng, self.ids, self.loader = world, timeline, rng, ids, loader
        self.end = timeline.base
        self.domain_ids: dict[str, int] = refs["domains"]
        self.group_ids: dict[str, int] = refs["groups"]
        self.perm_view_question = refs["view_question"]
        self.perm_advise_question = refs["advise_question"]
        self.perm_view_resident = refs["view_resident"]
        self.discipline_triage = esc(discipline_triage)
        self._rows = {table: loader.rows(table) for table in TABLES}
        self._pseudonyms: set[str] = set()
        self._matching: dict = {}
        self._domain_list = list(DOMAIN_SHARES)
        self._domain_weights = list(DOMAIN_SHARES.values())
        self._texts = self._escaped_texts()

    # =========================================================================================
    # Planning: cases in the order they were opened, questions in the order they were drafted
    # (ids grow with time, as they would).
    # =========================================================================================
    def plan(self, total: int) -> list[tuple[float, CaseState, tuple | None]]:
        rng, end = self.rng, self.end
        teams = self.world.teams
        weights = [team.weight for team in teams]
        drafts: list[tuple[float, int]] = []
        cases: list[tuple[float, Team, list[float]]] = []
        planned = 0
        while planned < total:
            team = rng.choices(teams, weights)[0]
            count = min(total - planned, rng.choices((1, 2, 3, 4), (62, 25, 9, 4))[0])
            opened = self.tl.sample_created(rng.random())
            times: list[float] = []
            moment = opened + rng.uniform(0.0, 2.0)
            for _ in range(count):
                if moment >= end:
                    previous = times[-1] if times else opened
                    moment = previous + (end - previous) * rng.uniform(0.05, 0.95)
                times.append(moment)
                moment += rng.uniform(5.0, 150.0)
            cases.append((opened, team, times))
            planned += count
        cases.sort(key=lambda item: item[0])
        states = []
        for opened, team, times in cases:
            owner = rng.choices(team.members, team.asker_weights)[0]
            state = CaseState(
                id=self.ids("wijkteam_case"),
                resident_id=self.ids("wijkteam_resident"),
                team=team,
                owner=owner,
                pseudonym=self._pseudonym(),
                opened=opened,
                question_times=times,
                remaining=len(times),
            )
            states.append(state)
            for moment in times:
                drafts.append((moment, len(states) - 1))
        drafts.sort(key=lambda item: item[0])
        planned_drafts = [(moment, states[index]) for moment, index in drafts]
        showcase = self._showcase(planned_drafts)
        return [
            (moment, case, showcase.get(index))
            for index, (moment, case) in enumerate(planned_drafts)
        ]

    def _showcase(self, drafts: list[tuple[float, CaseState]]) -> dict[int, tuple[str, Pool]]:
        """Some of the last questions of the demo's pools are left in each state a question can
        rest in (SHOWCASE): whatever the size, the demo accounts see every state, and a small
        data set has them all. The rest is chance."""
        wanted = [(model, status) for model, statuses in SHOWCASE.items() for status in statuses]
        chosen: dict[int, tuple[str, Pool]] = {}
        for index in range(len(drafts) - 1, -1, -1):
            if not wanted:
                break
            moment, case = drafts[index]
            pool = case.team.pools[0]
            # Three working days before the end leave room for the steps to get there.
            if moment > self.end - 3.0 or not pool.demo:
                continue
            for position, (model, status) in enumerate(wanted):
                if model == pool.model:
                    chosen[index] = (status, pool)
                    del wanted[position]
                    break
        return chosen

    def _pseudonym(self) -> str:
        while True:
            value = "C-" + "".join(self.rng.choices(PSEUDONYM_ALPHABET, k=6))
            if value not in self._pseudonyms:
                self._pseudonyms.add(value)
                return value

    # =========================================================================================
    # One question
    # =========================================================================================
    def question(self, created: float, case: CaseState, force: tuple | None = None) -> None:
        rng = self.rng
        if not case.started:
            self._open_case(case)
        team = case.team
        if force is not None:
            pool = force[1]
        elif len(team.pools) > 1:
            pool = rng.choices(team.pools, team.pool_weights)[0]
        else:
            pool = team.pools[0]
        if case.remaining == len(case.question_times) or rng.random() < 0.8:
            asker = case.owner
        else:
            asker = rng.choices(team.members, team.asker_weights)[0]
        first = rng.choices(self._domain_list, self._domain_weights)[0]
        domains = [first]
        if rng.random() < 0.35:
            other = rng.choices(self._domain_list, self._domain_weights)[0]
            if other != first:
                domains.append(other)
        groups = []
        if rng.random() < 0.85:
            groups.append(rng.choice(GROUPS_BY_DOMAIN[first]))
            if rng.random() < 0.2:
                extra = rng.choice(GROUPS_BY_DOMAIN[domains[-1]])
                if extra not in groups:
                    groups.append(extra)
        title, situation, ask = rng.choice(self._texts["questions"][first])
        situation += " " + rng.choice(self._texts["context"])
        q = QState(
            id=self.ids("consultation_question"),
            case=case,
            team=team,
            pool=pool,
            asker=asker,
            created=created,
            domains=domains,
            groups=groups,
            title=title,
            situation=situation,
            ask=ask,
            force=force[0] if force else "",
        )
        self._q = q
        with contextlib.suppress(Stop):  # the question stays where it is
            self._life(q)
        self._finish(q)
        case.remaining -= 1
        case.last = max(case.last, q.last)
        case.all_final = case.all_final and q.status in FINAL
        if case.remaining == 0:
            self._close_case(case)

    # --- the case and its resident --------------------------------------------------------------
    def _open_case(self, case: CaseState) -> None:
        rng, tl = self.rng, self.tl
        case.started = True
        team, owner = case.team, case.owner
        at = tl.ts(case.opened)
        born = (
            tl.date_of(case.opened).toordinal()
            - int(365.25 * rng.choice(_AGES))
            - rng.randrange(365)
        )
        birth = datetime.fromordinal(max(born, 1)).date().isoformat()
        household = rng.choice(HOUSEHOLDS_ADULT)
        first = rng.choice(_RESIDENT_FIRST)
        last = rng.choice(texts.RESIDENT_SURNAME_STEMS) + rng.choice(texts.RESIDENT_SURNAME_ENDINGS)
        letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTVWXZ", k=2))
        postcode = f"{1000 + (team.municipality.id * 37) % 8900 + rng.randrange(40)} {letters}"
        self._rows["wijkteam_resident"].append(
            f"{case.resident_id}\t{first}\t{last}\t{birth}\t{postcode}\t{household}\t{at}\t"
            f"{NULL}\t{owner.id}\t{team.id}\n"
        )
        self._rows["wijkteam_residentgroupobjectpermission"].append(
            f"{self.ids('wijkteam_residentgroupobjectpermission')}\t{case.resident_id}\t"
            f"{team.group_id}\t{self.perm_view_resident}\n"
        )
        register = "/wijkteam/inwoner-aanmelden/"
        self._audit(
            owner,
            AuditEvent.Action.CREATE,
            "wijkteam.Resident",
            case.resident_id,
            "",
            register,
            case.opened,
        )
        self._audit(
            owner,
            AuditEvent.Action.CREATE,
            "wijkteam.Case",
            case.id,
            case.pseudonym,
            register,
            case.opened,
        )
        self._identity_read(case, owner, case.opened + 0.0002)

    def _close_case(self, case: CaseState) -> None:
        status, closed = Case.Status.OPEN, NULL
        if case.all_final and case.last < self.end - CASE_CLOSED_AFTER:
            status = Case.Status.CLOSED
            closed = self.tl.ts(min(case.last + self.rng.uniform(5.0, 40.0), self.end))
        self._rows["wijkteam_case"].append(
            f"{case.id}\t{case.pseudonym}\t{status}\t{self.tl.ts(case.opened)}\t{closed}\t"
            f"{case.owner.id}\t{case.team.id}\t{case.resident_id}\n"
        )

    def _audit(self, actor, action, object_type, object_id, pseudonym, path, w, channel="web"):
        self._rows["wijkteam_auditevent"].append(
            f"{self.ids('wijkteam_auditevent')}\t{action}\t{object_type}\t{object_id}\t"
            f"{pseudonym}\t\t{channel}\t{path}\t{_ip(actor)}\t{USER_AGENTS[actor.id % 3]}\t"
            f"{self.tl.ts(w)}\t{actor.id}\n"
        )

    def _identity_read(self, case: CaseState, actor: Person, w: float) -> None:
        """The case page (or the API's case) shows the resident: an audited identity read."""
        if self.rng.random() < 0.05:
            path, channel = f"/api/v1/cases/{case.pseudonym}/", "api"
        else:
            path, channel = f"/wijkteam/casussen/{case.pseudonym}/", "web"
        self._audit(
            actor,
            AuditEvent.Action.VIEW_IDENTITY,
            "wijkteam.Resident",
            case.resident_id,
            case.pseudonym,
            path,
            w,
            channel,
        )

    # --- the steps every model shares -----------------------------------------------------------
    def _after(self, w: float, mean: float, minimum: float = 0.003) -> float:
        """The moment of the next step; Stop when it falls after the end, or when the question
        has reached the state it is to be left in."""
        if self._q.force:
            if self._q.status == self._q.force:
                raise Stop
            mean, minimum = mean * 0.05, 0.003  # a showcase question goes quickly
        w += minimum + self.rng.expovariate(1.0 / mean)
        if w > self.end:
            raise Stop
        return w

    def _move(self, q: QState, to: str, actor: Person | None, code: str, reason: str, w: float):
        """consultation.workflow.transition (and .start for the first entry)."""
        current = q.status
        if current and to not in TRANSITIONS[current]:
            raise AssertionError(f"generator bug: {current} -> {to}")
        q.status, q.last = to, w
        if to == S.NEEDS_CLARIFICATION:
            q.before = current
        if current == S.NEEDS_CLARIFICATION:
            q.before = ""
        if to == S.SUBMITTED:
            q.submitted = w
        if to in FINAL:
            q.closed = w
            if q.first_final is None:
                q.first_final = w
        elif current in FINAL:
            q.closed = None
        if current == S.IN_TRIAGE and to != S.IN_TRIAGE:
            q.triage_spells[-1][1] = w
        if to == S.IN_TRIAGE and current != S.IN_TRIAGE:
            q.triage_spells.append([w, None])
        return self._history(q, actor, current, to, code, reason, w)

    def _history(self, q, actor, source, target, code, reason, w) -> int:
        step = self.ids("consultation_questiontransition")
        actor_id = actor.id if actor is not None else NULL
        self._rows["consultation_questiontransition"].append(
            f"{step}\t{source}\t{target}\t{reason}\t{self.tl.ts(w)}\t{actor_id}\t{q.id}\t{code}\n"
        )
        return step

    def _touch(self, q: QState, w: float) -> None:
        q.last = w

    def _message(self, q: QState, kind: str, author: Person, body: str, discipline: str, w: float):
        mid = self.ids("consultation_message")
        self._rows["consultation_message"].append(
            f"{mid}\t{kind}\t{body}\t{discipline}\t{self.tl.ts(w)}\t{author.id}\t{q.id}\n"
        )
        return mid

    def _seen(self, q: QState, person: Person, w: float) -> None:
        if q.seen.get(person, -1.0) < w:
            q.seen[person] = w

    def _participants(self, q: QState) -> list[Person]:
        return [person for person, link in q.links.items() if link[4] is None]

    def _join(self, q: QState, expert: Person, kind: str, w: float) -> None:
        """consultation.services.join: get_or_create the link; the grants come with it."""
        if expert not in q.links:
            q.links[expert] = [self.ids("consultation_questionexpert"), kind, w, None, None, ""]

    def _notify(self, q: QState, kind: str, recipients, key: str, w: float) -> None:
        """consultation.notifications.notify: an in-app and an e-mail row per recipient. The
        e-mails are history: sent (or waiting for the morning's digest when that is after the
        end); most in-app rows are read."""
        rng, tl, end = self.rng, self.tl, self.end
        rows = self._rows["consultation_notification"]
        created = tl.ts(w)
        done = set()
        for person in recipients:
            if person in done:
                continue
            done.add(person)
            read = NULL
            if rng.random() < IN_APP_READ:
                moment = w + 0.005 + rng.expovariate(1.0)
            else:  # left for a while, until the bell's "mark all as read"
                moment = w + rng.uniform(5.0, 40.0)
            if moment <= end:
                read = tl.ts(moment)
            nid = self.ids("consultation_notification")
            rows.append(
                f"{nid}\t{kind}\t{IN_APP}\t{key}\tsent\t0\t{created}\t{NULL}\t{read}\t"
                f"{person.id}\t{q.id}\tf\t{NULL}\tf\n"
            )
            nid = self.ids("consultation_notification")
            if person.daily:
                digest = tl.digest_after(w)
                if digest <= tl.base_epoch:
                    handed = digest + rng.randrange(60)
                    rows.append(
                        f"{nid}\t{kind}\t{EMAIL}\t{key}\tsent\t1\t{created}\t"
                        f"{tl.ts_epoch(handed + 1)}\t{NULL}\t{person.id}\t{q.id}\tt\t"
                        f"{tl.ts_epoch(handed)}\tf\n"
                    )
                else:
                    rows.append(
                        f"{nid}\t{kind}\t{EMAIL}\t{key}\tin_digest\t0\t{created}\t{NULL}\t"
                        f"{NULL}\t{person.id}\t{q.id}\tt\t{NULL}\tf\n"
                    )
            else:
                handed = tl.epoch(w) + 1 + rng.randrange(30)
                if rng.random() < 0.001:  # refused by the mail server ten times
                    rows.append(
                        f"{nid}\t{kind}\t{EMAIL}\t{key}\tfailed\t10\t{created}\t{NULL}\t{NULL}\t"
                        f"{person.id}\t{q.id}\tf\t{tl.ts_epoch(handed)}\tf\n"
                    )
                else:
                    rows.append(
                        f"{nid}\t{kind}\t{EMAIL}\t{key}\tsent\t1\t{created}\t"
                        f"{tl.ts_epoch(handed + 1)}\t{NULL}\t{person.id}\t{q.id}\tf\t"
                        f"{tl.ts_epoch(handed)}\tf\n"
                    )

    # --- the life of a question -----------------------------------------------------------------
    def _life(self, q: QState) -> None:
        rng = self.rng
        w = q.created
        self._identity_read(q.case, q.asker, max(w - 0.002, q.case.opened + 0.0003))
        self._move(q, S.DRAFT, q.asker, R.DRAFT_SAVED, "", w)
        self._seen(q, q.asker, w)
        if not q.force and rng.random() < 0.02:  # a draft never sent: left, or withdrawn later
            w = self._after(w, 8.0)
            if rng.random() < 0.5:
                self._move(q, S.WITHDRAWN, q.asker, R.WITHDRAWN, self._pick("withdraw"), w)
            return
        w = self._after(w, 0.05)
        self._move(q, S.SUBMITTED, q.asker, "", "", w)
        self._seen(q, q.asker, w)
        model = q.pool.model
        if model == NETWORK:
            self._move(q, S.OPEN, None, R.ROUTED_NETWORK, "", w)
            matching = self._matching_experts(q)
            key = f"question:{q.id}:submitted"
            self._notify(q, N.NEW_QUESTION, [e.person for e in matching], key, w)
            for expert in matching:
                if rng.random() < NEW_QUESTION_OPENED:
                    moment = w + rng.expovariate(1.5)
                    if moment <= self.end:
                        self._seen(q, expert.person, moment)
            self._network(q, w, matching)
        elif model == TEAM:
            self._move(q, S.SCHEDULED, None, R.ROUTED_TEAM, "", w)
            self._team_pool(q, w)
        else:
            self._move(q, S.IN_TRIAGE, None, R.ROUTED_TRIAGE, "", w)
            key = f"question:{q.id}:in-queue"
            self._notify(q, N.NEW_IN_QUEUE, q.pool.triage_workers, key, w)
            self._triage(q, w)

    def _network(self, q: QState, w: float, matching: list[Expert]) -> None:
        rng = self.rng
        if q.force == S.WITHDRAWN or (not q.force and rng.random() < 0.03):
            w = self._after(w, 4.0)
            self._withdraw(q, w)
            return
        if not matching or (not q.force and rng.random() < 0.04):
            # Nobody picks it up: in the end the team closes it without advice, or withdraws it.
            w = self._after(w, 25.0, minimum=8.0)
            if rng.random() < 0.5:
                self._close(q, w)
            else:
                self._withdraw(q, w)
            return
        experts = self._choose(matching, rng.choices((1, 2, 3), (75, 22, 3))[0])
        first = experts[0].person
        w = self._after(w, 1.0)
        self._seen(q, first, w)
        if rng.random() < 0.6:
            self._join(q, first, QuestionExpert.Kind.PICKED_UP, w)
            self._touch(q, w)
            w = self._after(w, 1.0)
        if q.force == S.NEEDS_CLARIFICATION or (not q.force and rng.random() < 0.12):
            w = self._clarify(q, experts[0], w)
            w = self._after(w, 0.8)
        self._advise(q, experts[0], w)
        for other in experts[1:]:
            w = self._after(w, 1.5)
            self._advise(q, other, w)
        self._afterwards(q, w, experts)

    def _team_pool(self, q: QState, w: float) -> None:
        """An expert team discusses its questions in its fortnightly session (outside the app
        until the sessions issue); the team closes the question after it."""
        rng = self.rng
        if not q.force and rng.random() < 0.1:
            w = self._after(w, 6.0)
            self._withdraw(q, w)
            return
        if rng.random() < 0.1:
            w = self._after(w, 2.0)
            self._follow_up(q, w)
        w = self._after(w, 12.0, minimum=3.0)
        if rng.random() < 0.05:
            return  # never closed
        self._close(q, w)

    def _triage(self, q: QState, w: float) -> None:
        rng, pool = self.rng, q.pool
        first_round = True
        while True:
            if q.force == S.IN_TRIAGE:
                raise Stop
            backlog = self.end - w < pool.backlog_days and rng.random() < pool.backlog_share
            if first_round and backlog and not q.force:
                # Waiting in the queue of an understaffed triage desk, past the end.
                if rng.random() < 0.05:
                    self._withdraw(q, self._after(w, 20.0))
                raise Stop
            first_round = False
            if not q.force and rng.random() < 0.03:
                self._withdraw(q, self._after(w, 2.0))
                return
            worker = rng.choice(pool.triage_workers)
            claimed = self._after(w, 0.8)
            w = claimed + 0.002 + rng.expovariate(20.0)
            if w > self.end:
                if self.end - claimed < 0.2:  # claimed in the last two hours: still held
                    at = self.tl.ts(claimed)
                    self._rows["triage_triageclaim"].append(
                        f"{self.ids('triage_triageclaim')}\t{at}\t{at}\t{q.id}\t{worker.id}\n"
                    )
                # An older claim went back to the queue when it was idle (release_idle_claims).
                raise Stop
            self._seen(q, worker, w)
            if rng.random() < 0.25:
                self._sharpen(q, worker, w)
                w += 0.003
            roll = _FORCED_ROLL[q.force] if q.force in _FORCED_ROLL else rng.random()
            if roll < 0.10:
                w = self._triage_clarify(q, worker, w)
                continue  # the reply returns it to the queue
            if roll < 0.25:
                self._triage_answer(q, worker, w)
                self._afterwards(q, w, [])
                return
            if roll < 0.33:
                reason = self._pick("session")
                self._move(q, S.SCHEDULED, worker, R.SESSION_WANTED, reason, w)
                self._decide(q, worker, TriageDecision.Kind.SESSION, reason, "", w)
                w = self._after(w, 12.0, minimum=3.0)
                if rng.random() < 0.95:
                    self._close(q, w)
                return
            if roll < 0.43:
                self._redirect(q, worker, w)
                return
            w, experts = self._assign(q, worker, w)
            if q.status == S.IN_TRIAGE:
                continue  # every assigned expert declined: back in the queue
            self._afterwards(q, w, experts)
            return

    def _afterwards(self, q: QState, w: float, experts: list[Expert]) -> None:
        """After the (first) advice: perhaps a follow-up or another clarification, then the
        close-out, now and then a reopening."""
        rng = self.rng
        if rng.random() < 0.12:
            w = self._after(w, 3.0)
            self._follow_up(q, w)
        if experts and rng.random() < 0.04:
            w = self._after(w, 2.0)
            w = self._clarify(q, experts[0], w)
        if rng.random() < 0.04:
            return  # the team never closes it: it stays answered
        w = self._after(w, 8.0, minimum=1.0)
        self._close(q, w)
        if rng.random() < 0.04:
            w = self._after(w, 15.0)
            self._reopen(q, w)
            if experts and rng.random() < 0.5:
                w = self._after(w, 2.0)
                self._advise(q, rng.choice(experts), w)
            w = self._after(w, 8.0)
            self._close(q, w)

    # --- expert steps (consultation.services.advising) ------------------------------------------
    def _advise(self, q: QState, expert: Expert, w: float) -> None:
        person = expert.person
        self._join(q, person, QuestionExpert.Kind.PICKED_UP, w)
        if q.status == S.NEEDS_CLARIFICATION and q.before in ANSWERED_BY_ADVICE:
            q.before = S.ANSWERED  # workflow.set_return_status
        body = self._pick_advice(q)
        mid = self._message(q, K.ADVICE, person, body, esc(expert.job_title), w)
        if q.status in ANSWERED_BY_ADVICE:
            self._move(q, S.ANSWERED, person, R.ADVICE_GIVEN, "", w)
        else:
            self._touch(q, w)
        self._notify(q, N.NEW_ADVICE, [q.asker], f"message:{mid}", w)
        q.advice.append(mid)
        if q.first_advice is None:
            q.first_advice = w
        self._seen(q, person, w)

    def _clarify(self, q: QState, expert: Expert, w: float) -> float:
        """An expert asks the team for clarification; the team replies (which may fall after the
        end: then the question waits for it)."""
        person = expert.person
        self._join(q, person, QuestionExpert.Kind.PICKED_UP, w)
        body = self._pick("clarification")
        mid = self._message(q, K.CLARIFICATION_REQUEST, person, body, esc(expert.job_title), w)
        self._move(q, S.NEEDS_CLARIFICATION, person, R.CLARIFICATION_ASKED, "", w)
        self._notify(q, N.CLARIFICATION_REQUESTED, [q.asker], f"message:{mid}", w)
        q.last_clarifier = person
        self._seen(q, person, w)
        return self._reply(q, w)

    def _reply(self, q: QState, w: float) -> float:
        """consultation.services.question_reply while the team is asked for clarification."""
        if not self._q.force and self.rng.random() < 0.04:
            self._withdraw(q, self._after(w, 5.0))
            raise Stop
        w = self._after(w, 1.2)
        recipients = self._participants(q)
        if q.last_clarifier is not None:
            recipients.append(q.last_clarifier)
        mid = self._message(q, K.REPLY, q.asker, self._pick("reply"), "", w)
        target = q.before or S.OPEN
        self._move(q, target, q.asker, R.CLARIFICATION_GIVEN, "", w)
        self._notify(q, N.REPLY, recipients, f"message:{mid}", w)
        self._seen(q, q.asker, w)
        return w

    def _follow_up(self, q: QState, w: float) -> None:
        mid = self._message(q, K.FOLLOW_UP, q.asker, self._pick("follow_up"), "", w)
        self._touch(q, w)
        self._notify(q, N.FOLLOW_UP, self._participants(q), f"message:{mid}", w)
        self._seen(q, q.asker, w)

    # --- team steps (consultation.services.asking) ----------------------------------------------
    def _closer(self, q: QState) -> Person:
        if q.team.leads and self.rng.random() < 0.1:
            return self.rng.choice(q.team.leads)
        return q.asker

    def _close(self, q: QState, w: float) -> None:
        rng = self.rng
        closer = self._closer(q)
        if rng.random() < 0.5:
            self._identity_read(q.case, closer, w - 0.001)
        close_out = self.ids("consultation_closeout")
        direction = rng.choice(_DIRECTIONS)
        escalation = rng.choices(_ESCALATIONS, (40, 20, 5, 35))[0]
        self._rows["consultation_closeout"].append(
            f"{close_out}\t{direction}\t{escalation}\t{self._pick('close')}\t{self.tl.ts(w)}\t"
            f"{closer.id}\t{q.id}\n"
        )
        ratings = self._rows["consultation_advicerating"]
        for message in q.advice:
            if rng.random() < 0.85:
                score = rng.choices((1, 2, 3, 4, 5), (3, 7, 20, 40, 30))[0]
                ratings.append(
                    f"{self.ids('consultation_advicerating')}\t{score}\t{close_out}\t{message}\n"
                )
        self._move(q, S.CLOSED, closer, R.CLOSED, "", w)
        self._notify(q, N.QUESTION_CLOSED, self._participants(q), f"closeout:{close_out}", w)
        self._seen(q, closer, w)

    def _reopen(self, q: QState, w: float) -> None:
        target = S.ANSWERED if q.advice else S.OPEN
        step = self._move(q, target, q.asker, R.REOPENED, self._pick("reopen"), w)
        self._notify(q, N.REOPENED, self._participants(q), f"reopen:{step}", w)
        self._seen(q, q.asker, w)

    def _withdraw(self, q: QState, w: float) -> None:
        self._move(q, S.WITHDRAWN, q.asker, R.WITHDRAWN, self._pick("withdraw"), w)
        self._seen(q, q.asker, w)

    # --- triage steps (triage.services) ---------------------------------------------------------
    def _decide(self, q, worker, kind, reason, target, w) -> None:
        self._rows["triage_triagedecision"].append(
            f"{self.ids('triage_triagedecision')}\t{kind}\t{reason}\t{self.tl.ts(w)}\t{q.id}\t"
            f"{worker.id}\t{target}\n"
        )

    def _sharpen(self, q: QState, worker: Person, w: float) -> None:
        revision = self.ids("consultation_questionrevision")
        self._rows["consultation_questionrevision"].append(
            f"{revision}\t{q.title}\t{q.summary}\t{self.tl.ts(w)}\t{q.id}\t{worker.id}\n"
        )
        q.summary = self._pick("summary")
        reason = self._pick("sharpen")
        q.last = w  # workflow.record
        self._history(q, worker, q.status, q.status, R.SHARPENED, reason, w)
        self._decide(q, worker, TriageDecision.Kind.SHARPEN, reason, "", w)
        self._notify(q, N.SHARPENED, [q.asker], f"sharpen:{revision}", w)

    def _triage_clarify(self, q: QState, worker: Person, w: float) -> float:
        body = self._pick("clarification")
        mid = self._message(q, K.CLARIFICATION_REQUEST, worker, body, self.discipline_triage, w)
        self._move(q, S.NEEDS_CLARIFICATION, worker, R.TRIAGE_CLARIFICATION, "", w)
        self._notify(q, N.CLARIFICATION_REQUESTED, [q.asker], f"message:{mid}", w)
        self._decide(q, worker, TriageDecision.Kind.CLARIFY, "", "", w)
        q.last_clarifier = worker
        return self._reply(q, w)

    def _triage_answer(self, q: QState, worker: Person, w: float) -> None:
        reason = self._pick("answer")
        body = self._pick("triage_answer")
        mid = self._message(q, K.ADVICE, worker, body, self.discipline_triage, w)
        self._move(q, S.ANSWERED, worker, R.TRIAGE_ANSWERED, reason, w)
        self._notify(q, N.NEW_ADVICE, [q.asker], f"message:{mid}", w)
        self._decide(q, worker, TriageDecision.Kind.ANSWER, reason, "", w)
        q.advice.append(mid)
        if q.first_advice is None:
            q.first_advice = w

    def _redirect(self, q: QState, worker: Person, w: float) -> None:
        target = self.rng.choices(_REDIRECT_TARGETS, (60, 25, 15))[0]
        note = self.rng.choice(self._texts["redirect"][target])
        mid = self._message(q, K.TRIAGE_NOTE, worker, note, self.discipline_triage, w)
        code = REDIRECT_REASONS[RedirectTarget(target)]
        self._move(q, S.REDIRECTED, worker, code, "", w)
        self._notify(q, N.REDIRECTED, [q.asker], f"message:{mid}", w)
        self._decide(q, worker, TriageDecision.Kind.REDIRECT, "", target, w)

    def _assign(self, q: QState, worker: Person, w: float) -> tuple[float, list[Expert]]:
        """triage_assign, then each expert accepts or declines; the first who accepted advises."""
        rng = self.rng
        declined = {p for p, link in q.links.items() if link[4] is not None}
        candidates = [e for e in self._matching_experts(q) if e.person not in declined]
        if not candidates:
            candidates = [e for e in q.pool.experts if e.person not in declined]
        chosen = self._choose(candidates, 1 if rng.random() < 0.85 else 2)
        for expert in chosen:
            link = q.links.get(expert.person)
            if link is None:
                q.links[expert.person] = [
                    self.ids("consultation_questionexpert"),
                    QuestionExpert.Kind.ASSIGNED,
                    w,
                    None,
                    None,
                    "",
                ]
            else:  # update_or_create: assigned now, whatever it was
                link[1], link[3], link[4], link[5] = QuestionExpert.Kind.ASSIGNED, None, None, ""
        names = esc(", ".join(e.person.full_name for e in chosen))
        reason = self._pick("assign")
        step = self._move(
            q, S.ASSIGNED, worker, R.ASSIGNED, f"{reason} ({names})" if reason else names, w
        )
        self._decide(q, worker, TriageDecision.Kind.ASSIGN, reason or names, "", w)
        self._notify(q, N.ASSIGNED, [e.person for e in chosen], f"assign:{step}", w)
        accepted = []
        for expert in chosen:
            moment = self._after(w, 0.5)
            link = q.links[expert.person]
            if not q.force and rng.random() < 0.08:
                self._decline(q, expert.person, link, moment)
                if q.status == S.IN_TRIAGE:
                    return moment, []
            else:
                link[3] = moment
                accepted.append(expert)
                self._seen(q, expert.person, moment)
            w = max(w, moment)
        if not accepted:
            return w, []
        first = accepted[0]
        w = self._after(w, 1.5)
        if rng.random() < 0.1:
            w = self._clarify(q, first, w)
            w = self._after(w, 0.8)
        self._advise(q, first, w)
        for other in accepted[1:]:
            w = self._after(w, 1.0)
            self._advise(q, other, w)
        return w, accepted

    def _decline(self, q: QState, person: Person, link: list, w: float) -> None:
        reason = self._pick("decline")
        link[4], link[5] = w, reason
        still = any(
            other[1] == QuestionExpert.Kind.ASSIGNED and other[4] is None
            for other in q.links.values()
        )
        if not still:
            if q.status == S.NEEDS_CLARIFICATION and q.before == S.ASSIGNED:
                q.before, q.last = S.IN_TRIAGE, w
            if q.status == S.ASSIGNED:
                self._move(
                    q, S.IN_TRIAGE, person, R.DECLINED, f"{esc(person.full_name)}: {reason}", w
                )
        iso = datetime.fromtimestamp(self.tl.epoch(w), UTC).isoformat()
        self._notify(q, N.DECLINED, q.pool.triage_workers, f"decline:{link[0]}:{iso}", w)

    # --- the end of a question ------------------------------------------------------------------
    def _finish(self, q: QState) -> None:
        tl, rows, ids = self.tl, self._rows, self.ids
        for person, (link_id, kind, created, accepted, declined, reason) in q.links.items():
            rows["consultation_questionexpert"].append(
                f"{link_id}\t{kind}\t{tl.ts(created)}\t{person.id}\t{q.id}\t{tl.ts(accepted)}\t"
                f"{reason}\t{tl.ts(declined)}\n"
            )
            if declined is None:  # a decline takes both grants away (assignment_decline)
                grants = rows["consultation_questionuserobjectpermission"]
                for permission in (self.perm_view_question, self.perm_advise_question):
                    grants.append(
                        f"{ids('consultation_questionuserobjectpermission')}\t{q.id}\t"
                        f"{permission}\t{person.id}\n"
                    )
        for person, moment in q.seen.items():
            rows["consultation_questionread"].append(
                f"{ids('consultation_questionread')}\t{tl.ts(moment)}\t{q.id}\t{person.id}\n"
            )
        if q.pool.model == ExpertPool.CollaborationModel.TRIAGE and q.submitted is not None:
            self._late_notices(q)
        for slug in q.domains:
            rows["consultation_question_life_domains"].append(
                f"{ids('consultation_question_life_domains')}\t{q.id}\t{self.domain_ids[slug]}\n"
            )
        for slug in q.groups:
            rows["consultation_question_target_groups"].append(
                f"{ids('consultation_question_target_groups')}\t{q.id}\t{self.group_ids[slug]}\n"
            )
        urgency = "urgent" if self.rng.random() < 0.08 else "normal"
        help_form = (
            "session"
            if q.pool.model == TEAM and self.rng.random() < 0.5
            else self.rng.choices(_HELP_FORMS, (70, 15, 8, 7))[0]
        )
        rows["consultation_question"].append(
            f"{q.id}\t{q.title}\t{q.situation}\t{self.rng.choice(self._texts['tried'])}\t"
            f"{q.ask}\t{urgency}\t{help_form}\t{q.status}\t{q.before}\t{tl.ts(q.created)}\t"
            f"{tl.ts(q.submitted)}\t{tl.ts(q.closed)}\t{tl.ts(q.last)}\t{q.asker.id}\t"
            f"{q.case.id}\t{q.pool.id}\t{q.team.id}\t{q.summary}\n"
        )

    def _late_notices(self, q: QState) -> None:
        """triage.tasks.check_clocks, as it ran every 15 minutes: the pool's triage workers hear
        when a question waited in the queue past its triage target (and past three times it),
        and with the team leads when the first advice is late (triage.selectors.lateness)."""
        pool, end = q.pool, self.end
        workers = pool.triage_workers
        submitted = q.submitted
        assert submitted is not None
        for target, level in ((2, "late"), (6, "very-late")):  # triage_target_days = 2
            due = submitted + target
            for start, stop in q.triage_spells:
                moment = max(start, due) + self.rng.uniform(0.0, CLOCK_CHECK)
                if (stop is None or stop > due) and moment <= end:
                    key = f"triage-{level}:{q.id}"
                    self._notify(q, N.TRIAGE_LATE, workers, key, moment)
                    break
        awaiting_until = min(
            (m for m in (q.first_advice, q.first_final) if m is not None), default=None
        )
        for target, level in ((5, "late"), (15, "very-late")):  # advice_target_days = 5
            due = submitted + target
            moment = due + self.rng.uniform(0.0, CLOCK_CHECK)
            if (awaiting_until is None or awaiting_until > due) and moment <= end:
                key = f"advice-{level}:{q.id}"
                self._notify(q, N.ADVICE_LATE, workers + q.team.leads, key, moment)

    # --- choosing ---------------------------------------------------------------------------------
    def _matching_experts(self, q: QState) -> list[Expert]:
        """consultation.services.matching_experts: experts of the pool whose life domains or
        target groups meet the question's."""
        key = (q.pool.id, tuple(q.domains), tuple(q.groups))
        found = self._matching.get(key)
        if found is None:
            domains, groups = set(q.domains), set(q.groups)
            found = [
                e for e in q.pool.experts if domains & set(e.domains) or groups & set(e.groups)
            ]
            self._matching[key] = found
        return found

    def _choose(self, experts: list[Expert], count: int) -> list[Expert]:
        pool = list(experts)
        chosen: list[Expert] = []
        while pool and len(chosen) < count:
            # An expert on leave is rarely picked (suggest_experts ranks them last).
            weights = [e.weight * (0.1 if e.unavailable else 1.0) for e in pool]
            pick = self.rng.choices(pool, weights)[0]
            chosen.append(pick)
            pool.remove(pick)
        return chosen

    def _pick(self, what: str) -> str:
        return self.rng.choice(self._texts[what])

    def _pick_advice(self, q: QState) -> str:
        return self.rng.choice(self._texts["advice"][q.domains[0]])

    def _escaped_texts(self) -> dict:
        """Every fragment escaped for COPY once, not per row."""
        return {
            "questions": {
                domain: [(esc(t), esc(s), esc(a)) for t, s, a in items]
                for domain, items in texts.QUESTIONS.items()
            },
            "context": [esc(t) for t in texts.CONTEXT],
            "tried": [esc(t) for t in texts.TRIED],
            "advice": {d: [esc(t) for t in items] for d, items in texts.ADVICE.items()},
            "clarification": [esc(t) for t in texts.CLARIFICATION_REQUESTS],
            "reply": [esc(t) for t in texts.REPLIES],
            "follow_up": [esc(t) for t in texts.FOLLOW_UPS],
            "withdraw": [esc(t) for t in texts.WITHDRAW_REASONS],
            "reopen": [esc(t) for t in texts.REOPEN_REASONS],
            "close": [esc(t) for t in texts.CLOSE_COMMENTS],
            "summary": [esc(t) for t in texts.SHARPENED_SUMMARIES],
            "answer": [esc(t) for t in texts.TRIAGE_REASONS["answer"]],
            "assign": [esc(t) for t in texts.TRIAGE_REASONS["assign"]],
            "session": [esc(t) for t in texts.TRIAGE_REASONS["session"]],
            "sharpen": [esc(t) for t in texts.TRIAGE_REASONS["sharpen"]],
            "triage_answer": [esc(t) for t in texts.TRIAGE_ANSWERS],
            "redirect": {k: [esc(t) for t in v] for k, v in texts.REDIRECT_NOTES.items()},
            "decline": [esc(t) for t in texts.DECLINE_REASONS],
        }


def _ip(person: Person) -> str:
    """A private address per professional (the office network), in the audit log."""
    return f"10.{20 + (person.id >> 16) % 200}.{(person.id >> 8) % 256}.{person.id % 256}"


_AGES = list(range(19, 90)) + list(range(25, 60)) * 2  # adults, most of working age
_RESIDENT_FIRST = [esc(name) for name in RESIDENT_FIRST_NAMES]
_DIRECTIONS = (CloseOut.Direction.CONFIRMED, CloseOut.Direction.NEW_DIRECTION)
_ESCALATIONS = (
    CloseOut.Escalation.AVOIDED,
    CloseOut.Escalation.STILL_NEEDED,
    CloseOut.Escalation.NEWLY_TRIGGERED,
    CloseOut.Escalation.NOT_CONSIDERED,
)
_REDIRECT_TARGETS = (RedirectTarget.REGULAR_CARE, RedirectTarget.OTHER_POOL, RedirectTarget.GP)
_HELP_FORMS = ("written", "phone", "home_visit", "session")
