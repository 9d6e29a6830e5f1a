"""The municipality's dashboard figures (issue 12), computed from the data in a fixed number of
queries whatever its size: `dashboard(f)` calls each KPI function once.

    f = ReportFilter.for_municipality(amersfoort, Period.year(2025), teams=[noord])
    figures = dashboard(f)
    figures.timing.first_advice.median     # working days

Only aggregates leave this package: counts, shares, durations, and the labels of teams, life
domains, target groups, disciplines and care providers; never a pseudonym, a name of a person
or free text. Display goes through reports.suppression (counts 1-4 as "< 5").

Queries (DASHBOARD_QUERIES):
 1. questions per month and team (usage.questions_per_month)
 2. teams with size and questions (usage.team_usage)
 3. life domains: asked, experts, open (usage.life_domain_supply)
 4. target groups: asked, experts, open (usage.target_group_supply)
 5. open questions per expert (usage.expert_load)
 6. the timestamps of the questions asked (timing.timing)
 7. triage decisions per kind (outcomes.triage_outcomes)
 8. close-out shares (outcomes.close_out_results)
 9. usefulness per discipline (outcomes.usefulness_per_discipline)
10. sessions held and questions discussed (capacity.sessions)
11. expert hours per care provider (capacity.hours_per_provider)
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.capacity import ProviderHours, Sessions, hours_per_provider, sessions
from reports.outcomes import (
    CloseOutResults,
    DisciplineRating,
    TriageOutcomes,
    close_out_results,
    triage_outcomes,
    usefulness_per_discipline,
)
from reports.scope import ReportFilter
from reports.timing import Timing, timing
from reports.usage import (
    DomainSupply,
    ExpertLoad,
    MonthlyQuestions,
    TeamsReport,
    expert_load,
    life_domain_supply,
    questions_per_month,
    target_group_supply,
    team_usage,
)

DASHBOARD_QUERIES = 11


@dataclass(frozen=True)
class Dashboard:
    filter: ReportFilter
    questions: MonthlyQuestions
    teams: TeamsReport
    life_domains: tuple[DomainSupply, ...]
    target_groups: tuple[DomainSupply, ...]
    expert_load: ExpertLoad
    timing: Timing
    triage: TriageOutcomes
    close_outs: CloseOutResults
    usefulness: tuple[DisciplineRating, ...]
    sessions: Sessions
    hours: tuple[ProviderHours, ...]


def dashboard(f: ReportFilter) -> Dashboard:
    """Every figure of the dashboard for the filter: DASHBOARD_QUERIES queries."""
    return Dashboard(
        filter=f,
        questions=questions_per_month(f),
        teams=team_usage(f),
        life_domains=life_domain_supply(f),
        target_groups=target_group_supply(f),
        expert_load=expert_load(f),
        timing=timing(f),
        triage=triage_outcomes(f),
        close_outs=close_out_results(f),
        usefulness=usefulness_per_discipline(f),
        sessions=sessions(f),
        hours=hours_per_provider(f),
    )
