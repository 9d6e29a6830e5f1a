"""Demand, and supply against it: questions asked per month, team, life domain and target
group; team size and the teams that ask nothing; experts available and open questions per life
domain and target group; open questions per expert. Every function is a fixed number of
queries (said per function) and returns numbers and labels of teams and domains only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, Value
from django.db.models.functions import TruncMonth

from consultation.models import Question, QuestionExpert
from consultation.workflow import EXPERT_WORKLOAD
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from reports.queries import OPEN_NOW, count_of, counted, counts_by
from reports.scope import ReportFilter
from triage.clock import AMSTERDAM
from wijkteam.models import DistrictTeam, TeamMembership


# --- Questions per month and team -----------------------------------------------------------------
@dataclass(frozen=True)
class MonthlyQuestions:
    months: tuple[date, ...]  # every month of the period, also those without questions
    per_month: tuple[int, ...]  # the total per month, in the order of `months`
    # {team id: counts per month, in the order of `months`}; teams without questions absent
    per_team: dict[int, tuple[int, ...]]
    total: int


def questions_per_month(f: ReportFilter) -> MonthlyQuestions:
    """Questions asked (submitted in the period) per calendar month and team. 1 query."""
    months = tuple(f.period.months())
    index = {month: i for i, month in enumerate(months)}
    rows = (
        Question.objects.filter(f.asked_q())
        .annotate(month=TruncMonth("submitted_at", tzinfo=AMSTERDAM))
        .values_list("month", "team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_team: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    for month, team_id, n in rows:
        per_team[team_id][index[month.date()]] += n
    per_month = tuple(sum(counts[i] for counts in per_team.values()) for i in range(len(months)))
    return MonthlyQuestions(
        months=months,
        per_month=per_month,
        per_team={team: tuple(counts) for team, counts in sorted(per_team.items())},
        total=sum(per_month),
    )


# --- Teams ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamUsage:
    team_id: int
    name: str
    municipality: str
    members: int  # active generalists and team leads now
    asked: int  # questions submitted in the period
    asked_in_quarter: int  # ... in the calendar quarter the period ends in

    @property
    def per_member(self) -> float | None:
        """Questions per team member in the period: who hardly asks?"""
        return round(self.asked / self.members, 2) if self.members else None


@dataclass(frozen=True)
class TeamsReport:
    teams: tuple[TeamUsage, ...]
    quarter_start: date
    quarter_end: date

    @property
    def silent_in_quarter(self) -> tuple[int, int]:
        """(teams that asked nothing in the quarter, teams): the share of silent teams."""
        return sum(1 for t in self.teams if t.asked_in_quarter == 0), len(self.teams)


def team_usage(f: ReportFilter) -> TeamsReport:
    """Each active team of the filter (and an inactive one that still asked in the period),
    its size and what it asked. 1 query."""
    quarter = f.period.last_quarter()
    members = TeamMembership.objects.filter(user__is_active=True)
    asked = count_of(Question.objects.filter(f.within("submitted_at")), "team")
    in_quarter = count_of(Question.objects.filter(f.within("submitted_at", quarter)), "team")
    rows = (
        DistrictTeam.objects.filter(f.teams_q())
        .annotate(n_members=count_of(members, "team"), n_asked=asked, n_quarter=in_quarter)
        .filter(Q(is_active=True) | Q(n_asked__gt=0))
        .order_by("municipality__name", "name", "pk")
        .values_list("pk", "name", "municipality__name", "n_members", "n_asked", "n_quarter")
    )
    return TeamsReport(
        teams=tuple(TeamUsage(*row) for row in rows),
        quarter_start=quarter.start,
        quarter_end=quarter.end,
    )


# --- Life domains and target groups: demand and supply --------------------------------------------
@dataclass(frozen=True)
class DomainSupply:
    """One life domain or target group."""

    pk: int
    name: str
    asked: int  # questions asked in the period about it
    experts: int  # experts available now for it in the pools serving the teams
    open: int  # questions about it still running now

    @property
    def open_per_expert(self) -> float | None:
        return round(self.open / self.experts, 2) if self.experts else None

    @property
    def asked_per_expert(self) -> float | None:
        return round(self.asked / self.experts, 2) if self.experts else None

    @property
    def missing(self) -> bool:
        """Asked about, and nobody to answer: where expertise is missing."""
        return self.asked > 0 and self.experts == 0


def _available_experts(f: ReportFilter):
    pools = ExpertPool.objects.filter(f.pools_q(), is_active=True).values("pk")
    # An expert in two of the pools is one expert: selected by id, not joined.
    in_pools = ExpertProfile.objects.filter(pools__in=pools).values("pk")
    return ExpertProfile.objects.filter(
        Q(unavailable_until__isnull=True) | Q(unavailable_until__lt=f.today),
        is_active=True,
        user__is_active=True,
        pk__in=in_pools,
    )


def _supply(model, f: ReportFilter, relation: str, *, inactive_if_used: bool = False):
    """Demand and supply per row of `model`. The questions asked and running are counted per
    row once for all rows (counts_by), the experts per row (a few dozen profiles).
    `inactive_if_used`: an inactive row is left out unless asked about or with experts."""
    asked = Question.objects.filter(f.asked_q())
    running = Question.objects.filter(f.questions_q(), status__in=OPEN_NOW)
    rows = (
        model.objects.annotate(
            asked_by=counts_by(asked, relation),
            n_experts=count_of(_available_experts(f), relation),
            open_by=counts_by(running, relation),
            active=F("is_active") if inactive_if_used else Value(True),
        )
        .order_by(*model._meta.ordering, "pk")
        .values_list("pk", "name", "asked_by", "n_experts", "open_by", "active")
    )
    supply = []
    for pk, name, asked_by, n_experts, open_by, is_active in rows:
        n_asked = counted(asked_by).get(pk, 0)
        if inactive_if_used and not (is_active or n_asked or n_experts):
            continue
        supply.append(DomainSupply(pk, name, n_asked, n_experts, counted(open_by).get(pk, 0)))
    return tuple(supply)


def life_domain_supply(f: ReportFilter) -> tuple[DomainSupply, ...]:
    """All seven life domains, also those nobody asked about. 1 query."""
    return _supply(LifeDomain, f, "life_domains")


def target_group_supply(f: ReportFilter) -> tuple[DomainSupply, ...]:
    """The active target groups, and an inactive one that was asked about or has experts.
    1 query."""
    return _supply(TargetGroup, f, "target_groups", inactive_if_used=True)


# --- Load per expert ------------------------------------------------------------------------------
LOAD_BUCKETS = ((0, 0), (1, 2), (3, 5), (6, 10), (11, None))


@dataclass(frozen=True)
class ExpertLoad:
    """How the running questions are spread over the available experts: no expert is named;
    a bucket is (low, high or None, how many experts have that many running questions)."""

    experts: int
    running: int  # questions experts are on, counted once per expert
    buckets: tuple[tuple[int, int | None, int], ...]

    @property
    def per_expert(self) -> float | None:
        return round(self.running / self.experts, 2) if self.experts else None


def expert_load(f: ReportFilter) -> ExpertLoad:
    """Open questions per available expert of the pools serving the teams: the questions they
    picked up or were assigned (not declined) and that still wait on experts, of any team (an
    overloaded expert is overloaded whoever asked). 1 query."""
    experts = _available_experts(f)
    working = QuestionExpert.objects.filter(
        declined_at__isnull=True,
        question__status__in=EXPERT_WORKLOAD,
        expert__in=experts.values("user_id"),
    )
    # Counted once for all experts (counts_by): per expert, it read each of their questions
    # over the years to find the few running (0.5-0.9 s at 500,000 questions).
    rows = experts.annotate(load_by=counts_by(working, "expert")).values_list("user_id", "load_by")
    loads = [counted(load_by).get(user_id, 0) for user_id, load_by in rows]
    buckets = tuple(
        (low, high, sum(1 for n in loads if n >= low and (high is None or n <= high)))
        for low, high in LOAD_BUCKETS
    )
    return ExpertLoad(experts=len(loads), running=sum(loads), buckets=buckets)
