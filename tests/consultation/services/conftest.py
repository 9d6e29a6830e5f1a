"""The consultation service tests' people: a generalist of the team, a resident with a case,
a network pool serving the team, an expert of it who matches, and an open question."""

import pytest

from consultation import services
from tests.consultation.factories import life_domain, target_group
from tests.consultation.services.helpers import NETWORK, draft, make_expert, make_pool


@pytest.fixture
def pool(org):
    return make_pool(org, NETWORK)


@pytest.fixture
def money():
    return life_domain("financien", "Financiën")


@pytest.fixture
def youth():
    return target_group("jeugd", "Jeugd")


@pytest.fixture
def open_question(generalist, case, pool, money):
    question = draft(actor=generalist, case=case, pool=pool, domains=[money])
    return services.question_submit(actor=generalist, question=question)


@pytest.fixture
def expert(pool, money):
    return make_expert(pool, domains=[money], job_title="schuldhulpverlener")
