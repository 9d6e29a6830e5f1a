"""The steps of a question, one per service call (consultation.services, triage.services and
the beat's triage.tasks.check_clocks): each changes the question as that service would and
writes what it writes (demo.scale.rows). Every status change is checked against
consultation.workflow.TRANSITIONS as it is made.

A step is dated in working days (demo.scale.timeline); `_after` gives the moment of the next
one and raises Stop when that falls after the end of the data set: the question stays where it
is.
"""

from __future__ import annotations

from datetime import UTC, datetime

from consultation.models import CloseOut, QuestionExpert
from consultation.workflow import ANSWERED_BY_ADVICE, FINAL, TRANSITIONS
from demo.scale.copy import esc
from demo.scale.model import Expert, Person
from demo.scale.rows import K, N, QState, R, Rows, S, Stop
from triage.models import RedirectTarget, TriageDecision
from triage.services import REDIRECT_REASONS

CLOCK_CHECK = 0.025  # triage.tasks.check_clocks runs every 15 minutes (of a ten-hour day)


class Steps(Rows):
    def _after(self, w: float, mean: float, minimum: float = 0.003) -> float:
        """The moment of the next step; Stop when it falls after the end, or when the question
        has reached the state it is to be left in."""
        if self._q.force:
            if self._q.state == self._q.force:
                raise Stop
            mean, minimum = mean * 0.05, 0.003  # a showcase question goes quickly
        w += minimum + self.rng.expovariate(1.0 / mean)
        if w > self.end:
            raise Stop
        return w

    def _move(self, q: QState, to: str, actor: Person | None, code: str, reason: str, w: float):
        """consultation.workflow.transition (and .start for the first entry)."""
        current = q.state
        if current and to not in TRANSITIONS[current]:
            raise AssertionError(f"generator bug: {current} -> {to}")
        q.state, q.last = to, w
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

    def _touch(self, q: QState, w: float) -> None:
        q.last = w

    def _seen(self, q: QState, person: Person, w: float) -> None:
        if q.seen.get(person, -1.0) < w:
            q.seen[person] = w

    def _participants(self, q: QState) -> list[Person]:
        return [person for person, link in q.links.items() if link[4] is None]

    def _join(self, q: QState, expert: Person, kind: str, w: float) -> None:
        """consultation.services.join: get_or_create the link; the grants come with it."""
        if expert not in q.links:
            q.links[expert] = [self.ids("consultation_questionexpert"), kind, w, None, None, ""]

    def _advise(self, q: QState, expert: Expert, w: float) -> None:
        person = expert.person
        self._join(q, person, QuestionExpert.Kind.PICKED_UP, w)
        if q.state == S.NEEDS_CLARIFICATION and q.before in ANSWERED_BY_ADVICE:
            q.before = S.ANSWERED  # workflow.set_return_status
        body = self._pick_advice(q)
        mid = self._message(q, K.ADVICE, person, body, esc(expert.job_title), w)
        if q.state in ANSWERED_BY_ADVICE:
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

    def _sharpen(self, q: QState, worker: Person, w: float) -> None:
        revision = self.ids("consultation_questionrevision")
        self._rows["consultation_questionrevision"].append(
            f"{revision}\t{q.title}\t{q.summary}\t{self.tl.ts(w)}\t{q.id}\t{worker.id}\n"
        )
        q.summary = self._pick("summary")
        reason = self._pick("sharpen")
        q.last = w  # workflow.record
        self._history(q, worker, q.state, q.state, R.SHARPENED, reason, w)
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
                if q.state == S.IN_TRIAGE:
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
            if q.state == S.NEEDS_CLARIFICATION and q.before == S.ASSIGNED:
                q.before, q.last = S.IN_TRIAGE, w
            if q.state == S.ASSIGNED:
                self._move(
                    q, S.IN_TRIAGE, person, R.DECLINED, f"{esc(person.full_name)}: {reason}", w
                )
        iso = datetime.fromtimestamp(self.tl.epoch(w), UTC).isoformat()
        self._notify(q, N.DECLINED, q.pool.triage_workers, f"decline:{link[0]}:{iso}", w)

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


_DIRECTIONS = (CloseOut.Direction.CONFIRMED, CloseOut.Direction.NEW_DIRECTION)
_ESCALATIONS = (
    CloseOut.Escalation.AVOIDED,
    CloseOut.Escalation.STILL_NEEDED,
    CloseOut.Escalation.NEWLY_TRIGGERED,
    CloseOut.Escalation.NOT_CONSIDERED,
)
_REDIRECT_TARGETS = (RedirectTarget.REGULAR_CARE, RedirectTarget.OTHER_POOL, RedirectTarget.GP)
