"""suggest_experts (triage.selectors): ranked by match, open work and availability, with
the reasons the triage worker sees."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from consultation.models import QuestionExpert, Status
from tests.consultation.factories import QuestionExpertFactory, QuestionFactory
from tests.triage.factories import expert_in
from tests.wijkteam.factories import CaseFactory, ResidentFactory
from triage.selectors import suggest_experts

pytestmark = pytest.mark.django_db


# --- Suggestions ---------------------------------------------------------------------------------
def _busy(expert, pool, team, n):
    """Give `expert` n open assigned questions elsewhere in the pool."""
    for _ in range(n):
        other = QuestionFactory(
            case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=Status.ASSIGNED
        )
        QuestionExpertFactory(question=other, expert=expert, kind=QuestionExpert.Kind.ASSIGNED)


def test_suggest_experts_ranks_by_match_load_and_availability_and_says_why(tri):
    today = timezone.localdate()
    pool, team = tri.pool, tri.org["team"]
    free = expert_in([pool], job="schuldhulpverlener", domains=["financien"], groups=["schulden"])
    busy = expert_in([pool], job="schuldhulpverlener", domains=["financien"], groups=["schulden"])
    _busy(busy, pool, team, 2)
    # Declined and closed work does not count as open.
    for status in (Status.CLOSED,):
        other = QuestionFactory(
            case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=status
        )
        QuestionExpertFactory(question=other, expert=free, kind=QuestionExpert.Kind.ASSIGNED)
    declined = QuestionFactory(
        case=CaseFactory(resident=ResidentFactory(team=team)), pool=pool, status=Status.ASSIGNED
    )
    QuestionExpertFactory(
        question=declined,
        expert=free,
        kind=QuestionExpert.Kind.ASSIGNED,
        declined_at=timezone.now(),
    )
    away = expert_in([pool], domains=["financien"], groups=["schulden"], unavailable_until=today)
    back = expert_in(
        [pool],
        domains=["financien"],
        groups=["schulden"],
        unavailable_until=today - timedelta(days=1),
    )
    retired = expert_in([pool], domains=["financien"], groups=["schulden"], is_active=False)
    question = tri.ask(domains=["financien"], groups=["schulden"])

    with translation.override("en"):
        suggestions = suggest_experts(question=question, limit=20)

    users = [s.profile.user for s in suggestions]
    by_user = {s.profile.user: s for s in suggestions}
    # Everyone active in the pool, nobody from outside, nobody inactive.
    assert set(users) == {
        tri.expert,
        tri.second_expert,
        tri.unassigned_expert,
        free,
        busy,
        away,
        back,
    }
    assert tri.foreign_expert not in users
    assert retired not in users
    # Full matches first; of those the one with fewer open questions before the busy one.
    full = {tri.expert, free, back}
    assert set(users[:3]) == full
    assert users.index(free) < users.index(busy)
    assert users.index(busy) < users.index(tri.second_expert)  # two matches beat one
    assert users.index(tri.second_expert) < users.index(tri.unassigned_expert)
    # The unavailable one (until today, inclusive) is last despite a full match.
    assert users[-1] == away
    assert not by_user[away].available
    assert by_user[back].available
    # The why.
    assert any("Financiën" in r and "Schulden" in r for r in by_user[free].reasons)
    assert "0 open questions" in by_user[free].reasons
    assert "2 open questions" in by_user[busy].reasons
    assert "no match on life domain or target group" in by_user[tri.unassigned_expert].reasons
    assert any("hours left this month" in r for r in by_user[free].reasons)
    assert any(
        r == f"unavailable until {today.strftime('%d-%m-%Y')}" for r in by_user[away].reasons
    )
    assert not any("unavailable" in r for r in by_user[back].reasons)
    # The limit.
    assert len(suggest_experts(question=question, limit=3)) == 3


# --- Absences ------------------------------------------------------------------------------------
def test_an_expert_absent_today_is_unavailable_with_until_when(tri, django_assert_num_queries):
    from expertise.models import Absence
    from tests.expertise.factories import AbsenceFactory

    today = timezone.localdate()
    pool = tri.pool
    away = expert_in([pool], domains=["financien"], groups=["schulden"])
    last_day = expert_in([pool], domains=["financien"], groups=["schulden"])
    later = expert_in([pool], domains=["financien"], groups=["schulden"])
    over = expert_in([pool], domains=["financien"], groups=["schulden"])
    end = today + timedelta(days=10)
    AbsenceFactory(
        expert=away.expert_profile,
        starts_on=today - timedelta(days=2),
        ends_on=end,
        kind=Absence.Kind.ILLNESS,
        note="Griep, ligt op bed",
    )
    AbsenceFactory(
        expert=last_day.expert_profile, starts_on=today - timedelta(days=5), ends_on=today
    )
    AbsenceFactory(expert=later.expert_profile, starts_on=today + timedelta(days=1), ends_on=end)
    AbsenceFactory(
        expert=over.expert_profile,
        starts_on=today - timedelta(days=9),
        ends_on=today - timedelta(1),
    )
    question = tri.ask(domains=["financien"], groups=["schulden"])

    with translation.override("nl"):
        suggestions = suggest_experts(question=question, limit=20)
    by_user = {s.profile.user: s for s in suggestions}

    assert not by_user[away].available
    assert not by_user[last_day].available  # the last day is included
    assert by_user[later].available and by_user[over].available
    with translation.override("nl"):
        shown = date_format(end, "j F" if end.year == today.year else "j F Y")  # "12 december"
    assert f"afwezig tot en met {shown}" in by_user[away].reasons
    # Away, and until when; not why, and never the note.
    assert not any("ziek" in r or "Griep" in r for r in by_user[away].reasons)
    # The unavailable ones come last, whatever their match.
    users = [s.profile.user for s in suggestions]
    assert set(users[-2:]) == {away, last_day}


@pytest.mark.parametrize("absent", [1, 10])
def test_suggestions_read_the_same_queries_however_many_are_away(
    tri, absent, django_assert_num_queries
):
    from tests.expertise.factories import AbsenceFactory

    today = timezone.localdate()
    for _ in range(absent):
        user = expert_in([tri.pool], domains=["financien"])
        AbsenceFactory(expert=user.expert_profile, starts_on=today, ends_on=today)
    question = tri.ask(domains=["financien"], groups=["schulden"])
    # 1-2 the question's domains and groups, 3 profiles, 4-6 their matching domains, groups
    # and absences today, 7 open questions per expert, 8 minutes registered this month.
    with django_assert_num_queries(8):
        suggest_experts(question=question, limit=20)
