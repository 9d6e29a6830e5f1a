"""When experts can come: the dagdelen they keep free each week, and the days they are away.

Reads only; the writes are in expertise.services. Used by the expert's own profile section
(expertise.profile), the API, triage's suggestions, and the planning of sessions:

    available_moments(experts=[...], start=date or datetime, days=14)  -> [Moment, ...]
    who_is_unavailable(experts=[...], starts_at=..., ends_at=...)       -> [Unavailable, ...]

`experts` may hold ExpertProfile objects, User objects, or a mix (an invitee is a User); what
comes back names each expert by the object that was passed in. Both read three queries
whatever the number of experts or days (profiles, weekly dagdelen, absences), and never read an
absence's note: that is for the expert alone.

An expert counts as unavailable on a day when an absence covers it (both its first and last day
included) or when ExpertProfile.unavailable_until is that day or later (the older "no new
assignments before" date, kept; it reads as an absence of kind `other`); and in a dagdeel that
is not ticked in their weekly availability. An expert who ticked nothing at all has "not given
their availability" (Reason.NO_AVAILABILITY): unknown is not the same as free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from expertise.models import Absence, Dagdeel, ExpertProfile, Weekday, WeeklyAvailability

# The times a session is proposed at, per dagdeel.
MORNING = (time(9, 0), time(12, 30))
AFTERNOON = (time(13, 0), time(17, 0))
EVENING = (time(18, 30), time(21, 0))
DAGDEEL_TIMES: dict[str, tuple[time, time]] = {
    Dagdeel.MORNING: MORNING,
    Dagdeel.AFTERNOON: AFTERNOON,
    Dagdeel.EVENING: EVENING,
}
# Which dagdeel a moment of the day falls in (a session at 12:00-14:00 needs the expert in the
# morning and in the afternoon; one at 12:35 in the morning): before 13:00 is the morning,
# from 18:00 the evening, in between the afternoon.
AFTERNOON_FROM = time(13, 0)
EVENING_FROM = time(18, 0)
DAGDEEL_ORDER = (Dagdeel.MORNING, Dagdeel.AFTERNOON, Dagdeel.EVENING)
WORKING_DAYS = (0, 1, 2, 3, 4)


class Reason(StrEnum):
    """Why an expert cannot come. The first four are Absence.Kind's."""

    HOLIDAY = Absence.Kind.HOLIDAY.value
    LEAVE = Absence.Kind.LEAVE.value
    ILLNESS = Absence.Kind.ILLNESS.value
    OTHER = Absence.Kind.OTHER.value
    NOT_AVAILABLE = "not_available"  # this dagdeel is not ticked in the weekly availability
    NO_AVAILABILITY = "no_availability"  # no dagdeel ticked at all (or not an expert)


ABSENT = frozenset({Reason.HOLIDAY, Reason.LEAVE, Reason.ILLNESS, Reason.OTHER})


@dataclass(frozen=True)
class Unavailable:
    """One expert who cannot come, and why (the kind of absence, never its note)."""

    expert: Any  # the object passed in: an ExpertProfile or a User
    reason: Reason
    until: date | None = None  # when absent: the last day away (included)

    @property
    def is_absent(self) -> bool:
        return self.reason in ABSENT

    @property
    def label(self) -> str:
        """What a planner reads. It says *that* the expert is away and until when, not why:
        "ill" is health data about a colleague. The kind is in `reason` for who needs it."""
        if self.is_absent:
            return absent_until_label(self.until)
        if self.reason == Reason.NOT_AVAILABLE:
            return _("not available in this part of the day")
        return _("has not given their availability")


@dataclass(frozen=True)
class Moment:
    """A dagdeel on a date with its concrete times, and who of the experts can and cannot come."""

    date: date
    dagdeel: Dagdeel
    starts_at: datetime
    ends_at: datetime
    available: tuple[Any, ...]
    unavailable: tuple[Unavailable, ...]

    @property
    def everyone(self) -> bool:
        return not self.unavailable

    @property
    def label(self) -> str:
        """e.g. "dinsdagmiddag 12 december, 13:00–17:00"."""
        return _("%(moment)s %(date)s, %(start)s–%(end)s") % {
            "moment": dagdeel_label(self.date.weekday(), self.dagdeel),
            "date": date_format(self.date, "j F"),
            "start": self.starts_at.strftime("%H:%M"),
            "end": self.ends_at.strftime("%H:%M"),
        }


def dagdeel_label(weekday: int, dagdeel: str) -> str:
    """ "Tuesday afternoon"; in Dutch one word: "dinsdagmiddag"."""
    return _("%(weekday)s %(dagdeel)s") % {
        "weekday": Weekday(weekday).label,
        "dagdeel": Dagdeel(dagdeel).label,
    }


def absent_until_label(until: date | None, *, today: date | None = None) -> str:
    """ "absent until 12 December" (the last day away, included); the year only when it is not
    this year."""
    if until is None:
        return _("absent")
    today = today or timezone.localdate()
    shown = date_format(until, "j F" if until.year == today.year else "j F Y")
    return _("absent until %(date)s") % {"date": shown}


# --- The expert's own -------------------------------------------------------------------------
def weekly_slots_of(*, expert: ExpertProfile) -> set[tuple[int, str]]:
    """The (weekday, dagdeel) pairs the expert ticked."""
    return set(WeeklyAvailability.objects.filter(expert=expert).values_list("weekday", "dagdeel"))


def absences_current_and_coming(*, expert: ExpertProfile, today: date | None = None) -> QuerySet:
    """The expert's absences that have not ended (an absence ending today still runs), soonest
    first: what the profile lists; past ones are not shown."""
    today = today or timezone.localdate()
    return Absence.objects.filter(expert=expert, ends_on__gte=today).order_by(
        "starts_on", "ends_on", "pk"
    )


def absences_covering(day: date) -> QuerySet:
    """Absences of any expert that include `day` (to filter or prefetch on)."""
    return Absence.objects.filter(starts_on__lte=day, ends_on__gte=day)


# --- Planning: who can come when --------------------------------------------------------------
@dataclass
class _Facts:
    """What is known of one expert for a stretch of days (read in three queries for all)."""

    slots: set[tuple[int, str]] = field(default_factory=set)
    absences: list[tuple[date, date, str]] = field(default_factory=list)  # (first, last, kind)
    is_expert: bool = False

    def absent_on(self, day: date) -> tuple[Reason, date] | None:
        covering = [(last, kind) for first, last, kind in self.absences if first <= day <= last]
        if not covering:
            return None
        last, kind = max(covering)
        return Reason(kind), last

    def why_not(self, days: Sequence[tuple[date, str]]) -> tuple[Reason, date | None] | None:
        """Why the expert cannot come to something that takes these (date, dagdeel)s, or None."""
        for day in sorted({day for day, _dagdeel in days}):
            absent = self.absent_on(day)
            if absent:
                return absent
        if not self.slots:
            return Reason.NO_AVAILABILITY, None
        if any((day.weekday(), dagdeel) not in self.slots for day, dagdeel in days):
            return Reason.NOT_AVAILABLE, None
        return None


def _user_id(expert: Any) -> int:
    return expert.user_id if isinstance(expert, ExpertProfile) else expert.pk


def _facts(experts: Sequence[Any], first: date, last: date) -> dict[int, _Facts]:
    """Per user id: weekly dagdelen and absences touching first..last. Three queries."""
    facts: dict[int, _Facts] = defaultdict(_Facts)
    user_ids = {_user_id(e) for e in experts}
    if not user_ids:
        return facts
    profile_users = {}
    for pk, user_id, until in ExpertProfile.objects.filter(user_id__in=user_ids).values_list(
        "pk", "user_id", "unavailable_until"
    ):
        profile_users[pk] = user_id
        facts[user_id].is_expert = True
        if until is not None and until >= first:
            # The older "unavailable until": away from now (it has no first day) until then.
            facts[user_id].absences.append((date.min, until, Absence.Kind.OTHER))
    if not profile_users:
        return facts
    for expert_id, weekday, dagdeel in WeeklyAvailability.objects.filter(
        expert_id__in=profile_users
    ).values_list("expert_id", "weekday", "dagdeel"):
        facts[profile_users[expert_id]].slots.add((weekday, dagdeel))
    # Never the note: it is not read, so it cannot end up on a planning page.
    for expert_id, starts_on, ends_on, kind in Absence.objects.filter(
        expert_id__in=profile_users, starts_on__lte=last, ends_on__gte=first
    ).values_list("expert_id", "starts_on", "ends_on", "kind"):
        facts[profile_users[expert_id]].absences.append((starts_on, ends_on, kind))
    return facts


