"""Reads of time entries. `entries_visible_to` is the one chokepoint: an expert sees their own
entries, a pool's triage workers and coordinators the entries of that pool (to approve and
export them); nobody else sees any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from expertise.models import ExpertPool
from hours.models import InvoiceExport, TimeEntry
from meetings.selectors import planned_pools

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User

WARN_AT = 0.8  # the expert is warned from 80 % of the cap on


def month_of(day: date) -> tuple[date, date]:
    """The first day of `day`'s month and of the next one."""
    first = day.replace(day=1)
    return first, first + relativedelta(months=1)


def entries_visible_to(*, user: User) -> QuerySet[TimeEntry]:
    if not user.is_authenticated or not user.is_active:
        return TimeEntry.objects.none()
    return TimeEntry.objects.filter(
        Q(expert=user) | Q(pool__in=planned_pools(user=user).values("pk"))
    )


def exports_visible_to(*, user: User) -> QuerySet[InvoiceExport]:
    if not user.is_authenticated or not user.is_active:
        return InvoiceExport.objects.none()
    return InvoiceExport.objects.filter(pool__in=planned_pools(user=user).values("pk"))


def billable(queryset: QuerySet[TimeEntry]) -> QuerySet[TimeEntry]:
    return queryset.filter(status__in=TimeEntry.BILLABLE)


def minutes_used(pool_id: int, expert_ids: Iterable[int], day: date) -> dict[int, int]:
    """Billable minutes (corrections included) per expert in the pool in `day`'s month: one
    query. Registered as expertise.workload's source."""
    first, after = month_of(day)
    rows = (
        billable(TimeEntry.objects.filter(pool_id=pool_id, expert_id__in=list(expert_ids)))
        .filter(date__gte=first, date__lt=after)
        .values("expert_id")
        .annotate(total=Sum("minutes"))
        .values_list("expert_id", "total")
    )
    return {expert_id: total or 0 for expert_id, total in rows}


@dataclass(frozen=True)
class Usage:
    """An expert's month in one pool, against its cap."""

    pool: ExpertPool
    used: int
    waiting: int  # beyond the cap, awaiting approval
    cap: int

    @property
    def left(self) -> int:
        return max(self.cap - self.used, 0)

    @property
    def share(self) -> float:
        return self.used / self.cap if self.cap else 1.0

    @property
    def percent(self) -> int:
        return min(round(100 * self.share), 100)

    @property
    def warn(self) -> bool:
        return self.share >= WARN_AT


def usage_of(*, expert: User, day: date | None = None) -> list[Usage]:
    """The expert's usage this month in every pool they serve or registered time for: two
    queries."""
    day = day or timezone.localdate()
    first, after = month_of(day)
    month = TimeEntry.objects.filter(expert=expert, date__gte=first, date__lt=after)
    totals: dict[int, dict[str, int]] = {}
    for pool_id, status, total in (
        month.filter(status__in=(*TimeEntry.BILLABLE, TimeEntry.Status.AWAITING_APPROVAL))
        .values("pool_id", "status")
        .annotate(total=Sum("minutes"))
        .values_list("pool_id", "status", "total")
    ):
        kind = "waiting" if status == TimeEntry.Status.AWAITING_APPROVAL else "used"
        totals.setdefault(pool_id, {"used": 0, "waiting": 0})[kind] += total or 0
    pools = (
        ExpertPool.objects.filter(Q(experts__user=expert) | Q(pk__in=list(totals)))
        .distinct()
        .order_by("name")
    )
    return [
        Usage(
            pool=pool,
            used=totals.get(pool.pk, {}).get("used", 0),
            waiting=totals.get(pool.pk, {}).get("waiting", 0),
            cap=pool.monthly_cap_minutes,
        )
        for pool in pools
    ]


def with_references(queryset: QuerySet[TimeEntry]) -> QuerySet[TimeEntry]:
    """What a list of entries shows, in the list's one query."""
    return queryset.select_related(
        "pool", "organisation", "question__case", "session", "expert", "corrects"
    )


def proposals_for(*, expert: User) -> QuerySet[TimeEntry]:
    """Attendance proposed from a held session, for the expert to confirm."""
    return with_references(
        TimeEntry.objects.filter(expert=expert, status=TimeEntry.Status.PROPOSED)
    ).order_by("date", "pk")


def awaiting_approval(*, user: User) -> QuerySet[TimeEntry]:
    """Entries beyond a cap, in the pools the user approves for (never their own)."""
    return with_references(
        TimeEntry.objects.filter(
            pool__in=planned_pools(user=user).values("pk"),
            status=TimeEntry.Status.AWAITING_APPROVAL,
        ).exclude(expert=user)
    ).order_by("created_at", "pk")


def exportable(*, pool: ExpertPool | int, organisation_id: int, month: date) -> QuerySet[TimeEntry]:
    """The month's billable entries of one care provider's experts in the pool, not exported
    yet."""
    first, after = month_of(month)
    return billable(
        TimeEntry.objects.filter(
            pool=pool,
            organisation_id=organisation_id,
            date__gte=first,
            date__lt=after,
            export__isnull=True,
        )
    )


def effective_minutes(entry: TimeEntry) -> int:
    """The entry's minutes with its billable corrections."""
    extra = billable(entry.corrections.all()).aggregate(total=Sum("minutes"))["total"] or 0
    return entry.minutes + extra
