"""Every dashboard figure on the hand-made world of tests/reports/data.py, with the answers
worked out by hand. Working days: a working day counts 24 hours; weekends and holidays count
nothing (reports.periods)."""

from datetime import date

import pytest

from reports.kpis import DASHBOARD_QUERIES, dashboard
from reports.periods import Period
from reports.scope import ReportFilter
from tests.helpers import shared_transaction
from tests.reports.data import (
    CANARY_FIRST,
    CANARY_LAST,
    NOW,
    PERSON_FIRST,
    PERSON_LAST,
    build_world,
    grow,
)

pytestmark = pytest.mark.django_db

Q2 = Period(date(2025, 4, 1), date(2025, 6, 30))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
        yield built


@pytest.fixture
def figures(world):
    return dashboard(ReportFilter.for_municipality(world.municipality, Q2, now=NOW))


def test_questions_per_month_and_team(world, figures):
    questions = figures.questions
    # Asked in Q2 by M's teams: 1-10 (0 was in March, 11 is West's). April: 1; May: 2, 3, 4;
    # June: 5-10.
    assert questions.months == (date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1))
    assert questions.per_month == (1, 3, 6)
    assert questions.total == 10
    noord, zuid = world.teams["Noord"].pk, world.teams["Zuid"].pk
    assert questions.per_team == {noord: (1, 3, 2), zuid: (0, 0, 4)}


def test_teams_relative_to_their_size(world, figures):
    rows = {team.name: team for team in figures.teams.teams}
    assert set(rows) == {"Wijkteam Noord", "Wijkteam Zuid", "Wijkteam Oost"}
    noord, zuid, oost = rows["Wijkteam Noord"], rows["Wijkteam Zuid"], rows["Wijkteam Oost"]
    # Noord: 3 active members (the inactive 4th is not counted), 6 questions: 2 per member.
    assert (noord.members, noord.asked, noord.per_member) == (3, 6, 2.0)
    assert (zuid.members, zuid.asked, zuid.per_member) == (2, 4, 2.0)
    assert (oost.members, oost.asked, oost.per_member) == (1, 0, 0.0)
    # The quarter the period ends in is Q2 itself: Oost asked nothing, 1 of 3 teams.
    assert figures.teams.silent_in_quarter == (1, 3)
    assert (figures.teams.quarter_start, figures.teams.quarter_end) == (Q2.start, Q2.end)


def test_time_to_first_advice_in_working_days(figures):
    timing = figures.timing
    # Submitted -> first advice (Amsterdam time):
    #  1 Thu 17 Apr 10:00 -> Tue 22 Apr 10:00: Thu 14 h, Good Friday, weekend, Easter Monday,
    #    Tue 10 h = 1.0
    #  2 Fri 2 May 12:00 -> Wed 7 May 12:00: 0.5 + Liberation Day (Mon 5) + Tue 1 + 0.5 = 2.0
    #  3 Sat 10 May 09:00 -> Mon 12 May 18:00: counts from Monday 00:00: 18 h = 0.75
    #  4 Tue 27 May 08:00 -> Mon 2 Jun 08:00: 16 h + Wed + Ascension (Thu) + Fri + 8 h = 3.0
    #  5 Wed 4 Jun 12:00 -> Thu 12 Jun 12:00: 0.5 + Thu, Fri, Whit Monday, Tue, Wed + 0.5 = 5.0
    #  6 Mon 2 Jun 09:00 -> Thu 12 Jun 09:00: 15 h + Tue-Fri (4) + Tue, Wed (2) + 9 h = 7.0
    #  7 Tue 10 Jun 12:00 -> Fri 20 Jun 12:00: 0.5 + Wed-Fri, Mon-Thu (7) + 0.5 = 8.0
    # Sorted 0.75, 1, 2, 3, 5, 7, 8: median the 4th = 3.0; p90 at rank 0.9 x 6 = 5.4:
    # 7 + 0.4 x (8 - 7) = 7.4.
    assert timing.first_advice.count == 7
    assert timing.first_advice.median == 3.0
    assert timing.first_advice.p90 == 7.4
    # Within 7 working days: 1-6 (6 exactly at 7.0 counts); 7 did not; 8 has no advice after
    # 11 working days (16 Jun to 2 Jul): late. 9 is 2 days old: still young. 10 was redirected.
    assert (timing.answered_within.count, timing.answered_within.total) == (6, 8)
    assert timing.answered_within.percent == 75.0
    assert timing.still_young == 1
    by_month = dict(timing.first_advice_by_month)
    assert by_month[date(2025, 4, 1)].median == 1.0
    # May: 2.0, 0.75, 3.0 -> median 2.0; June: 5, 7, 8 -> median 7.0, p90 7 + 0.8 x 1 = 7.8.
    assert by_month[date(2025, 5, 1)].median == 2.0
    assert (by_month[date(2025, 6, 1)].median, by_month[date(2025, 6, 1)].p90) == (7.0, 7.8)