def dagdelen_of(starts_at: datetime, ends_at: datetime) -> list[tuple[date, str]]:
    """The (local date, dagdeel) pairs a stretch of time touches, in order: 12:00-14:00 on a
    Tuesday is Tuesday morning and Tuesday afternoon; 20:00-23:30, Tuesday evening."""
    if ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    touched: list[tuple[date, str]] = []
    day = start.date()
    while True:
        day_start = timezone.make_aware(datetime.combine(day, time.min))
        bounds = [
            day_start,
            timezone.make_aware(datetime.combine(day, AFTERNOON_FROM)),
            timezone.make_aware(datetime.combine(day, EVENING_FROM)),
            timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)),
        ]
        for dagdeel, part_start, part_end in zip(DAGDEEL_ORDER, bounds, bounds[1:], strict=False):
            if start < part_end and end > part_start:
                touched.append((day, dagdeel))
        if end <= bounds[-1]:
            return touched
        day += timedelta(days=1)


def who_is_unavailable(
    *, experts: Iterable[Any], starts_at: datetime, ends_at: datetime
) -> list[Unavailable]:
    """The experts who cannot come to something from `starts_at` to `ends_at` (aware
    datetimes), in the order given, with why: absent on one of its days (holiday, leave,
    illness, other, with the last day away), or not available in one of the dagdelen it touches
    (see dagdelen_of), or no availability given. The others can come. Three queries.

    Raises ValueError when ends_at is not after starts_at."""
    experts = list(experts)
    touched = dagdelen_of(starts_at, ends_at)
    facts = _facts(experts, touched[0][0], touched[-1][0])
    unavailable = []
    for expert in experts:
        why = facts[_user_id(expert)].why_not(touched)
        if why is not None:
            unavailable.append(Unavailable(expert=expert, reason=why[0], until=why[1]))
    return unavailable


def moment_times(day: date, dagdeel: str) -> tuple[datetime, datetime]:
    """The concrete start and end of a dagdeel on a date (aware, local time)."""
    begins, ends = DAGDEEL_TIMES[dagdeel]
    return (
        timezone.make_aware(datetime.combine(day, begins)),
        timezone.make_aware(datetime.combine(day, ends)),
    )


def available_moments(
    *,
    experts: Iterable[Any],
    start: date | datetime,
    days: int = 14,
    dagdelen: Sequence[str] = DAGDEEL_ORDER,
    weekdays: Sequence[int] = WORKING_DAYS,
    limit: int = 10,
) -> list[Moment]:
    """The next moments to meet with `experts`: the dagdelen of the `days` days from `start`
    (a date: from that day on; a datetime: only moments that begin at or after it), on
    `weekdays` (Monday 0; by default Monday to Friday), each with its concrete times
    (MORNING, AFTERNOON, EVENING) and who can and cannot come (Unavailable, with why).

    Moments everyone can come to come first, in time order; then those the most can come to
    (fewest missing first, each group in time order). A moment none of them can come to is
    left out. At most `limit` moments. Three queries, whatever the number of experts or days.
    """
    experts = list(experts)
    if isinstance(start, datetime):
        not_before: datetime | None = start
        first = timezone.localtime(start).date()
    else:
        not_before, first = None, start
    last = first + timedelta(days=max(days, 1) - 1)
    facts = _facts(experts, first, last)
    moments = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        for dagdeel in DAGDEEL_ORDER:
            if dagdeel not in dagdelen:
                continue
            starts_at, ends_at = moment_times(day, dagdeel)
            if not_before is not None and starts_at < not_before:
                continue
            available, unavailable = [], []
            for expert in experts:
                why = facts[_user_id(expert)].why_not([(day, dagdeel)])
                if why is None:
                    available.append(expert)
                else:
                    unavailable.append(Unavailable(expert=expert, reason=why[0], until=why[1]))
            if experts and not available:
                continue
            moments.append(
                Moment(
                    date=day,
                    dagdeel=Dagdeel(dagdeel),
                    starts_at=starts_at,
                    ends_at=ends_at,
                    available=tuple(available),
                    unavailable=tuple(unavailable),
                )
            )
    moments.sort(key=lambda m: (len(m.unavailable), m.starts_at))
    return moments[:limit]
