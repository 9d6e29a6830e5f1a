"""The question list over the API keeps a fixed number of queries, whatever the number of rows."""

import pytest

from tests.helpers import shared_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def asked(module_cast, rows, django_db_blocker):
    """The cast with `rows` open questions: asked once per row count for both callers."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            for _ in range(rows):
                module_cast.ask()
        yield module_cast


@pytest.mark.parametrize("rows", [1, 50], scope="module")
@pytest.mark.parametrize("who", ["generalist", "expert"])
def test_the_question_list_has_a_fixed_number_of_queries(
    asked, api, who, rows, django_assert_num_queries
):
    client = api(getattr(asked, who))
    client.get("/api/v1/questions/")  # warm up: content types, translations
    # 1-3 session, user, OTP device · 4 count · 5 the page of questions (with pool, asker, case
    # and the case profile annotations) · 6-8 life domains, target groups, experts (prefetch)
    # · 9 the caller's team ids (serializer choice) · 10-12 session save (idle timeout), in a
    # savepoint because the test runs inside a transaction
    with django_assert_num_queries(12):
        response = client.get("/api/v1/questions/")
    assert len(response.json()["results"]) == rows
