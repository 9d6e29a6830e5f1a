"""Reads of the planner's pages (a pool's triage workers and coordinators): how far each entry
awaiting approval takes its expert over the cap, the care providers and months to export, and
what an export would hold. Every function is a fixed number of queries, whatever the rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from expertise.models import ExpertPool, Organisation
from hours.models import InvoiceExport, TimeEntry
from hours.selectors import exportable, exports_visible_to, month_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from accounts.models import User

MONTHS_OFFERED = 12  # this month and the eleven before it


@dataclass(frozen=True)
class MonthUsage:
    """An expert's month in one pool: what counts, what waits, against the pool's cap."""

    expert: User
    pool: ExpertPool
    month: date
    used: int
    waiting: int

    @property
    def cap(self) -> int:
        return self.pool.monthly_cap_minutes

    @property
    def over(self) -> int:
        """Minutes beyond the cap already counted (approved time)."""
        return max(self.used - self.cap, 0)

    @property
    def percent(self) -> int:
        return min(round(100 * self.used / self.cap), 100) if self.cap else 100


@dataclass(frozen=True)
class Pending:
    """An entry awaiting approval, with its expert's month in the pool."""

    entry: TimeEntry
    usage: MonthUsage

    @property
    def over_if_approved(self) -> int:
        """How far beyond the cap the month goes when this entry is approved."""
        return max(self.usage.used + self.entry.minutes - self.usage.cap, 0)


def _usage_rows(entries: Sequence[TimeEntry], months: set[date]) -> dict[tuple, dict[str, int]]:
    """{(expert_id, pool_id, month): {"used", "waiting"}} for the experts and pools of
    `entries` in `months`: one query."""
    if not entries:
        return {}
    first, after = min(months), month_of(max(months))[1]
    rows = (
        TimeEntry.objects.filter(
            expert_id__in={e.expert_id for e in entries},
            pool_id__in={e.pool_id for e in entries},
            date__gte=first,
            date__lt=after,
            status__in=(*TimeEntry.BILLABLE, TimeEntry.Status.AWAITING_APPROVAL),
        )
        .annotate(month=TruncMonth("date"))
        .values("expert_id", "pool_id", "month", "status")
        .annotate(total=Sum("minutes"))
        .values_list("expert_id", "pool_id", "month", "status", "total")
    )
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: {"used": 0, "waiting": 0})
    for expert_id, pool_id, month, status, total in rows:
        kind = "waiting" if status == TimeEntry.Status.AWAITING_APPROVAL else "used"
        totals[(expert_id, pool_id, month)][kind] += total or 0
    return totals


def pending_with_usage(
    entries: Sequence[TimeEntry], *, today: date | None = None
) -> tuple[list[Pending], list[MonthUsage]]:
    """The entries (a page of hours.selectors.awaiting_approval) each with its expert's month
    in its pool, and this month's usage of each expert and pool on the page: one query."""
    this_month = month_of(today or timezone.localdate())[0]
    months = {month_of(e.date)[0] for e in entries} | {this_month}
    totals = _usage_rows(entries, months)

    def usage(entry: TimeEntry, month: date) -> MonthUsage:
        found = totals.get((entry.expert_id, entry.pool_id, month), {"used": 0, "waiting": 0})
        return MonthUsage(entry.expert, entry.pool, month, found["used"], found["waiting"])

    pending = [Pending(entry, usage(entry, month_of(entry.date)[0])) for entry in entries]
    now: dict[tuple[int, int], MonthUsage] = {}
    for entry in entries:
        now.setdefault((entry.expert_id, entry.pool_id), usage(entry, this_month))
    ordered = sorted(
        now.values(),
        key=lambda u: (u.pool.name, u.expert.last_name, u.expert.first_name, u.expert.pk),
    )
    return pending, ordered


def months_offered(*, today: date | None = None) -> list[date]:
    """The months that can be exported: this one and those before it, newest first."""
    first = month_of(today or timezone.localdate())[0]
    months = []
    for n in range(MONTHS_OFFERED):
        year, month = divmod(first.year * 12 + first.month - 1 - n, 12)
        months.append(date(year, month + 1, 1))
    return months


def care_providers(*, pool_ids: Sequence[int]) -> QuerySet[Organisation]:
    """The organisations that may invoice time in the pools: the employers of their experts,
    and any organisation time was registered for (an expert who changed employer)."""
    return (
        Organisation.objects.filter(
            Q(experts__pools__in=pool_ids) | Q(time_entries__pool_id__in=pool_ids)
        )
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class Preview:
    """What an export of the month would hold now."""

    per_expert: list[tuple[str, int, int]]  # name, entries, minutes
    waiting: int  # entries of the month still awaiting approval, not in the export
    last: InvoiceExport | None  # the month's latest export, if one was made

    @property
    def count(self) -> int:
        return sum(n for _name, n, _minutes in self.per_expert)

    @property
    def total(self) -> int:
        return sum(minutes for _name, _n, minutes in self.per_expert)


def export_preview(*, pool: ExpertPool, organisation_id: int, month: date) -> Preview:
    """Three queries: the totals per expert, the entries still waiting, the latest export."""
    rows = (
        exportable(pool=pool, organisation_id=organisation_id, month=month)
        .values("expert_id", "expert__first_name", "expert__last_name", "expert__email")
        .annotate(entries=Count("pk"), minutes=Sum("minutes"))
        .order_by("expert__last_name", "expert__first_name", "expert_id")
    )
    per_expert = [
        (
            f"{row['expert__first_name']} {row['expert__last_name']}".strip()
            or row["expert__email"],
            row["entries"],
            row["minutes"] or 0,
        )
        for row in rows
    ]
    first, after = month_of(month)
    waiting = TimeEntry.objects.filter(
        pool=pool,
        organisation_id=organisation_id,
        date__gte=first,
        date__lt=after,
        status=TimeEntry.Status.AWAITING_APPROVAL,
    ).count()
    last = (
        InvoiceExport.objects.filter(pool=pool, organisation_id=organisation_id, month=first)
        .order_by("-number")
        .first()
    )
    return Preview(per_expert=per_expert, waiting=waiting, last=last)


def export_list(*, user: User) -> QuerySet[InvoiceExport]:
    """The exports the user sees, newest first, each with its number of entries and minutes."""
    return (
        exports_visible_to(user=user)
        .select_related("pool", "organisation", "created_by")
        .annotate(entry_count=Count("entries"), minutes=Sum("entries__minutes"))
        .order_by("-created_at", "-pk")
    )
