"""Helpers of the consultation service tests: pools, experts, drafts and what they record."""

import re

from consultation import services
from consultation.models import Notification, Question, QuestionTransition
from consultation.services import QuestionInput
from expertise.models import ExpertPool
from tests.accounts.factories import UserFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory

NETWORK = ExpertPool.CollaborationModel.NETWORK
TEAM = ExpertPool.CollaborationModel.TEAM
TRIAGE = ExpertPool.CollaborationModel.TRIAGE
PSEUDONYM = re.compile(r"^C-[2-9A-HJ-NP-Z]{6}$")

CLEAN = QuestionInput(
    title="Huurachterstand en stress in het gezin",
    situation="Moeder met twee kinderen, drie maanden huurachterstand, slaapt slecht.",
    tried="Budgetgesprek gevoerd, aanmelding bij de voedselbank.",
    question="Welke route past bij schuldhulp als de verhuurder met ontruiming dreigt?",
)


LEAKY = QuestionInput(
    title="Vraag over Zoë",
    situation="Moeder is bereikbaar op 06-12345678, woont op 3811 AB.",
    tried="Niets bijzonders.",
    question="Hoe helpen we haar verder?",
)


def make_pool(org, model=NETWORK, *, serves=True) -> ExpertPool:
    pool = ExpertPoolFactory(region=org["region"], collaboration_model=model)
    if serves:
        pool.teams.add(org["team"])
    return pool


def make_expert(pool, *, domains=(), groups=(), **profile):
    user = UserFactory()
    expert = ExpertProfileFactory(user=user, pools=[pool], **profile)
    expert.life_domains.set(domains)
    expert.target_groups.set(groups)
    return user


def draft(*, actor, case, pool, data=CLEAN, domains=(), groups=(), confirmed=False) -> Question:
    """A draft; `confirmed`: the generalist confirmed what the guard found when saving it."""
    return services.question_create(
        actor=actor,
        case=case,
        pool=pool,
        data=data,
        life_domains=domains,
        target_groups=groups,
        privacy_confirmed=confirmed,
    )


def history(question):
    return list(
        QuestionTransition.objects.filter(question=question).values_list("from_status", "to_status")
    )


def notified(question, kind, channel=Notification.Channel.EMAIL):
    return set(
        Notification.objects.filter(question=question, kind=kind, channel=channel).values_list(
            "recipient__email", flat=True
        )
    )