def test_time_to_close(figures):
    # 1 Thu 17 Apr 10:00 -> Fri 25 Apr 10:00: 14 h + Tue-Thu (3) + 10 h = 4.0
    # 2 Fri 2 May 12:00 -> Fri 9 May 12:00: 0.5 + Tue-Thu (3) + 0.5 = 4.0
    # 3 Sat 10 May -> Mon 19 May 00:00: Mon-Fri = 5.0
    # 6 Mon 2 Jun 09:00 -> Mon 16 Jun 09:00: 7.0 to Thu 12 Jun 09:00, + 15 h + Fri + 9 h = 9.0
    # 4, 4, 5, 9: median 4.5; p90 at rank 2.7: 5 + 0.7 x 4 = 7.8.
    close = figures.timing.close
    assert (close.count, close.median, close.p90) == (4, 4.5, 7.8)


def test_the_triage_clock(figures):
    # Target 2 working days to leave the queue. On time: 1 (5 h), 2 (exactly 2.0), 3 (Monday
    # 12:00, 0.5), 5, 6 (1.0), 7, 8, 10 (redirected after an hour). Late: 4 (3.0), and 9, still
    # in the queue after 2 days and 2 hours (Mon 30 Jun 10:00 to Wed 2 Jul 12:00). 8 of 10.
    share = figures.timing.triage_on_time
    assert (share.count, share.total) == (8, 10)


def test_triage_outcomes(figures):
    triage = figures.triage
    # Decisions in Q2 on M's questions, sharpening left out (4's), March's (0) and West's (11)
    # not counted: 3 was asked for clarification, then assigned.
    assert dict(triage.counts) == {
        "answer": 1, "clarify": 1, "assign": 6, "session": 1, "redirect": 1,
    }  # fmt: skip
    assert triage.total == 10
    assert triage.share("assign").percent == 60.0
    assert dict(triage.redirects) == {"regular_care": 0, "other_pool": 1, "gp": 0}


def test_close_out_results(figures):
    close_outs = figures.close_outs
    # Current close-outs given in Q2: 1 (new direction, avoided), 2's second (new direction,
    # avoided; its first, still needed, was superseded), 3 (confirmed, still needed), 6
    # (confirmed, newly triggered). 0's is from March.
    assert close_outs.total == 4
    assert close_outs.new_direction_share.percent == 50.0
    assert close_outs.escalation_share("avoided").percent == 50.0
    assert close_outs.escalation_share("still_needed").percent == 25.0
    assert close_outs.escalation_share("newly_triggered").percent == 25.0
    assert close_outs.not_considered == 0


def test_usefulness_per_discipline(figures):
    # Schuldhulpverlener: 4 (1), 5 (2, the current close-out; its 1 was superseded), 3 (6):
    # 12 / 3 = 4.0. Woonconsulent: 3 (3), 4 (6): 3.5. March's rating of 1 is out.
    rows = {row.discipline: (row.ratings, row.average) for row in figures.usefulness}
    assert rows == {"schuldhulpverlener": (3, 4.0), "woonconsulent": (2, 3.5)}


def test_sessions(figures):
    # Held in Q2: 5 Jun (discussed 5, 4 and West's 11) and 19 Jun (only 11; 7 on the agenda
    # but not discussed). 26 Jun was cancelled, 20 Mar is before the period.
    assert figures.sessions.held == 2
    assert figures.sessions.with_questions == 1
    assert figures.sessions.questions_discussed == 2


def test_hours_per_care_provider_against_the_caps(figures):
    rows = {row.organisation: row for row in figures.hours}
    a, b = rows["Zorg A"], rows["Zorg B"]
    # Zorg A (E1): 60 (Apr) + 200 + 60 approved beyond the cap (May) + 90 - 30 corrected
    # (Jun) = 380 billable; 30 awaiting approval; March's 100 out. Caps: 3 months x 240 = 720.
    assert (a.experts, a.billable_minutes, a.beyond_cap_minutes) == (1, 380, 60)
    assert (a.awaiting_minutes, a.cap_minutes, a.cap_used) == (30, 720, 0.528)
    # Zorg B (E2): a session of 120 in June; the rejected 45 is not paid. 1 month x 240.
    assert (b.experts, b.billable_minutes, b.awaiting_minutes, b.cap_minutes) == (1, 120, 0, 240)
    assert b.cap_used == 0.5


def test_supply_and_demand_per_life_domain(figures):
    rows = {row.name: row for row in figures.life_domains}
    assert len(rows) == 7  # every life domain, also those nobody asked about
    finance = next(row for row in figures.life_domains if row.asked == 7)
    housing = next(row for row in figures.life_domains if row.asked == 3)
    # Financiën: asked by 1-6 and 9; experts E1, E2 (E3 is away until 10 July); running now:
    # 4, 5 (answered), 9 (in triage).
    assert (finance.asked, finance.experts, finance.open, finance.open_per_expert) == (
        7, 2, 3, 1.5,
    )  # fmt: skip
    # Wonen: 7, 8, 9; only E2 (E4's profile is inactive); running: 7, 8, 9.
    assert (housing.asked, housing.experts, housing.open, housing.open_per_expert) == (
        3, 1, 3, 3.0,
    )  # fmt: skip
    assert not any(row.missing for row in figures.life_domains)
    others = [row for row in figures.life_domains if row not in (finance, housing)]
    assert all(row.asked == row.open == 0 for row in others)


def test_target_groups(figures):
    youth = next(row for row in figures.target_groups if row.asked)
    assert (youth.asked, youth.experts, youth.open) == (2, 0, 0)  # 1 and 2, both closed
    assert youth.missing  # asked about, and no expert for it


def test_open_questions_per_expert(figures):
    load = figures.expert_load
    # Available: E1 (on 4 and 5; 1 is closed) and E2 (on 7 and 8; declined 4).
    assert (load.experts, load.running, load.per_expert) == (2, 4, 2.0)
    assert load.buckets == ((0, 0, 0), (1, 2, 2), (3, 5, 0), (6, 10, 0), (11, None, 0))


def test_a_team_filter(world):
    f = ReportFilter.for_municipality(world.municipality, Q2, teams=[world.teams["Zuid"]], now=NOW)
    figures = dashboard(f)
    assert figures.questions.total == 4
    assert [team.name for team in figures.teams.teams] == ["Wijkteam Zuid"]
    assert figures.timing.first_advice.count == 1  # 7


def test_a_team_of_another_municipality_selects_nothing(world):
    west = world.teams["West"]
    f = ReportFilter.for_municipality(world.municipality, Q2, teams=[west], now=NOW)
    figures = dashboard(f)
    assert figures.questions.total == 0
    assert figures.teams.teams == ()
    assert figures.close_outs.total == 0
    assert figures.sessions.questions_discussed == 0


def test_a_region_sees_all_its_municipalities(world):
    figures = dashboard(ReportFilter.for_region(world.region, Q2, now=NOW))
    assert figures.questions.total == 11  # with West's 11
    assert len(figures.teams.teams) == 4
    assert figures.sessions.with_questions == 2
    assert figures.sessions.questions_discussed == 3


def test_no_pseudonym_name_or_free_text_in_the_figures(world):
    for f in (
        ReportFilter.for_municipality(world.municipality, Q2, now=NOW),
        ReportFilter.for_region(world.region, Period.year(2025), now=NOW),
    ):
        text = repr(dashboard(f))
        assert CANARY_FIRST not in text
        assert CANARY_LAST not in text
        for pseudonym in world.pseudonyms:
            assert pseudonym not in text
        assert PERSON_FIRST not in text
        assert PERSON_LAST not in text
        assert "Huurschuld" not in text  # a question's title
        assert "Gesprek" not in text  # a time entry's note


def test_the_query_count_is_fixed(world, django_assert_num_queries):
    f = ReportFilter.for_municipality(world.municipality, Q2, now=NOW)
    dashboard(f)  # warm up: content types, translations
    # One per figure (reports/kpis.py lists them): 1 questions per month and team · 2 teams ·
    # 3 life domains · 4 target groups · 5 open questions per expert · 6 timestamps of the
    # questions asked · 7 triage decisions · 8 close-outs · 9 usefulness per discipline ·
    # 10 sessions · 11 hours per care provider.
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = dashboard(f)
    assert DASHBOARD_QUERIES == 11
    grow(world, 40)  # undone after the test (its savepoint)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = dashboard(f)
    assert large.questions.total == small.questions.total + 40
    assert large.close_outs.total == small.close_outs.total + 40
    assert large.sessions.questions_discussed == small.sessions.questions_discussed + 40
