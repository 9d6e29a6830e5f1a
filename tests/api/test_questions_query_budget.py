"""The question list over the API keeps a fixed number of queries, whatever the number of rows."""

import pytest

from api.pagination import PAGE_SIZE
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
    # 1-2 user, OTP device (the session comes from the cache and was refreshed by the warm-up)
    # · 3 the caller's teams, pools, domains and target groups (selectors.keys_read; the teams
    # also choose the serializer) · 4 the page of questions, one row more than it shows (with
    # pool, asker, case and the case profile annotations; no COUNT: api/pagination.py) · 5-7
    # life domains, target groups, experts (prefetch)
    with django_assert_num_queries(7):
        response = client.get("/api/v1/questions/")
    body = response.json()
    assert len(body["results"]) == min(rows, PAGE_SIZE)  # never more than a page
    assert (body["next"] is not None) == (rows > PAGE_SIZE)
    assert "count" not in body
    if rows > PAGE_SIZE:
        with django_assert_num_queries(7):
            second = client.get(body["next"]).json()
        assert len(second["results"]) == rows - PAGE_SIZE
        assert second["previous"] and second["next"] is None
        first_ids = {q["id"] for q in body["results"]}
        assert not first_ids & {q["id"] for q in second["results"]}


@pytest.mark.parametrize("rows", [1], scope="module")
@pytest.mark.parametrize("query", ["page=0", "page=x", "page_size=0", "page_size=-3", "page=-1"])
def test_a_bad_page_or_page_size_is_a_400_with_the_field(asked, api, rows, query):
    response = api(asked.generalist).get(f"/api/v1/questions/?{query}")
    assert response.status_code == 400
    assert set(response.json()) <= {"page", "page_size", "errors", "detail"}, response.json()


@pytest.mark.parametrize("rows", [1], scope="module")
def test_the_page_size_is_bounded(asked, api, rows):
    response = api(asked.generalist).get("/api/v1/questions/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 100
