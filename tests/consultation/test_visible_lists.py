"""The lists of questions are read as a union of their sources (selectors.visible_question_list,
expert_inbox; config.pagination.OrderedUnion) instead of one OR over all questions. The rule
of who sees what stays in questions_visible_to / expert_questions_q: these tests check, for
people in every role and in several at once, that each page of a list holds exactly the rows
the plain OR query gives in that order, and nothing it leaves out.
"""

from datetime import timedelta
from itertools import cycle, product

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from consultation.models import Question, Status
from consultation.selectors import (
    INBOX_ORDER,
    NEWEST_ACTIVITY,
    VIEW_GRANT,
    expert_inbox,
    expert_questions_q,
    keys_read,
    questions_visible_to,
    visible_question_list,
)
from expertise.models import LifeDomain, TargetGroup
from tests.consultation.factories import QuestionFactory
from tests.wijkteam.factories import CaseFactory, TeamMembershipFactory

STATUSES = [Status.DRAFT, Status.IN_TRIAGE, Status.OPEN, Status.ANSWERED, Status.CLOSED]


@pytest.fixture
def spread(cast):
    """Questions in every combination of team, pool, status, expertise and urgency, with ties
    in last activity (the pk decides then); some closed ones granted to the expert."""
    other_team = cast.other_case.team
    cases = {cast.case.team: cast.case, other_team: cast.other_case}
    finance = LifeDomain.objects.get(slug="financien")
    meaning = LifeDomain.objects.get(slug="zingeving")
    debts = TargetGroup.objects.get(slug="schulden")
    foreign_pool = cast.foreign_expert.expert_profile.pools.get()
    now = timezone.now()
    moments = cycle([now - timedelta(hours=h) for h in (1, 1, 2, 3, 3, 3, 5, 8)])
    questions = []
    for team, pool, status, (domains, groups), urgency in product(
        cases,
        [cast.pool, cast.org["pool"], foreign_pool],
        STATUSES,
        [([finance], []), ([meaning], [debts]), ([meaning], [])],
        Question.Urgency.values,
    ):
        question = QuestionFactory(
            case=cases[team],
            pool=pool,
            status=status,
            urgency=urgency,
            life_domains=domains,
            target_groups=groups,
        )
        questions.append(question)
    for question in questions:
        Question.objects.filter(pk=question.pk).update(last_activity_at=next(moments))
    closed = [q for q in questions if q.status == Status.CLOSED]
    for question in closed[::3]:
        assign_perm(VIEW_GRANT, cast.expert, question)
    return questions


def _ids(rows) -> list[int]:
    return [row.pk for row in rows]


def _pages(rows, size: int, total: int) -> list[int]:
    """Every page of `rows` read one after another, as paginate does (size + 1 per page)."""
    seen: list[int] = []
    for start in range(0, total + size, size):
        window = _ids(rows[start : start + size + 1])
        assert len(window) <= size + 1
        seen.extend(window[:size])
    return seen


def _people(cast):
    """Everyone in the cast, and one person in three roles at once."""
    several = cast.second_expert
    TeamMembershipFactory(team=cast.other_case.team, user=several)
    cast.org["pool"].triage_workers.add(several)
    return {
        "generalist": cast.generalist,
        "team lead": cast.team_lead,
        "other team": cast.other_generalist,
        "expert (domain, grants)": cast.expert,
        "expert, team member and triage": several,
        "unmatched expert": cast.unmatched_expert,
        "expert of another pool": cast.foreign_expert,
        "triage": cast.triage,
        "municipality admin": cast.municipality_admin,
    }


def test_every_page_of_the_list_is_the_page_of_the_plain_query(cast, spread):
    for who, person in _people(cast).items():
        plain = _ids(questions_visible_to(user=person).order_by(*NEWEST_ACTIVITY))
        merged = visible_question_list(user=person)
        assert _ids(merged[0:1000]) == plain, who
        for size in (1, 7, 25):
            assert _pages(merged, size, len(plain)) == plain, (who, size)
        if who != "municipality admin":
            assert plain, f"{who} sees nothing: the spread does not test them"
    assert _ids(visible_question_list(user=cast.municipality_admin)[0:50]) == []


def test_the_list_filters_every_source(cast, spread):
    person = _people(cast)["expert, team member and triage"]
    for filters in ({"status": Status.OPEN}, {"urgency": "urgent"}, {"status": Status.CLOSED}):
        plain = questions_visible_to(user=person).filter(**filters).order_by(*NEWEST_ACTIVITY)
        merged = visible_question_list(user=person).filter(**filters)
        assert _ids(merged[0:1000]) == _ids(plain), filters


def test_the_inbox_is_the_plain_query_page_by_page(cast, spread):
    finance = LifeDomain.objects.get(slug="financien")
    debts = TargetGroup.objects.get(slug="schulden")
    cases = [
        ({}, {}),
        ({"life_domain": finance.pk}, {"life_domains": finance.pk}),
        ({"target_group": debts.pk}, {"target_groups": debts.pk}),
        ({"urgency": "urgent"}, {"urgency": "urgent"}),
        ({"status": Status.CLOSED}, {"status": Status.CLOSED}),
    ]
    for expert in (cast.expert, cast.second_expert, cast.unmatched_expert, cast.generalist):
        for arguments, filters in cases:
            plain = _ids(
                Question.objects.filter(expert_questions_q(user=expert))
                .filter(**filters)
                .order_by(*INBOX_ORDER)
            )
            inbox = expert_inbox(user=expert, **arguments)
            assert _pages(inbox, 5, len(plain)) == plain, (expert, arguments)
    assert _ids(expert_inbox(user=cast.expert)[0:100]), "the expert's inbox is empty"


def test_a_row_a_source_lets_through_is_still_checked_against_the_rule(cast, spread):
    """The page is read again through questions_visible_to: a stale or wrong source can show
    nothing the rule does not allow (here: keys that claim every team)."""
    keys = keys_read(user=cast.generalist)
    everyone = keys.__class__(
        teams=[cast.case.team.pk, cast.other_case.team.pk],
        network_pools=[],
        domains=[],
        groups=[],
        triage_pools=[],
    )
    assert keys.teams == [cast.case.team.pk]
    rows = _ids(visible_question_list(user=cast.generalist, keys=everyone)[0:1000])
    allowed = set(questions_visible_to(user=cast.generalist).values_list("pk", flat=True))
    assert rows and set(rows) <= allowed
    assert not set(rows) & set(
        Question.objects.filter(team=cast.other_case.team).values_list("pk", flat=True)
    )


def test_a_case_of_the_team_alone_is_not_enough_to_see_questions_of_another_team(cast, spread):
    """Team membership decides, not a case object: a new team member sees the team's list."""
    newcomer = TeamMembershipFactory(team=cast.other_case.team).user
    CaseFactory(team=cast.case.team)  # a case elsewhere changes nothing
    seen = set(_ids(visible_question_list(user=newcomer)[0:1000]))
    assert seen == set(
        Question.objects.filter(team=cast.other_case.team).values_list("pk", flat=True)
    )


def test_the_rule_tested_on_the_keys_read_is_the_same_rule(cast, spread):
    """questions_visible_to(keys=keys_read(...)), used where a list of one's own rows tests each
    row (consultation.answered), lets through exactly what the plain rule does."""
    for who, person in _people(cast).items():
        plain = _ids(questions_visible_to(user=person).order_by("pk"))
        keys = keys_read(user=person)
        assert _ids(questions_visible_to(user=person, keys=keys).order_by("pk")) == plain, who
