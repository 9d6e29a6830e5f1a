"""A region's municipalities side by side: their teams and members, the questions they asked,
and how fast those got a first advice. For the region admin's comparison table; 2 queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from consultation.models import Message, Question
from reports.periods import Distribution, Share, working_days_between
from reports.queries import count_of
from reports.scope import ReportFilter
from reports.timing import ANSWERED_WITHIN_DAYS, ENDED_ELSEWHERE
from wijkteam.models import DistrictTeam, Municipality, TeamMembership

COMPARISON_QUERIES = 2


@dataclass(frozen=True)
class MunicipalityFigures:
    municipality_id: int
    name: str
    teams: int  # active district teams reported on
    members: int  # their active generalists and team leads
    asked: int  # questions asked in the period
    first_advice: Distribution  # working days to the first advice
    answered_within: Share  # within 7 working days, counted as reports.timing does

    @property
    def per_member(self) -> float | None:
        return round(self.asked / self.members, 2) if self.members else None


def municipality_comparison(f: ReportFilter) -> tuple[MunicipalityFigures, ...]:
    """Every municipality of the filter's region (also those that asked nothing), by name.
    Empty for a municipality's own report. 2 queries."""
    region_id = f.region_id
    if region_id is None:
        return ()
    teams = DistrictTeam.objects.filter(f.teams_q(), is_active=True)
    members = TeamMembership.objects.filter(user__is_active=True, team__in=teams.values("pk"))
    municipalities = list(
        Municipality.objects.filter(region_id=region_id)
        .annotate(
            n_teams=count_of(teams, "municipality"),
            n_members=count_of(members, "team__municipality"),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "n_teams", "n_members")
    )
    advice = Message.objects.filter(kind=Message.Kind.ADVICE, question=OuterRef("pk"))
    rows = (
        Question.objects.filter(f.asked_q())
        .annotate(first_advice_at=Subquery(advice.order_by("created_at").values("created_at")[:1]))
        .order_by()
        .values_list("team__municipality_id", "submitted_at", "first_advice_at", "status")
    )
    asked: dict[int, int] = defaultdict(int)
    days: dict[int, list[float]] = defaultdict(list)
    within: dict[int, int] = defaultdict(int)
    waited: dict[int, int] = defaultdict(int)
    for municipality, submitted, advised, status in rows:
        if submitted is None:  # the query selects submitted questions only
            continue
        asked[municipality] += 1
        if advised is not None:
            elapsed = working_days_between(submitted, advised)
            days[municipality].append(elapsed)
            waited[municipality] += 1
            within[municipality] += elapsed <= ANSWERED_WITHIN_DAYS
        elif (
            status not in ENDED_ELSEWHERE
            and working_days_between(submitted, f.now) > ANSWERED_WITHIN_DAYS
        ):
            waited[municipality] += 1
    return tuple(
        MunicipalityFigures(
            municipality_id=pk,
            name=name,
            teams=n_teams,
            members=n_members,
            asked=asked[pk],
            first_advice=Distribution.of(days[pk]),
            answered_within=Share(within[pk], waited[pk]),
        )
        for pk, name, n_teams, n_members in municipalities
    )
