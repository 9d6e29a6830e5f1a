"""Triage reads (issue 4): the queue and the late list of the worker's own pools only, today's
own decisions, and what a triage worker may see — never a draft, never another pool's question,
never the resident's identity."""

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultation import services as consultation
from consultation.selectors import questions_visible_to, with_case_profile
from tests.triage.factories import CANARY, CANARY_BIRTH, age_on, at, backdate
from triage import services
from triage.models import TriageDecision
from triage.selectors import decisions_today, late_for, queue_for
from wijkteam.models import Resident, age_band_label

pytestmark = pytest.mark.django_db

TARGET = 3
LATE_DAYS = 10  # see test_tasks: late, never very late, on a 3-working-day target
VERY_LATE_DAYS = 30


def pks(questions) -> list[int]:
    return [q.pk for q in questions]


def visible_pks(user) -> set[int]:
    return set(questions_visible_to(user=user).values_list("pk", flat=True))


def assign(tri, question, experts=None):
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_assign(worker=tri.worker, question=question, experts=experts or [tri.expert])
    question.refresh_from_db()
    return question


# --- The queue -----------------------------------------------------------------------------------
def test_the_queue_shows_only_the_workers_own_pools_and_only_questions_waiting(tri):
    mine = tri.ask(title="Van mijn pool")
    theirs = tri.ask(title="Van de andere pool", pool=tri.other_pool)
    tri.ask(title="Concept", submit=False)
    assign(tri, tri.ask(title="Toegewezen"))
    asked_back = tri.ask(title="Terug bij de generalist")
    services.triage_claim(worker=tri.worker, question=asked_back)
    services.triage_ask_clarification(worker=tri.worker, question=asked_back, body="Leeftijd?")

    assert pks(queue_for(user=tri.worker)) == [mine.pk]
    assert pks(queue_for(user=tri.second_worker)) == [mine.pk]
    assert pks(queue_for(user=tri.other_worker)) == [theirs.pk]
    for nobody in (tri.generalist, tri.team_lead, tri.expert, tri.foreign_expert):
        assert queue_for(user=nobody) == []

    # A worker of both pools sees both; an inactive pool's queue is gone.
    tri.other_pool.triage_workers.add(tri.worker)
    assert set(pks(queue_for(user=tri.worker))) == {mine.pk, theirs.pk}
    tri.other_pool.is_active = False
    tri.other_pool.save()
    assert pks(queue_for(user=tri.worker)) == [mine.pk]
    assert queue_for(user=tri.other_worker) == []


def test_the_queue_shows_who_holds_a_question_and_its_clock(tri):
    question = tri.ask()
    (entry,) = queue_for(user=tri.worker)
    assert entry.claim is None
    assert entry.triage_clock.target_days == tri.pool.triage_target_days
    assert entry.advice_clock.target_days == tri.pool.advice_target_days
    assert entry.triage_clock.state == "on_time"

    services.triage_claim(worker=tri.second_worker, question=question)
    (entry,) = queue_for(user=tri.worker)
    assert entry.claim.worker == tri.second_worker


def test_the_queue_sorts_by_urgency_then_time_left(tri):
    tri.other_pool.triage_workers.add(tri.worker)
    tri.pool.triage_target_days = 5
    tri.pool.save()
    tri.other_pool.triage_target_days = 1
    tri.other_pool.save()
    # Waiting longest, but 5 working days: due Monday 9 March 09:00.
    slow_old = backdate(tri.ask(title="Vijf dagen"), at_moment=at(2026, 3, 2, 9))
    # Newer, but 1 working day: due Friday 6 March 09:00 — less time left, so first.
    fast_new = backdate(tri.ask(title="Een dag", pool=tri.other_pool), at_moment=at(2026, 3, 5, 9))
    # Urgent ones go first whatever their clocks, and among them time left decides too.
    urgent_new = backdate(tri.ask(title="Spoed", urgency="urgent"), at_moment=at(2026, 3, 6, 9))
    urgent_old = backdate(
        tri.ask(title="Spoed eerder", urgency="urgent"), at_moment=at(2026, 3, 4, 9)
    )

    entries = queue_for(user=tri.worker)

    assert pks(entries) == [urgent_old.pk, urgent_new.pk, fast_new.pk, slow_old.pk]
    assert entries[2].triage_clock.due == at(2026, 3, 6, 9)
    assert entries[3].triage_clock.due == at(2026, 3, 9, 9)


