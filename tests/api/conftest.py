"""The API tests' cast: a network pool serving the team, experts who match and who don't, people
in every other role, another team, and a resident with a canary name. Built through the services.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tokens import api_token_create
from consultation import services
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from tests.accounts.factories import UserFactory
from tests.conftest import verify_session
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.services import case_open, resident_register

CANARY_FIRST = "Quirinella"
CANARY_LAST = "Canarywoud"
CANARY_BIRTH = date(2011, 4, 5)
CANARY_POSTCODE = "3818 KX"
# Every way the resident's identity could show up in a response.
CANARY_STRINGS = [
    CANARY_LAST,
    CANARY_FIRST,
    CANARY_BIRTH.isoformat(),
    CANARY_BIRTH.strftime("%d-%m-%Y"),
    CANARY_POSTCODE,
    CANARY_POSTCODE.replace(" ", ""),
]


@dataclass
class Cast:
    org: dict
    pool: ExpertPool  # network pool serving the team (org["pool"], a triage pool, serves it too)
    generalist: object
    team_lead: object
    other_generalist: object  # another team, same municipality
    expert: object  # network pool, matches by life domain (Financiën)
    second_expert: object  # network pool, matches by target group (Schulden)
    unmatched_expert: object  # network pool, other expertise
    triage: object
    municipality_admin: object
    resident: object
    case: object
    other_case: object  # the other team's

    def ask(self, *, submit=True, actor=None, **fields):
        data = services.QuestionInput(
            title=fields.pop("title", "Schulden en dreigende huisuitzetting"),
            situation=fields.pop("situation", "Huurachterstand van vier maanden."),
            tried=fields.pop("tried", "Samen de post geopend."),
            question=fields.pop("question", "Hoe voorkomen we een ontruiming?"),
            urgency=fields.pop("urgency", "urgent"),
        )
        question = services.question_create(
            actor=actor or self.generalist,
            case=self.case,
            pool=self.pool,
            data=data,
            life_domains=[LifeDomain.objects.get(slug="financien")],
            target_groups=[TargetGroup.objects.get(slug="schulden")],
        )
        if submit:
            question = services.question_submit(actor=actor or self.generalist, question=question)
        return question


@pytest.fixture
def cast(org, make_user):
    team = org["team"]
    pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    pool.teams.add(team)
    other_team = DistrictTeamFactory(municipality=org["municipality"])

    def expert(job, domains=(), groups=()):
        profile = ExpertProfileFactory(user=UserFactory(), job_title=job, pools=[pool])
        profile.life_domains.set(LifeDomain.objects.filter(slug__in=domains))
        profile.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
        return profile.user

    generalist = make_user(Role.GENERALIST)
    other_generalist = TeamMembershipFactory(team=other_team).user
    resident = resident_register(
        actor=generalist,
        team=team,
        first_name=CANARY_FIRST,
        last_name=CANARY_LAST,
        date_of_birth=CANARY_BIRTH,
        postcode=CANARY_POSTCODE,
        household="single_parent",
    )
    other_resident = resident_register(
        actor=other_generalist,
        team=other_team,
        first_name="Piet",
        last_name="Buurman",
        date_of_birth=date(1980, 1, 1),
        postcode="3811 AB",
        household="single",
    )
    return Cast(
        org=org,
        pool=pool,
        generalist=generalist,
        team_lead=make_user(Role.TEAM_LEAD),
        other_generalist=other_generalist,
        expert=expert("schuldhulpverlener", domains=["financien"]),
        second_expert=expert("maatschappelijk werker", groups=["schulden"]),
        unmatched_expert=expert("jeugdarts", domains=["lichamelijke-gezondheid"]),
        triage=make_user(Role.TRIAGE),
        municipality_admin=make_user(Role.MUNICIPALITY_ADMIN),
        resident=resident,
        case=case_open(actor=generalist, resident=resident),
        other_case=case_open(actor=other_generalist, resident=other_resident),
    )


@pytest.fixture
def api():
    """api(user) -> an APIClient with a verified session (what the TOTP step leaves behind)."""

    def _client(user):
        client = APIClient()
        verify_session(client, user)
        return client

    return _client


@pytest.fixture
def token_client():
    """token_client(user) -> an APIClient that authenticates with a fresh personal API token."""

    def _client(user):
        _token, secret = api_token_create(user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return _client
