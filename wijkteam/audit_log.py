"""Reading the audit log: who may (the functional admin and the privacy officer), the filter,
and the CSV export. The log holds ids and pseudonyms, never a resident's identity; it names the
professionals who acted, which is what it is for.

Who reads it: DESIGN §1's functional admin is the superuser; issue 13 adds the privacy officer
(functionaris gegevensbescherming, a region's `privacy_officers`), whose job is to read it. No
one else: for everyone else the pages do not exist (404)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from accounts.roles import Role, request_roles
from wijkteam.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest


def may_read_audit_log(request: HttpRequest) -> bool:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or Role.PRIVACY_OFFICER in request_roles(request)


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_filtered(
    *, person: str = "", case: str = "", start=None, end=None, action: str = "", result: str = ""
) -> QuerySet[AuditEvent]:
    """The log, newest first, narrowed by the filter's values (each optional)."""
    events = AuditEvent.objects.select_related("actor", "on_behalf_of").order_by("-seq", "-pk")
    if person:
        events = events.filter(actor__email__iexact=person.strip())
    if case:
        events = events.filter(case_pseudonym=case.strip().upper())
    if start:
        events = events.filter(created_at__gte=_local_midnight(start))
    if end:
        events = events.filter(created_at__lt=_local_midnight(end + timedelta(days=1)))
    if action:
        events = events.filter(action=action)
    if result:
        events = events.filter(result=result)
    return events


CSV_HEADER = [
    "seq", "at", "actor", "on_behalf_of", "action", "result", "object_type", "object_id",
    "case", "detail", "channel", "path", "ip_address", "request_id", "row_hash",
]  # fmt: skip


def _cell(value) -> str:
    """A value as a CSV cell that a spreadsheet does not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def audit_csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    event.seq,
                    timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                    event.actor.email if event.actor else "",
                    event.on_behalf_of.email if event.on_behalf_of else "",
                    event.action,
                    event.result,
                    event.object_type,
                    event.object_id,
                    event.case_pseudonym,
                    event.detail,
                    event.channel,
                    event.path,
                    event.ip_address,
                    event.request_id,
                    event.row_hash,
                )
            ]
        )


# --- Unusual patterns, for the privacy officer's weekly summary ----------------------------------
@dataclass(frozen=True)
class Pattern:
    email: str
    count: int
    first: datetime | None = None


@dataclass(frozen=True)
class UnusualPatterns:
    start: datetime
    end: datetime
    many_identities: list[Pattern]
    refusals: list[Pattern]
    quiet_hour_sign_ins: list[Pattern]
    unused_accounts: list[Pattern]

    @property
    def any(self) -> bool:
        return bool(
            self.many_identities or self.refusals or self.quiet_hour_sign_ins
            or self.unused_accounts
        )  # fmt: skip


LISTED = 50  # per pattern in one summary; the page has the rest


def _per_person(events: QuerySet[AuditEvent], count, minimum: int) -> list[Pattern]:
    rows = (
        events.filter(actor__isnull=False)
        .values("actor__email")
        .annotate(n=count, first=Min("created_at"))
        .filter(n__gte=minimum)
        .order_by("-n", "actor__email")[:LISTED]
    )
    return [Pattern(row["actor__email"], row["n"], row["first"]) for row in rows]


def unusual_patterns(*, start: datetime, end: datetime) -> UnusualPatterns:
    """What a privacy officer should look at in [start, end): a person reading many residents'
    identities, repeated refused accesses, sign-ins at quiet hours (local time), and accounts
    nobody used for AUDIT_UNUSED_DAYS. Professionals' e-mail addresses and counts only."""
    from accounts.models import User

    events = AuditEvent.objects.filter(created_at__gte=start, created_at__lt=end)
    quiet_from, quiet_until = settings.AUDIT_QUIET_HOURS
    hour = ExtractHour("created_at", tzinfo=timezone.get_current_timezone())
    quiet = Q(hour__gte=quiet_from) | Q(hour__lt=quiet_until)
    unused_since = end - timedelta(days=settings.AUDIT_UNUSED_DAYS)
    unused = (
        User.objects.filter(is_active=True)
        .filter(
            Q(last_login__lt=unused_since)
            | Q(last_login__isnull=True, date_joined__lt=unused_since)
        )
        .order_by("last_login", "email")[:LISTED]
    )
    return UnusualPatterns(
        start=start,
        end=end,
        many_identities=_per_person(
            events.filter(action=AuditEvent.Action.VIEW_IDENTITY),
            Count("object_id", distinct=True),
            settings.AUDIT_MANY_RESIDENTS,
        ),
        refusals=_per_person(
            events.filter(result=AuditEvent.Result.REFUSED),
            Count("pk"),
            settings.AUDIT_MANY_REFUSALS,
        ),
        quiet_hour_sign_ins=_per_person(
            events.filter(
                action__in=[AuditEvent.Action.SIGN_IN, AuditEvent.Action.SECOND_FACTOR],
                result=AuditEvent.Result.SUCCESS,
            )
            .annotate(hour=hour)
            .filter(quiet),
            Count("pk"),
            1,
        ),
        unused_accounts=[
            Pattern(user.email, 0, user.last_login or user.date_joined) for user in unused
        ],
    )