def test_queue_queries_do_not_grow_with_the_queue(tri):
    for _ in range(2):
        tri.ask()
    services.triage_claim(worker=tri.second_worker, question=tri.ask())
    with CaptureQueriesContext(connection) as small:
        assert len(queue_for(user=tri.worker)) == 3
    with CaptureQueriesContext(connection) as late_small:
        late_for(user=tri.worker)
    for _ in range(6):
        services.triage_claim(worker=tri.worker, question=tri.ask())
    with CaptureQueriesContext(connection) as large:
        assert len(queue_for(user=tri.worker)) == 9
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as late_large:
        late_for(user=tri.worker)
    assert len(late_large) == len(late_small)


# --- Late questions ------------------------------------------------------------------------------
def test_late_for_flags_late_and_very_late(tri):
    tri.pool.triage_target_days, tri.pool.advice_target_days = TARGET, 20
    tri.pool.save()
    on_time = tri.ask(title="Op tijd")
    late = backdate(tri.ask(title="Laat"), days=LATE_DAYS)
    very_late = backdate(tri.ask(title="Heel laat"), days=VERY_LATE_DAYS)
    other_pool_late = backdate(tri.ask(pool=tri.other_pool), days=VERY_LATE_DAYS)

    entries = {e.pk: e for e in late_for(user=tri.worker)}

    assert set(entries) == {late.pk, very_late.pk}
    assert on_time.pk not in entries
    assert other_pool_late.pk not in entries
    assert entries[late.pk].late_reason == "triage"
    assert entries[late.pk].triage_clock.state == "late"
    assert entries[very_late.pk].triage_clock.state == "very_late"
    assert entries[very_late.pk].triage_clock.is_very_late
    # The other pool's worker sees only theirs.
    assert pks(late_for(user=tri.other_worker)) == [other_pool_late.pk]


def test_late_for_flags_late_first_advice_until_advice_is_given(tri):
    tri.pool.triage_target_days, tri.pool.advice_target_days = TARGET, TARGET
    tri.pool.save()
    waiting = backdate(assign(tri, tri.ask(title="Wacht op advies")), days=LATE_DAYS)
    advised = assign(tri, tri.ask(title="Al advies"), experts=[tri.second_expert])
    consultation.question_advise(actor=tri.second_expert, question=advised, body="Advies.")
    backdate(advised, days=LATE_DAYS)

    entries = {e.pk: e for e in late_for(user=tri.worker)}

    assert set(entries) == {waiting.pk}
    assert entries[waiting.pk].late_reason == "advice"
    assert entries[waiting.pk].advice_clock.state == "late"
    assert entries[waiting.pk].has_advice is False


# --- Today's decisions ---------------------------------------------------------------------------
def test_decisions_today_lists_only_my_decisions_of_today(tri):
    first, second, colleagues = tri.ask(), tri.ask(), tri.ask()
    services.triage_claim(worker=tri.worker, question=first)
    services.triage_plan_session(worker=tri.worker, question=first, reason="MDO")
    services.triage_claim(worker=tri.worker, question=second)
    services.triage_sharpen(worker=tri.worker, question=second, title="Scherper", summary="")
    services.triage_redirect(worker=tri.worker, question=second, target="gp", note="Huisarts.")
    services.triage_claim(worker=tri.second_worker, question=colleagues)
    services.triage_answer(worker=tri.second_worker, question=colleagues, body="Advies.")
    yesterday = TriageDecision.objects.create(
        question=first, worker=tri.worker, kind=TriageDecision.Kind.SHARPEN, reason="gisteren"
    )
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    TriageDecision.objects.filter(pk=yesterday.pk).update(
        created_at=start_of_today - timedelta(minutes=1)
    )

    mine = list(decisions_today(user=tri.worker))

    assert [(d.question_id, d.kind) for d in mine] == [
        (second.pk, TriageDecision.Kind.REDIRECT),
        (second.pk, TriageDecision.Kind.SHARPEN),
        (first.pk, TriageDecision.Kind.SESSION),
    ]
    assert yesterday.pk not in {d.pk for d in mine}
    assert [d.question_id for d in decisions_today(user=tri.second_worker)] == [colleagues.pk]
    assert list(decisions_today(user=tri.other_worker)) == []


