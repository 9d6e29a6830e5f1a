"""What the pools put in: sessions held and the questions discussed in them, and the expert
hours per care provider against the pools' monthly caps.

Sessions and hours belong to a pool, and a pool may serve the teams of several
municipalities (Eemland's pool serves five): sessions count once they discussed a question of
the teams reported on; hours are those of the pools serving the teams, reported whole per pool
(what the municipalities share the bill of), and a team filter does not narrow them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from expertise.models import ExpertPool
from hours.models import TimeEntry
from meetings.models import AgendaItem, Session
from reports.scope import ReportFilter


@dataclass(frozen=True)
class Sessions:
    held: int  # sessions held in the period by the pools serving the teams
    with_questions: int  # ... of which discussed at least one question of the teams
    questions_discussed: int  # distinct questions of the teams discussed in them


def _pools(f: ReportFilter):
    return ExpertPool.objects.filter(f.pools_q()).values("pk")


def sessions(f: ReportFilter) -> Sessions:
    """1 query."""
    ours = Q(agenda__status=AgendaItem.Status.DISCUSSED) & f.questions_q("agenda__question__")
    totals = Session.objects.filter(
        f.within("starts_at"), pool__in=_pools(f), status=Session.Status.HELD
    ).aggregate(
        held=Count("pk", distinct=True),
        with_questions=Count("pk", distinct=True, filter=ours),
        questions_discussed=Count("agenda__question", distinct=True, filter=ours),
    )
    return Sessions(**totals)


@dataclass(frozen=True)
class ProviderHours:
    organisation_id: int
    organisation: str  # the care provider (an organisation, never a person)
    experts: int  # experts of it who registered time in the period
    billable_minutes: int  # confirmed within the cap, or approved beyond it (corrections incl.)
    beyond_cap_minutes: int  # of which approved beyond the cap
    awaiting_minutes: int  # beyond the cap, not decided yet (not in billable)
    cap_minutes: int  # the cap of every month each of its experts registered time in
    hourly_rate: Decimal | None = None  # the care provider's rate, when one is set

    @property
    def cost(self) -> Decimal | None:
        """What the billable hours cost at the provider's rate (None without a rate)."""
        if self.hourly_rate is None:
            return None
        return (self.hourly_rate * self.billable_minutes / 60).quantize(Decimal("0.01"))

    @property
    def cap_used(self) -> float | None:
        """Billable minutes against the caps (1.0 = the caps exactly; above: approved extra)."""
        return round(self.billable_minutes / self.cap_minutes, 3) if self.cap_minutes else None


def hours_per_provider(f: ReportFilter) -> tuple[ProviderHours, ...]:
    """Per care provider, its experts' time for the pools serving the teams, dated in the
    period. 1 query (grouped per provider, expert, pool and month: the cap is per expert per
    pool per month, summed here)."""
    statuses = (*TimeEntry.BILLABLE, TimeEntry.Status.AWAITING_APPROVAL)
    rows = (
        TimeEntry.objects.filter(f.within_dates("date"), pool__in=_pools(f), status__in=statuses)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values_list(
            "organisation_id", "organisation__name", "organisation__hourly_rate", "expert_id",
            "pool_id", "month", "pool__monthly_cap_minutes", "status",
        )
        .annotate(minutes=Sum("minutes"))
    )  # fmt: skip
    names: dict[int, str] = {}
    rates: dict[int, Decimal | None] = {}
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    capped: dict[int, dict[tuple, int]] = defaultdict(dict)
    experts: dict[int, set[int]] = defaultdict(set)
    for org, name, rate, expert, pool, month, cap, status, minutes in rows:
        names[org] = name
        rates[org] = rate
        experts[org].add(expert)
        capped[org][(expert, pool, month)] = cap
        if status == TimeEntry.Status.AWAITING_APPROVAL:
            sums[org]["awaiting"] += minutes
        else:
            sums[org]["billable"] += minutes
            if status == TimeEntry.Status.APPROVED:
                sums[org]["beyond"] += minutes
    return tuple(
        ProviderHours(
            organisation_id=org,
            organisation=names[org],
            experts=len(experts[org]),
            billable_minutes=sums[org]["billable"],
            beyond_cap_minutes=sums[org]["beyond"],
            awaiting_minutes=sums[org]["awaiting"],
            cap_minutes=sum(capped[org].values()),
            hourly_rate=rates[org],
        )
        for org in sorted(names, key=lambda org: (names[org], org))
    )
