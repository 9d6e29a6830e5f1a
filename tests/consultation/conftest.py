"""A network pool serving two teams, experts who match and who don't, and a question about a
resident with a unique canary name: the cast of the consultation tests."""

from dataclasses import dataclass
from datetime import date

import pytest

from accounts.roles import Role
from consultation import services
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.wijkteam.factories import DistrictTeamFactory
from wijkteam.models import TeamMembership
from wijkteam.services import case_open, resident_register

CANARY_FIRST = "Xandrilla"
CANARY_LAST = "Quorvenhoek"
CANARY_BIRTH = date(2009, 11, 23)
CANARY_POSTCODE = "3817 ZW"


@dataclass
class Cast:
    org: dict
    pool: ExpertPool
    generalist: object
    team_lead: object
    other_generalist: object
    expert: object  # matches by life domain (Financiën)
    second_expert: object  # matches by target group (Schulden)
    unmatched_expert: object  # same pool, other expertise
    foreign_expert: object  # another pool
    triage: object
    municipality_admin: object
    resident: object
    case: object

    def ask(self, *, title="Schulden en dreigende huisuitzetting", submit=True, **overrides):
        data = services.QuestionInput(
            title=title,
            situation=overrides.pop(
                "situation",
                "Huurachterstand van vier maanden, post blijft "
                "ongeopend liggen. Er is een brief van de verhuurder.",
            ),
            tried=overrides.pop("tried", "Samen de post geopend; aanmelding schuldhulp loopt."),
            question=overrides.pop("question", "Hoe voorkomen we een ontruiming op korte termijn?"),
            urgency=overrides.pop("urgency", "urgent"),
        )
        question = services.question_create(
            actor=self.generalist,
            case=self.case,
            pool=self.pool,
            data=data,
            life_domains=[LifeDomain.objects.get(slug="financien")],
            target_groups=[TargetGroup.objects.get(slug="schulden")],
        )
        if submit:
            question = services.question_submit(actor=self.generalist, question=question)
        return question


@pytest.fixture
def cast(org, make_user):
    team = org["team"]
    pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    other_team = DistrictTeamFactory(municipality=org["municipality"])
    pool.teams.add(team, other_team)
    other_pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    other_pool.teams.add(other_team)

    def expert(job, domains=(), groups=(), pools=(pool,)):
        user = make_user(Role.GENERALIST)  # placeholder role, replaced below
        TeamMembership.objects.filter(user=user).delete()
        profile = ExpertProfileFactory(user=user, job_title=job, pools=list(pools))
        profile.life_domains.set(LifeDomain.objects.filter(slug__in=domains))
        profile.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
        return user

    generalist = make_user(Role.GENERALIST)
    other_generalist = make_user(Role.GENERALIST)
    TeamMembership.objects.filter(user=other_generalist).update(team=other_team)
    other_generalist.groups.clear()
    from wijkteam.services import team_membership_sync

    team_membership_sync(user=other_generalist, team=other_team)
    team_membership_sync(user=other_generalist, team=team)
    resident = resident_register(
        actor=generalist,
        team=team,
        first_name=CANARY_FIRST,
        last_name=CANARY_LAST,
        date_of_birth=CANARY_BIRTH,
        postcode=CANARY_POSTCODE,
        household="single_parent",
    )
    return Cast(
        org=org,
        pool=pool,
        generalist=generalist,
        team_lead=make_user(Role.TEAM_LEAD),
        other_generalist=other_generalist,
        expert=expert("schuldhulpverlener", domains=["financien"]),
        second_expert=expert("budgetcoach", groups=["schulden"]),
        unmatched_expert=expert("ouderenadviseur", domains=["zingeving"]),
        foreign_expert=expert("schuldhulpverlener", domains=["financien"], pools=(other_pool,)),
        triage=make_user(Role.TRIAGE),
        municipality_admin=make_user(Role.MUNICIPALITY_ADMIN),
        resident=resident,
        case=case_open(actor=generalist, resident=resident),
    )
