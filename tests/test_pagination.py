"""Every list that can grow shows one page (config/pagination.py, api/pagination.py): never more
rows than its page size, a link to the next page, the same number of queries on every page, and
no COUNT over the whole list. The list pages' query budgets at 1 and 50 rows are pinned next to
their apps (tests/*/test_query_budget*.py); this file covers what those do not."""

from datetime import date

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from api.pagination import PAGE_SIZE as API_PAGE_SIZE
from config.pagination import MAX_PAGE, PER_PAGE, OrderedUnion, count_upto, paginate
from consultation.models import QuestionTransition, Status
from tests.consultation.factories import NotificationFactory, QuestionFactory
from tests.helpers import verify_session
from wijkteam.models import Case
from wijkteam.services import case_open, resident_register

pytestmark = pytest.mark.django_db


# --- The helper ----------------------------------------------------------------------------------
def _request(query: str = ""):
    return RequestFactory().get(f"/lijst/?{query}")


def test_an_ordered_union_merges_its_sources_in_one_order_once_each(django_assert_num_queries):
    from tests.accounts.factories import UserFactory

    users = [UserFactory(first_name=name) for name in "ABCDEFG"]
    by_pk = User.objects.filter(pk__in=[u.pk for u in users])
    first, overlap = by_pk.filter(first_name__in="ABCD"), by_pk.filter(first_name__in="CDEG")
    union = OrderedUnion([first, overlap], rows=by_pk, order=["-first_name", "pk"])
    with django_assert_num_queries(1):  # one query, whatever the number of sources
        page = union[0:3]
    assert [u.first_name for u in page] == ["G", "E", "D"]
    assert [u.first_name for u in union[3:10]] == ["C", "B", "A"]  # C once, F in neither
    assert [u.first_name for u in union.filter(first_name__lt="D")[0:10]] == ["C", "B", "A"]
    assert list(OrderedUnion([], rows=by_pk, order=["pk"])[0:10]) == []
    for endless in (slice(3, None), slice(0, 10, 2)):
        with pytest.raises(TypeError):
            union[endless]


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("", 1),
        ("pagina=2", 2),
        ("pagina=0", 1),
        ("pagina=-1", 1),
        ("pagina=x", 1),
        (f"pagina={MAX_PAGE + 5}", MAX_PAGE),
    ],
)
def test_the_page_number_is_read_leniently(query, number):
    assert paginate(_request(query), list(range(10)), per_page=3).number == number


def test_a_page_knows_its_neighbours_and_keeps_the_filters():
    page = paginate(_request("status=open&pagina=2"), list(range(7)), per_page=3)
    assert page.items == [3, 4, 5]
    assert page.has_previous and page.has_next
    assert (page.first_item_number, page.last_item_number) == (4, 6)
    assert page.next_link == "?status=open&pagina=3"
    assert page.previous_link == "?status=open"  # page 1 has no parameter
    last = paginate(_request("pagina=3"), list(range(7)), per_page=3)
    assert last.items == [6] and not last.has_next


def test_paging_a_queryset_reads_one_row_more_and_counts_nothing(org):
    for _ in range(4):
        QuestionFactory(pool=org["pool"])
    from consultation.models import Question

    with CaptureQueriesContext(connection) as queries:
        page = paginate(_request(), Question.objects.order_by("pk"), per_page=3)
    assert len(page) == 3 and page.has_next
    (select,) = queries.captured_queries
    assert "COUNT(" not in select["sql"].upper()
    assert "LIMIT 4" in select["sql"]


def test_count_upto_stops_at_its_bound(org):
    for _ in range(4):
        QuestionFactory(pool=org["pool"])
    from consultation.models import Question

    assert count_upto(Question.objects.all(), bound=10) == (4, False)
    assert count_upto(Question.objects.all(), bound=3) == (3, True)


# --- Pages not covered by the app budgets --------------------------------------------------------
def _cases(generalist, team, n):
    for i in range(n):
        resident = resident_register(
            actor=generalist,
            team=team,
            first_name=f"Bewoner{i}",
            last_name="Testlijst",
            date_of_birth=date(1980, 1, 1),
            postcode="3811ab",
            household="single",
        )
        case_open(actor=generalist, resident=resident)


def test_the_team_home_shows_a_page_of_cases(client, generalist, team, django_assert_num_queries):
    _cases(generalist, team, PER_PAGE + 2)
    verify_session(client, generalist)
    url = reverse("wijkteam:home")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    page = response.context["cases"]
    assert len(page) == PER_PAGE and page.has_next
    assert 'rel="next"' in response.content.decode()
    with django_assert_num_queries(len(first)):
        second = client.get(url + "?pagina=2")
    assert len(second.context["cases"]) == 2 and not second.context["cases"].has_next


