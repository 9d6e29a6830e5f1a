# The consultation cast (a network pool, experts who match and who don't, a canary resident).
from tests.consultation.conftest import cast  # noqa: F401
