import pytest

from tests.triage.factories import build_cast


@pytest.fixture
def tri(org, make_user):
    """The triage cast (tests/triage/factories.py)."""
    return build_cast(org, make_user)
