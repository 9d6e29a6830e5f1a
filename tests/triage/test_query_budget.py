import pytest
from django.urls import reverse
from django.utils import timezone

from config.pagination import PER_PAGE
from consultation.models import Question
from tests.helpers import verify_session
from triage import services

pytestmark = pytest.mark.django_db

# Per page view, before the page's own reads: the user (1) and the OTP device (1). The session
# comes from the cache (cached_db) and is written at most once a minute, the roles and the
# bell's count come from the cache too (accounts.roles, consultation.bell): the warm-up request
# of each test fills them.
REQUEST_OVERHEAD = 2


@pytest.mark.parametrize("rows", [1, 50])
def test_triage_queue_budget(client, tri, django_assert_num_queries, rows):
    for i in range(rows):
        tri.ask(title=f"Vraag {i}", urgency="urgent" if i % 3 == 0 else "normal")
    questions = list(Question.objects.order_by("pk"))
    services.triage_claim(worker=tri.worker, question=questions[0])
    if rows > 1:  # claims by two workers: the claims prefetch serves both
        services.triage_claim(worker=tri.second_worker, question=questions[-1])
    verify_session(client, tri.worker)
    client.get(reverse("triage:home"))
    # My claims and the queue: each questions (1); the late list: the pools' clock targets (1)
    # and the questions (1, none late here); life domains, target groups, claims with their
    # worker for the three pages at once (3: triage.selectors.prefetch_pages); today's
    # decisions (1). Each list is one page.
    with django_assert_num_queries(REQUEST_OVERHEAD + 8):
        response = client.get(reverse("triage:home"))
    queue = response.context["queue"]
    assert len(queue) == min(rows, PER_PAGE)
    assert queue.has_next == (rows > PER_PAGE)
    assert len(response.context["mine"]) == 1


def test_the_pages_of_the_triage_lists_are_the_lists_in_order(tri):
    """triage.selectors.listed sorts the lean rows and reads only the page: page by page it
    must give exactly the list of the plain query, in its order."""
    from triage.selectors import late_query, listed, queue_query

    for i in range(12):
        tri.ask(title=f"Vraag {i}", urgency="urgent" if i % 4 == 0 else "normal")
    questions = list(Question.objects.order_by("pk"))
    services.triage_claim(worker=tri.worker, question=questions[3])
    Question.objects.filter(pk__in=[q.pk for q in questions[:5]]).update(
        submitted_at=questions[0].submitted_at - timezone.timedelta(days=30)
    )
    for query in (queue_query(user=tri.worker), late_query(user=tri.worker)):
        plain = list(query.values_list("pk", flat=True))
        assert plain
        pages = [listed(query, user=tri.worker)[start : start + 5] for start in range(0, 15, 5)]
        assert [q.pk for page in pages for q in page] == plain