def test_the_case_page_shows_a_page_of_its_questions(
    client, org, generalist, case, django_assert_num_queries
):
    for _ in range(PER_PAGE + 1):
        QuestionFactory(case=case, pool=org["pool"])
    verify_session(client, generalist)
    url = reverse("wijkteam:case", args=[case.pseudonym])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert len(response.context["questions"]) == PER_PAGE
    assert response.context["questions"].has_next
    with django_assert_num_queries(len(first)):
        response = client.get(url + "?pagina=2")
    assert len(response.context["questions"]) == 1


def test_a_long_history_is_shown_a_page_at_a_time(client, org, generalist, case):
    question = QuestionFactory(case=case, pool=org["pool"], status=Status.OPEN)
    QuestionTransition.objects.bulk_create(
        QuestionTransition(question=question, to_status=Status.OPEN) for _ in range(60)
    )
    verify_session(client, generalist)
    url = reverse("consultation:question", args=[question.pk])
    history = client.get(url).context["history"]
    assert len(history) == 50 and history.has_next
    older = client.get(url + "?geschiedenis=2")
    assert len(older.context["history"]) == 10
    assert '<details class="wx-card" open>' in older.content.decode()  # stays open


# --- The API lists -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/residents/", "/api/v1/cases/"])
def test_the_api_identity_lists_page_and_audit_a_page_in_one_insert(
    api, generalist, team, path, django_assert_num_queries
):
    _cases(generalist, team, 1)
    client = api(generalist)
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    _cases(generalist, team, API_PAGE_SIZE + 4)
    with django_assert_num_queries(len(one)):
        body = client.get(path).json()
    assert len(body["results"]) == API_PAGE_SIZE and body["next"]
    assert Case.objects.count() == API_PAGE_SIZE + 5


def test_the_api_notification_list_pages(api, generalist, org, django_assert_num_queries):
    question = QuestionFactory(pool=org["pool"])
    NotificationFactory(recipient=generalist, question=question, channel="in_app", state="sent")
    client = api(generalist)
    client.get("/api/v1/notifications/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/notifications/")
    for _ in range(API_PAGE_SIZE + 3):
        NotificationFactory(recipient=generalist, question=question, channel="in_app", state="sent")
    with django_assert_num_queries(len(one)):
        body = client.get("/api/v1/notifications/").json()
    assert len(body["results"]) == API_PAGE_SIZE and body["next"]


# --- Counts shown to people are bounded ----------------------------------------------------------
def test_the_bell_counts_notifications_alone_and_stops_at_its_bound(client, generalist, org):
    from consultation.selectors import UNREAD_BOUND, unread_notification_count

    question = QuestionFactory(pool=org["pool"])
    for _ in range(UNREAD_BOUND + 2):
        NotificationFactory(recipient=generalist, question=question, channel="in_app", state="sent")
    with CaptureQueriesContext(connection) as queries:
        assert unread_notification_count(user=generalist) == UNREAD_BOUND
    (count,) = queries.captured_queries
    assert "JOIN" not in count["sql"].upper()  # the partial index answers it
    verify_session(client, generalist)
    assert "99+" in client.get(reverse("consultation:notifications")).content.decode()


def test_the_bell_forgets_its_cached_count_on_news_and_on_reading(
    client, cast, django_capture_on_commit_callbacks
):
    """The bell comes from the cache, but a person never waits for their own news. (What
    forgets it runs when the transaction commits; here the test runs the callbacks.)"""
    verify_session(client, cast.expert)
    home = reverse("expertise:home")
    client.get(home)
    assert client.get(home).context["unread_notifications"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        cast.ask()  # notifies the matching experts (consultation.notifications.notify)
    assert client.get(home).context["unread_notifications"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultation:notifications-read"))
    assert client.get(home).context["unread_notifications"] == 0


def test_a_role_change_counts_on_the_next_page(
    client, cast, org, django_capture_on_commit_callbacks
):
    """Roles come from the cache, under a version every membership change bumps on commit."""
    verify_session(client, cast.expert)
    assert client.get(reverse("triage:home")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        org["pool"].triage_workers.add(cast.expert)
    assert client.get(reverse("triage:home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        org["pool"].triage_workers.remove(cast.expert)
    assert client.get(reverse("triage:home")).status_code == 404
