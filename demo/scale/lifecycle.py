"""Cases and questions, lived through: every question follows the steps the services would take
(demo.scale.steps), from the draft to where it is at the end of the data set.

Time runs in working days (demo.scale.timeline) from the moment a question is drafted; a step
that would happen after the end does not happen, so what is left is the state at the end: old
questions are nearly all closed, recent ones are open, in triage, awaiting a reply.
"""

from __future__ import annotations

import contextlib

from consultation.models import QuestionExpert
from consultation.workflow import FINAL
from demo.scale.model import NETWORK, TEAM, Expert, Pool, Team
from demo.scale.rows import CaseState, N, QState, R, S, Stop
from demo.scale.steps import Steps
from expertise.models import ExpertPool
from triage.models import TriageDecision
from wijkteam.models import PSEUDONYM_ALPHABET

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
NEW_QUESTION_OPENED = 0.25  # share of notified network experts who open a new question


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


class Consultations(Steps):
    """Plans the cases and questions, then lives through each question in the order they were
    drafted."""

    _domain_list = list(DOMAIN_SHARES)
    _domain_weights = list(DOMAIN_SHARES.values())

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
        if q.pool.model == ExpertPool.CollaborationModel.TRIAGE and q.submitted is not None:
            self._late_notices(q)
        self._finish(q)
        case.remaining -= 1
        case.last = max(case.last, q.last)
        case.all_final = case.all_final and q.state in FINAL
        if case.remaining == 0:
            self._close_case(case)

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
            if q.state == S.IN_TRIAGE:
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
