"""What a report is about: a municipality (or a whole region, for a region admin), a period,
and optionally some of the district teams.

The filter holds ids only and builds its conditions without a query: the teams named are ANDed
with the municipality or region, so a team of another municipality selects nothing (the view
that builds a filter from a request checks the user's scope first; this is the second lock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from reports.periods import Period


@dataclass(frozen=True)
class ReportFilter:
    period: Period
    municipality_id: int | None = None
    region_id: int | None = None
    team_ids: tuple[int, ...] = field(default=())
    # The moment "open now" and "has the clock run out" are measured at; fixed for a report.
    now: datetime = field(default_factory=timezone.now)

    def __post_init__(self):
        if (self.municipality_id is None) == (self.region_id is None):
            raise ValueError("A report is about one municipality or one region.")
        object.__setattr__(self, "team_ids", tuple(sorted(set(self.team_ids))))

    @classmethod
    def for_municipality(cls, municipality, period: Period, *, teams=(), now=None):
        return cls(
            period=period,
            municipality_id=_pk(municipality),
            team_ids=tuple(_pk(team) for team in teams),
            now=now or timezone.now(),
        )

    @classmethod
    def for_region(cls, region, period: Period, *, teams=(), now=None):
        return cls(
            period=period,
            region_id=_pk(region),
            team_ids=tuple(_pk(team) for team in teams),
            now=now or timezone.now(),
        )

    @property
    def is_region(self) -> bool:
        return self.region_id is not None

    def teams_q(self, prefix: str = "") -> Q:
        """The district teams reported on; `prefix` is the path to the team ("team__")."""
        if self.region_id is not None:
            q = Q(**{f"{prefix}municipality__region_id": self.region_id})
        else:
            q = Q(**{f"{prefix}municipality_id": self.municipality_id})
        if self.team_ids:
            q &= Q(**{f"{prefix}pk__in": self.team_ids})
        return q

    def questions_q(self, prefix: str = "") -> Q:
        """Questions of the teams reported on (any time, any status but draft)."""
        return self.teams_q(f"{prefix}team__") & Q(**{f"{prefix}submitted_at__isnull": False})

    def asked_q(self, prefix: str = "") -> Q:
        """Questions of the teams submitted in the period: the questions "asked"."""
        return self.questions_q(prefix) & self.within(f"{prefix}submitted_at")

    def within(self, lookup: str, period: Period | None = None) -> Q:
        """`lookup` (a datetime) falls in the period."""
        period = period or self.period
        return Q(**{f"{lookup}__gte": period.since, f"{lookup}__lt": period.until})

    def within_dates(self, lookup: str) -> Q:
        """`lookup` (a date) falls in the period."""
        return Q(**{f"{lookup}__gte": self.period.start, f"{lookup}__lte": self.period.end})

    def pools_q(self, prefix: str = "") -> Q:
        """The expert pools serving the teams reported on (use with .distinct() or in a
        subquery: a pool serves several teams)."""
        return self.teams_q(f"{prefix}teams__")

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk
