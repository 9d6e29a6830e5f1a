"""The rows each step of a question writes, as its service writes them: the history entry
(consultation.workflow), the message, the outbox rows (consultation.notifications.notify), the
triage decision, the audit events (wijkteam.services.audit_record), and at the end of a
question the question itself, its experts with their row-level grants and the read markers.

Rows are COPY lines (demo.scale.copy); the fragments of text are escaped once, at the start.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from consultation.models import Message, Notification, Reason, Status
from demo.data import scale_texts as texts
from demo.data.scale_world import RESIDENT_FIRST_NAMES
from demo.scale.copy import NULL, esc
from demo.scale.model import TEAM, Person, Pool, Team, World
from demo.scale.timeline import Timeline
from wijkteam.models import AuditEvent, Case, Resident

S = Status
R = Reason
K = Message.Kind
N = Notification.Kind
IN_APP = Notification.Channel.IN_APP
EMAIL = Notification.Channel.EMAIL


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# What the generator writes per question, in COPY's column order.
TABLES: dict[str, tuple[str, ...]] = {
    "wijkteam_resident": _columns(
        "id first_name last_name date_of_birth postcode household created_at "
        "anonymised_at created_by_id team_id"
    ),
    "wijkteam_residentgroupobjectpermission": _columns(
        "id content_object_id group_id permission_id"
    ),
    "wijkteam_case": _columns(
        "id pseudonym status created_at closed_at owner_id team_id resident_id"
    ),
    "wijkteam_auditevent": _columns(
        "id action object_type object_id case_pseudonym detail channel path ip_address "
        "user_agent created_at actor_id"
    ),
    "consultation_question": _columns(
        "id title situation tried question urgency help_form status "
        "status_before_clarification created_at submitted_at closed_at last_activity_at "
        "asked_by_id case_id pool_id team_id summary"
    ),
    "consultation_question_life_domains": _columns("id question_id lifedomain_id"),
    "consultation_question_target_groups": _columns("id question_id targetgroup_id"),
    "consultation_questiontransition": _columns(
        "id from_status to_status reason created_at actor_id question_id reason_code"
    ),
    "consultation_message": _columns(
        "id kind body author_discipline created_at author_id question_id"
    ),
    "consultation_questionexpert": _columns(
        "id kind created_at expert_id question_id accepted_at decline_reason declined_at"
    ),
    "consultation_questionuserobjectpermission": _columns(
        "id content_object_id permission_id user_id"
    ),
    "consultation_questionread": _columns("id read_at question_id user_id"),
    "consultation_questionrevision": _columns(
        "id title summary created_at question_id revised_by_id"
    ),
    "consultation_closeout": _columns(
        "id direction escalation comment created_at closed_by_id question_id"
    ),
    "consultation_advicerating": _columns("id usefulness close_out_id message_id"),
    "consultation_notification": _columns(
        "id kind channel event_key state attempts created_at sent_at read_at recipient_id "
        "question_id digest handed_off_at resent_once"
    ),
    "triage_triageclaim": _columns("id claimed_at touched_at question_id worker_id"),
    "triage_triagedecision": _columns(
        "id kind reason created_at question_id worker_id redirect_target"
    ),
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
IN_APP_READ = 0.85  # in-app notifications opened soon; the rest cleared with "mark all as read"
CASE_CLOSED_AFTER = 60  # working days without activity on a case whose questions all ended


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
    state: str = ""  # the status it has now (QState is no Question: workflow writes those)
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


class Rows:
    """Writes the rows; the steps (demo.scale.steps) decide what happens."""

    _q: QState  # the question being lived through

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
        self._texts = self._escaped_texts()

    # =========================================================================================
    # Planning: cases in the order they were opened, questions in the order they were drafted
    # (ids grow with time, as they would).

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

    def _history(self, q, actor, source, target, code, reason, w) -> int:
        step = self.ids("consultation_questiontransition")
        actor_id = actor.id if actor is not None else NULL
        self._rows["consultation_questiontransition"].append(
            f"{step}\t{source}\t{target}\t{reason}\t{self.tl.ts(w)}\t{actor_id}\t{q.id}\t{code}\n"
        )
        return step

    def _message(self, q: QState, kind: str, author: Person, body: str, discipline: str, w: float):
        mid = self.ids("consultation_message")
        self._rows["consultation_message"].append(
            f"{mid}\t{kind}\t{body}\t{discipline}\t{self.tl.ts(w)}\t{author.id}\t{q.id}\n"
        )
        return mid

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

    def _decide(self, q, worker, kind, reason, target, w) -> None:
        self._rows["triage_triagedecision"].append(
            f"{self.ids('triage_triagedecision')}\t{kind}\t{reason}\t{self.tl.ts(w)}\t{q.id}\t"
            f"{worker.id}\t{target}\n"
        )

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
            f"{q.ask}\t{urgency}\t{help_form}\t{q.state}\t{q.before}\t{tl.ts(q.created)}\t"
            f"{tl.ts(q.submitted)}\t{tl.ts(q.closed)}\t{tl.ts(q.last)}\t{q.asker.id}\t"
            f"{q.case.id}\t{q.pool.id}\t{q.team.id}\t{q.summary}\n"
        )

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
_HELP_FORMS = ("written", "phone", "home_visit", "session")
