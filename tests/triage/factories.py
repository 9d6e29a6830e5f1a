"""The cast of the triage tests: a triage pool (org["pool"]) serving the district team, its two
triage workers, three experts of the pool, and a second triage pool with its own worker and
expert; a resident with a unique canary identity that must never reach triage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from consultation import services
from consultation.models import Question, Status
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from tests.accounts.factories import UserFactory
from tests.consultation.factories import QuestionFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.wijkteam.factories import CaseFactory, ResidentFactory
from wijkteam.services import case_open, resident_register

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

CANARY_FIRST = "Wendelmoed"
CANARY_LAST = "Tjoeksmaat"
CANARY_BIRTH = date(2009, 11, 23)
CANARY_POSTCODE = "3817 ZW"
CANARY = [CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE, "3817ZW", "2009-11-23", "23-11-2009"]


def at(year, month, day, hour=15, minute=0) -> datetime:
    """An Amsterdam wall-clock moment."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def triage_worker(pool: ExpertPool, **fields):
    user = UserFactory(**fields)
    pool.triage_workers.add(user)
    return user


def expert_in(pools, *, job="schuldhulpverlener", domains=(), groups=(), **profile_fields):
    """A user with an expert profile in `pools`, matching the given life domain / group slugs."""
    user = UserFactory()
    profile = ExpertProfileFactory(user=user, job_title=job, pools=list(pools), **profile_fields)
    profile.life_domains.set(LifeDomain.objects.filter(slug__in=domains))
    profile.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
    return user


def backdate(question: Question, *, days: float = 0, at_moment: datetime | None = None) -> Question:
    """Move the question's clocks: its submission is `days` ago (or at `at_moment`)."""
    moment = at_moment or timezone.now() - timedelta(days=days)
    Question.objects.filter(pk=question.pk).update(submitted_at=moment)
    question.refresh_from_db()
    return question


def in_triage_question(*, pool: ExpertPool, team, submitted_at=None, urgency="normal", **fields):
    """A question already waiting in the triage queue, written directly (for bulk set-ups; the
    service path is covered in test_services)."""
    case = CaseFactory(resident=ResidentFactory(team=team))
    return QuestionFactory(
        case=case,
        pool=pool,
        status=Status.IN_TRIAGE,
        urgency=urgency,
        submitted_at=submitted_at or timezone.now(),
        **fields,
    )


@dataclass
class TriageCast:
    org: dict
    pool: ExpertPool  # the triage pool serving the team (org["pool"])
    other_pool: ExpertPool  # another triage pool serving the same team
    generalist: object
    team_lead: object
    worker: object  # triage worker of `pool`
    second_worker: object  # triage worker of `pool`
    other_worker: object  # triage worker of `other_pool` only
    expert: object  # pool, matches Financiën + Schulden
    second_expert: object  # pool, matches Financiën
    unassigned_expert: object  # pool, other expertise
    foreign_expert: object  # other_pool only
    resident: object
    case: object

    def ask(
        self,
        *,
        title="Huurachterstand en dreigende ontruiming",
        urgency=Question.Urgency.NORMAL,
        submit=True,
        pool=None,
        domains=("financien",),
        groups=("schulden",),
    ) -> Question:
        data = services.QuestionInput(
            title=title,
            situation="Huurachterstand van vier maanden, de post blijft ongeopend liggen.",
            tried="Samen de post geopend; aanmelding bij de schuldhulp loopt.",
            question="Hoe voorkomen we een ontruiming op korte termijn?",
            urgency=urgency,
        )
        question = services.question_create(
            actor=self.generalist,
            case=self.case,
            pool=pool or self.pool,
            data=data,
            life_domains=LifeDomain.objects.filter(slug__in=domains),
            target_groups=TargetGroup.objects.filter(slug__in=groups),
        )
        if submit:
            question = services.question_submit(actor=self.generalist, question=question)
        return question


def build_cast(org, make_user) -> TriageCast:
    from accounts.roles import Role

    pool = org["pool"]
    assert pool.collaboration_model == ExpertPool.CollaborationModel.TRIAGE
    other_pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.TRIAGE
    )
    other_pool.teams.add(org["team"])
    generalist = make_user(Role.GENERALIST)
    resident = resident_register(
        actor=generalist,
        team=org["team"],
        first_name=CANARY_FIRST,
        last_name=CANARY_LAST,
        date_of_birth=CANARY_BIRTH,
        postcode=CANARY_POSTCODE,
        household="single_parent",
    )
    return TriageCast(
        org=org,
        pool=pool,
        other_pool=other_pool,
        generalist=generalist,
        team_lead=make_user(Role.TEAM_LEAD),
        worker=make_user(Role.TRIAGE),
        second_worker=make_user(Role.TRIAGE),
        other_worker=triage_worker(other_pool),
        expert=expert_in([pool], domains=["financien"], groups=["schulden"]),
        second_expert=expert_in([pool], job="budgetcoach", domains=["financien"]),
        unassigned_expert=expert_in([pool], job="ouderenadviseur", domains=["zingeving"]),
        foreign_expert=expert_in([other_pool], domains=["financien"], groups=["schulden"]),
        resident=resident,
        case=case_open(actor=generalist, resident=resident),
    )
