"""The cast of the consultation, API and browser tests (the `cast` fixture of tests/conftest.py).

A network pool serving the team and another team; experts of that pool who match and who don't,
and an expert of another pool; people in every other role; a resident with a unique canary
identity, and a resident and case of the other team. Built through the services.
"""

from dataclasses import dataclass
from datetime import date

from accounts.roles import Role
from consultation import services
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from tests.accounts.factories import UserFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.services import case_open, resident_register

CANARY_FIRST = "Xandrilla"
CANARY_LAST = "Quorvenhoek"
CANARY_BIRTH = date(2009, 11, 23)
CANARY_POSTCODE = "3817 ZW"
# Every way the resident's identity could show up in a page, response, e-mail or log line.
CANARY_STRINGS = [
    CANARY_LAST,
    CANARY_FIRST,
    CANARY_BIRTH.isoformat(),
    CANARY_BIRTH.strftime("%d-%m-%Y"),
    CANARY_BIRTH.strftime("%d/%m/%Y"),
    "23 november 2009",
    CANARY_POSTCODE,
    CANARY_POSTCODE.replace(" ", ""),
]


@dataclass
class Cast:
    org: dict
    pool: ExpertPool  # network pool serving the team (org["pool"], a triage pool, serves it too)
    generalist: object
    team_lead: object
    other_generalist: object  # another team, same municipality; the network pool serves it too
    expert: object  # network pool, matches by life domain (Financiën)
    second_expert: object  # network pool, matches by target group (Schulden)
    unmatched_expert: object  # network pool, other expertise
    foreign_expert: object  # another pool (serving the other team only), matching expertise
    triage: object
    municipality_admin: object
    resident: object
    case: object
    other_case: object  # the other team's

    def ask(
        self, *, title="Schulden en dreigende huisuitzetting", submit=True, actor=None, **fields
    ):
        data = services.QuestionInput(
            title=title,
            situation=fields.pop(
                "situation",
                "Huurachterstand van vier maanden, post blijft "
                "ongeopend liggen. Er is een brief van de verhuurder.",
            ),
            tried=fields.pop("tried", "Samen de post geopend; aanmelding schuldhulp loopt."),
            question=fields.pop("question", "Hoe voorkomen we een ontruiming op korte termijn?"),
            urgency=fields.pop("urgency", "urgent"),
        )
        question = services.question_create(
            actor=actor or self.generalist,
            case=self.case,
            pool=self.pool,
            data=data,
            life_domains=[LifeDomain.objects.get(slug="financien")],
            target_groups=[TargetGroup.objects.get(slug="schulden")],
            # Saved as a draft the generalist confirmed: what a test sends next meets the guard.
            privacy_confirmed=True,
        )
        if submit:
            question = services.question_submit(actor=actor or self.generalist, question=question)
        return question


def build_cast(org, make_user) -> Cast:
    team = org["team"]
    other_team = DistrictTeamFactory(municipality=org["municipality"])
    pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    pool.teams.add(team, other_team)
    other_pool = ExpertPoolFactory(
        region=org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )
    other_pool.teams.add(other_team)

    def expert(job, domains=(), groups=(), pools=(pool,)):
        profile = ExpertProfileFactory(user=UserFactory(), job_title=job, pools=list(pools))
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
        second_expert=expert("budgetcoach", groups=["schulden"]),
        unmatched_expert=expert("ouderenadviseur", domains=["zingeving"]),
        foreign_expert=expert("schuldhulpverlener", domains=["financien"], pools=(other_pool,)),
        triage=make_user(Role.TRIAGE),
        municipality_admin=make_user(Role.MUNICIPALITY_ADMIN),
        resident=resident,
        case=case_open(actor=generalist, resident=resident),
        other_case=case_open(actor=other_generalist, resident=other_resident),
    )
