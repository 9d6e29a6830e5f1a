# mypy: disable-error-code="attr-defined,misc,arg-type"
# (factory_boy factories are typed as the factory, not the model they build)
"""The small hand-made world the report tests compute on; the right answers are in the tests.

Municipality M (region R) has three teams: Noord (3 active members and 1 inactive), Zuid (2),
Oost (1, asks nothing). Municipality M2 in the same region has West. One triage pool P (triage
target 2 working days, cap 240 min) serves all four teams. The report period is Q2 2025;
"now" is Wednesday 2 July 2025 12:00. Holidays in it: Good Friday 18 Apr, Easter Monday 21
Apr, Liberation Day 5 May (a lustrum year), Ascension 29 May, Whit Monday 9 Jun.

Every resident is called CANARY: the name must appear in no report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from consultation.models import (
    AdviceRating,
    CloseOut,
    Message,
    Question,
    QuestionExpert,
    QuestionTransition,
    Status,
)
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from hours.models import TimeEntry
from meetings.models import AgendaItem, Session
from tests.accounts.factories import UserFactory
from tests.consultation.factories import QuestionFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory, OrganisationFactory
from tests.helpers import seed_reference_data
from tests.wijkteam.factories import (
    CaseFactory,
    DistrictTeamFactory,
    MunicipalityFactory,
    RegionFactory,
    ResidentFactory,
    TeamMembershipFactory,
)
from triage.clock import AMSTERDAM
from triage.models import RedirectTarget, TriageDecision

CANARY_FIRST, CANARY_LAST = "Canarina", "Vogelzang-Kanarie"
# Every professional's name: no report names a person either.
PERSON_FIRST, PERSON_LAST = "Professional", "Kanariepersoon"
NOW = datetime(2025, 7, 2, 12, 0, tzinfo=AMSTERDAM)


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=AMSTERDAM)


@dataclass
class World:
    region: object = None
    municipality: object = None
    other_municipality: object = None
    teams: dict = field(default_factory=dict)
    pool: object = None
    experts: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)
    pseudonyms: list = field(default_factory=list)


def person(**fields):
    return UserFactory(first_name=PERSON_FIRST, last_name=PERSON_LAST, **fields)


def _members(world: World, team, n: int, *, inactive: int = 0) -> None:
    for i in range(n + inactive):
        TeamMembershipFactory(team=team, user=person(is_active=i < n))


def ask(world: World, team, submitted: datetime, *, status=Status.OPEN, domains=(), groups=()):
    """A question of `team` to the pool, submitted at `submitted`, in `status`."""
    resident = ResidentFactory(team=team, first_name=CANARY_FIRST, last_name=CANARY_LAST)
    case = CaseFactory(resident=resident, owner=person())
    world.pseudonyms.append(case.pseudonym)
    question = QuestionFactory(
        case=case,
        pool=world.pool,
        title=f"Huurschuld van {CANARY_FIRST} {CANARY_LAST}",
        status=status,
        submitted_at=submitted,
        life_domains=list(LifeDomain.objects.filter(slug__in=domains)),
        target_groups=list(TargetGroup.objects.filter(slug__in=groups)),
    )
    QuestionTransition.objects.create(
        question=question, from_status=Status.SUBMITTED, to_status=Status.IN_TRIAGE,
        created_at=submitted,
    )  # fmt: skip
    return question


def out_of_triage(question, moment: datetime, to_status=Status.ASSIGNED) -> None:
    QuestionTransition.objects.create(
        question=question, from_status=Status.IN_TRIAGE, to_status=to_status, created_at=moment
    )


def advise(question, expert, moment: datetime, discipline: str = "schuldhulpverlener"):
    message = Message.objects.create(
        question=question,
        author=expert,
        kind=Message.Kind.ADVICE,
        body=f"Bel {CANARY_FIRST} over de huur.",
        author_discipline=discipline,
    )
    Message.objects.filter(pk=message.pk).update(created_at=moment)
    return message


def close(question, moment: datetime, direction: str, escalation: str, ratings=()):
    Question.objects.filter(pk=question.pk).update(status=Status.CLOSED, closed_at=moment)
    close_out = CloseOut.objects.create(
        question=question, closed_by=question.asked_by, direction=direction,
        escalation=escalation, comment=f"Goed geholpen, {CANARY_FIRST}.",
    )  # fmt: skip
    CloseOut.objects.filter(pk=close_out.pk).update(created_at=moment)
    for message, usefulness in ratings:
        AdviceRating.objects.create(close_out=close_out, message=message, usefulness=usefulness)
    return close_out


def decide(question, kind: str, moment: datetime, worker, target: str = "") -> None:
    TriageDecision.objects.create(
        question=question, worker=worker, kind=kind, redirect_target=target, created_at=moment,
        reason=f"Over {CANARY_LAST}",
    )  # fmt: skip


def build_world() -> World:
    seed_reference_data()
    w = World()
    w.region = RegionFactory()
    w.municipality = MunicipalityFactory(region=w.region)
    w.other_municipality = MunicipalityFactory(region=w.region)
    for name in ("Noord", "Zuid", "Oost"):
        w.teams[name] = DistrictTeamFactory(municipality=w.municipality, name=f"Wijkteam {name}")
    w.teams["West"] = DistrictTeamFactory(municipality=w.other_municipality, name="Wijkteam West")
    _members(w, w.teams["Noord"], 3, inactive=1)
    _members(w, w.teams["Zuid"], 2)
    _members(w, w.teams["Oost"], 1)
    _members(w, w.teams["West"], 1)
    w.pool = ExpertPoolFactory(
        region=w.region, collaboration_model=ExpertPool.CollaborationModel.TRIAGE,
        triage_target_days=2, monthly_cap_minutes=240,
    )  # fmt: skip
    w.pool.teams.set(w.teams.values())
    worker = person()
    w.pool.triage_workers.add(worker)
    _experts(w)
    _questions(w, worker)
    _sessions(w)
    _hours(w)
    return w


def _experts(w: World) -> None:
    org_a, org_b = OrganisationFactory(name="Zorg A"), OrganisationFactory(name="Zorg B")
    specs = {
        # name: organisation, life domains, profile fields
        "E1": (org_a, ["financien"], {}),
        "E2": (org_b, ["financien", "wonen-en-leefbaarheid"], {}),
        "E3": (org_a, ["financien"], {"unavailable_until": date(2025, 7, 10)}),
        "E4": (org_b, ["wonen-en-leefbaarheid"], {"is_active": False}),
    }
    for key, (org, domains, fields) in specs.items():
        profile = ExpertProfileFactory(user=person(), organisation=org, pools=[w.pool], **fields)
        profile.life_domains.set(list(LifeDomain.objects.filter(slug__in=domains)))
        w.experts[key] = profile.user


def _questions(w: World, worker) -> None:
    noord, zuid, west = w.teams["Noord"], w.teams["Zuid"], w.teams["West"]
    e1, e2 = w.experts["E1"], w.experts["E2"]
    fin, won = ["financien"], ["wonen-en-leefbaarheid"]
    q = w.questions
    # Before the period: asked, advised, triaged, closed and discussed in March.
    q[0] = ask(w, noord, at(3, 20, 10), domains=fin)
    out_of_triage(q[0], at(3, 20, 11))
    decide(q[0], TriageDecision.Kind.ASSIGN, at(3, 20, 11), worker)
    a0 = advise(q[0], e1, at(3, 21, 10))
    close(q[0], at(3, 25, 10), "new_direction", "avoided", ratings=[(a0, 1)])

    q[1] = ask(w, noord, at(4, 17, 10), domains=fin, groups=["jeugd"])
    out_of_triage(q[1], at(4, 17, 15), Status.ANSWERED)
    decide(q[1], TriageDecision.Kind.ANSWER, at(4, 17, 15), worker)
    a1 = advise(q[1], e1, at(4, 22, 10))
    close(q[1], at(4, 25, 10), "new_direction", "avoided", ratings=[(a1, 4)])

    q[2] = ask(w, noord, at(5, 2, 12), domains=fin, groups=["jeugd"])
    out_of_triage(q[2], at(5, 7, 12))
    decide(q[2], TriageDecision.Kind.ASSIGN, at(5, 7, 12), worker)
    a2 = advise(q[2], e1, at(5, 7, 12))
    # Closed, reopened and closed again: only the newest close-out counts.
    close(q[2], at(5, 7, 13), "confirmed", "still_needed", ratings=[(a2, 1)])
    close(q[2], at(5, 9, 12), "new_direction", "avoided", ratings=[(a2, 5)])

    q[3] = ask(w, noord, at(5, 10, 9), domains=fin)  # a Saturday
    out_of_triage(q[3], at(5, 12, 12), Status.NEEDS_CLARIFICATION)
    decide(q[3], TriageDecision.Kind.CLARIFY, at(5, 12, 12), worker)
    decide(q[3], TriageDecision.Kind.ASSIGN, at(5, 12, 16), worker)
    a3 = advise(q[3], e2, at(5, 12, 18), "woonconsulent")
    close(q[3], at(5, 19, 0), "confirmed", "still_needed", ratings=[(a3, 3)])

    q[4] = ask(w, noord, at(5, 27, 8), status=Status.ANSWERED, domains=fin)
    out_of_triage(q[4], at(6, 2, 8))
    decide(q[4], TriageDecision.Kind.SHARPEN, at(5, 28, 9), worker)
    decide(q[4], TriageDecision.Kind.ASSIGN, at(6, 2, 8), worker)
    advise(q[4], e1, at(6, 2, 8))

    q[5] = ask(w, noord, at(6, 4, 12), status=Status.ANSWERED, domains=fin)
    out_of_triage(q[5], at(6, 4, 13), Status.SCHEDULED)
    decide(q[5], TriageDecision.Kind.SESSION, at(6, 4, 13), worker)
    advise(q[5], e1, at(6, 12, 12))

    q[6] = ask(w, noord, at(6, 2, 9), domains=fin)
    out_of_triage(q[6], at(6, 3, 9))
    decide(q[6], TriageDecision.Kind.ASSIGN, at(6, 3, 9), worker)
    a6 = advise(q[6], e1, at(6, 12, 9))
    b6 = advise(q[6], e2, at(6, 13, 9), "woonconsulent")
    close(q[6], at(6, 16, 9), "confirmed", "newly_triggered", ratings=[(a6, 3), (b6, 4)])

    q[7] = ask(w, zuid, at(6, 10, 12), status=Status.ANSWERED, domains=won)
    out_of_triage(q[7], at(6, 10, 13))
    decide(q[7], TriageDecision.Kind.ASSIGN, at(6, 10, 13), worker)
    advise(q[7], e2, at(6, 20, 12), "woonconsulent")

    q[8] = ask(w, zuid, at(6, 16, 10), domains=won)
    out_of_triage(q[8], at(6, 17, 10))
    decide(q[8], TriageDecision.Kind.ASSIGN, at(6, 17, 10), worker)

    q[9] = ask(w, zuid, at(6, 30, 10), status=Status.IN_TRIAGE, domains=fin + won)

    q[10] = ask(w, zuid, at(6, 20, 10), status=Status.REDIRECTED)
    out_of_triage(q[10], at(6, 20, 11), Status.REDIRECTED)
    decide(q[10], TriageDecision.Kind.REDIRECT, at(6, 20, 11), worker, RedirectTarget.OTHER_POOL)

    # The other municipality's question.
    q[11] = ask(w, west, at(6, 3, 10), status=Status.ANSWERED, domains=fin)
    out_of_triage(q[11], at(6, 3, 11))
    decide(q[11], TriageDecision.Kind.ASSIGN, at(6, 3, 11), worker)
    advise(q[11], e2, at(6, 4, 10))

    # Who works on what now: E1 on 4 and 5 (and the closed 1), E2 on 7 and 8 (declined 4).
    for number, expert in ((1, e1), (4, e1), (5, e1), (7, e2), (8, e2)):
        QuestionExpert.objects.create(question=q[number], expert=expert, kind="assigned")
    QuestionExpert.objects.create(question=q[4], expert=e2, kind="assigned", declined_at=NOW)


def _session(w: World, start: datetime, status: str, discussed=(), other=()) -> Session:
    session = Session.objects.create(
        pool=w.pool, starts_at=start, ends_at=start.replace(hour=start.hour + 2), status=status
    )
    for question in discussed:
        AgendaItem.objects.create(session=session, question=question, status="discussed")
    for question in other:
        AgendaItem.objects.create(session=session, question=question)
    return session


def _sessions(w: World) -> None:
    q = w.questions
    _session(w, at(6, 5, 14), Session.Status.HELD, discussed=[q[5], q[4], q[11]])
    _session(w, at(6, 19, 14), Session.Status.HELD, discussed=[q[11]], other=[q[7]])
    _session(w, at(6, 26, 14), Session.Status.CANCELLED, other=[q[7]])
    _session(w, at(3, 20, 14), Session.Status.HELD, discussed=[q[0]])


def _hours(w: World) -> None:
    e1, e2 = w.experts["E1"], w.experts["E2"]
    org_a = e1.expert_profile.organisation
    org_b = e2.expert_profile.organisation
    S = TimeEntry.Status

    def entry(expert, org, day, minutes, status=S.CONFIRMED, activity="advice", corrects=None):
        return TimeEntry.objects.create(
            expert=expert, pool=w.pool, organisation=org, date=day, activity=activity,
            minutes=minutes, status=status, corrects=corrects, created_by=expert,
            note=f"Gesprek met {CANARY_FIRST}",
        )  # fmt: skip

    entry(e1, org_a, date(2025, 3, 28), 100)  # before the period
    entry(e1, org_a, date(2025, 4, 22), 60)
    entry(e1, org_a, date(2025, 5, 7), 200)
    entry(e1, org_a, date(2025, 5, 20), 60, S.APPROVED)
    entry(e1, org_a, date(2025, 5, 21), 30, S.AWAITING_APPROVAL)
    june = entry(e1, org_a, date(2025, 6, 2), 90)
    entry(e1, org_a, date(2025, 6, 3), -30, activity="correction", corrects=june)
    entry(e2, org_b, date(2025, 6, 5), 120, activity="session")
    entry(e2, org_b, date(2025, 6, 6), 45, S.REJECTED)


def grow(w: World, n: int) -> None:
    """`n` more questions of every kind the figures read: for the query count at more rows."""
    worker = w.pool.triage_workers.first()
    e1, e2 = w.experts["E1"], w.experts["E2"]
    org_a = e1.expert_profile.organisation
    session = _session(w, at(6, 24, 14), Session.Status.HELD)
    domains = ["financien", "wonen-en-leefbaarheid"]
    for i in range(n):
        team = (w.teams["Noord"], w.teams["Zuid"])[i % 2]
        day = 1 + i % 28
        question = ask(w, team, at(4 + i % 3, day, 10), domains=domains, groups=["ouderen"])
        out_of_triage(question, at(4 + i % 3, day, 12))
        decide(question, TriageDecision.Kind.ASSIGN, at(4 + i % 3, day, 12), worker)
        advice = advise(question, (e1, e2)[i % 2], at(4 + i % 3, day, 16), f"discipline {i % 3}")
        QuestionExpert.objects.create(question=question, expert=(e1, e2)[i % 2], kind="assigned")
        close(question, at(4 + i % 3, day, 18), "confirmed", "avoided", ratings=[(advice, 4)])
        AgendaItem.objects.create(session=session, question=question, status="discussed")
        TimeEntry.objects.create(
            expert=e1, pool=w.pool, organisation=org_a, date=date(2025, 4 + i % 3, day),
            activity="advice", minutes=15, created_by=e1,
        )  # fmt: skip