# --- Visibility ----------------------------------------------------------------------------------
def test_triage_workers_see_their_pools_questions_never_drafts_never_another_pool(tri):
    draft = tri.ask(submit=False)
    in_triage = tri.ask()
    assigned = assign(tri, tri.ask())
    redirected = tri.ask()
    services.triage_claim(worker=tri.worker, question=redirected)
    services.triage_redirect(worker=tri.worker, question=redirected, target="gp", note="Huisarts.")
    other_draft = tri.ask(pool=tri.other_pool, submit=False)
    other = tri.ask(pool=tri.other_pool)

    own = {in_triage.pk, assigned.pk, redirected.pk}
    assert visible_pks(tri.worker) == own
    assert visible_pks(tri.second_worker) == own
    assert visible_pks(tri.other_worker) == {other.pk}
    for user in (tri.worker, tri.other_worker):
        assert draft.pk not in visible_pks(user)
        assert other_draft.pk not in visible_pks(user)
    # The asking team sees all of its own, drafts included; an unassigned expert nothing.
    assert visible_pks(tri.generalist) >= own | {draft.pk, other.pk, other_draft.pk}
    assert visible_pks(tri.unassigned_expert) == set()
    assert visible_pks(tri.expert) == {assigned.pk}

    # Removed from the pool: nothing any more.
    tri.pool.triage_workers.remove(tri.second_worker)
    assert visible_pks(tri.second_worker) == set()


# --- No resident identity ------------------------------------------------------------------------
def _reachable(obj, seen=None, depth=0):
    """Every object reachable from `obj` through instance dicts, Django's field and prefetch
    caches, clocks and containers — without triggering any query."""
    seen = set() if seen is None else seen
    if id(obj) in seen or depth > 8:
        return
    seen.add(id(obj))
    yield obj
    if isinstance(obj, (Model, ModelState)):
        children = list(vars(obj).values())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        children = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
    elif isinstance(obj, dict):
        children = [*obj.keys(), *obj.values()]
    elif isinstance(obj, (list, tuple, set, frozenset)):
        children = list(obj)
    elif isinstance(obj, QuerySet):
        children = list(obj._result_cache or [])
    else:
        children = []
    for child in children:
        yield from _reachable(child, seen, depth + 1)


def assert_no_identity(objects):
    found = list(_reachable(list(objects)))
    assert not [o for o in found if isinstance(o, Resident)], "a Resident was loaded"
    texts = [o for o in found if isinstance(o, str)]
    for canary in CANARY:
        assert not [t for t in texts if canary.lower() in t.lower()], canary
    dates = [o.date() if isinstance(o, datetime) else o for o in found if isinstance(o, date)]
    assert CANARY_BIRTH not in dates
    return found


def test_the_queue_carries_an_age_band_and_no_resident_identity(tri):
    question = tri.ask()
    services.triage_claim(worker=tri.second_worker, question=question)
    expected_age = age_on(CANARY_BIRTH, timezone.localdate())

    (entry,) = queue_for(user=tri.worker)

    assert entry.case_pseudonym == tri.case.pseudonym
    assert entry.resident_household == "single_parent"
    assert entry.resident_age == expected_age
    assert entry.age_band == age_band_label(expected_age)
    low, high = next((lo, hi) for lo, hi in [(12, 17), (18, 22)] if lo <= expected_age <= hi)
    assert str(low) in entry.age_band and str(high) in entry.age_band
    found = assert_no_identity([entry])
    # The walk did look at what the page will show.
    assert tri.case.pseudonym in found
    assert tri.second_worker in found


def test_the_identity_walk_would_catch_a_loaded_resident(tri):
    """Guard for the two tests around it: the walk is not blind."""
    tri.ask()
    leaky = list(
        with_case_profile(questions_visible_to(user=tri.worker)).select_related("case__resident")
    )
    with pytest.raises(AssertionError):
        assert_no_identity(leaky)


def test_late_list_and_decisions_carry_no_resident_identity(tri):
    late = backdate(tri.ask(), days=VERY_LATE_DAYS)
    decided = tri.ask()
    services.triage_claim(worker=tri.worker, question=decided)
    services.triage_plan_session(worker=tri.worker, question=decided, reason="MDO")

    late_entries = late_for(user=tri.worker)
    decisions = list(decisions_today(user=tri.worker))

    assert late.pk in pks(late_entries)
    assert decisions and decisions[0].question.case.pseudonym == tri.case.pseudonym
    assert_no_identity([*late_entries, *decisions])


def test_with_case_profile_never_selects_the_identity_columns(tri):
    question = tri.ask()
    with CaptureQueriesContext(connection) as queries:
        list(with_case_profile(questions_visible_to(user=tri.worker)).filter(pk=question.pk))
        queue_for(user=tri.worker)
    sql = " ".join(q["sql"] for q in queries).lower()
    for column in ("first_name", "last_name", "postcode"):
        assert f'"wijkteam_resident"."{column}"' not in sql
    assert 'age(current_date, "wijkteam_resident"."date_of_birth")' in sql
