"""The recurring meetings of team pools: their sessions created a number of weeks ahead, each
occurrence once (the unique (series, occurrence) constraint holds also when beat runs twice or
two workers run the task at once), with the pool's experts invited and the waiting questions
put on their agendas."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from expertise.models import ExpertPool, ExpertProfile
from meetings.models import Invitation, MeetingSeries, Session
from meetings.services.agenda import REMINDER_BEFORE, fill
from meetings.services.common import announce

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def occurrences(series: MeetingSeries, *, start: date, end: date) -> list[date]:
    """The dates of the series' meetings from `start` up to and including `end`."""
    anchor = datetime.combine(series.first_date, series.start_time)
    rule = rrulestr(series.rrule, dtstart=anchor)
    first = datetime.combine(max(start, series.first_date), datetime.min.time())
    last = datetime.combine(end, datetime.max.time())
    return [moment.date() for moment in rule.between(first, last, inc=True)]


def validate_rrule(value: str) -> None:
    """For the series' form and admin: a rule dateutil can read, with a frequency."""
    try:
        rrulestr(value, dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError) as error:
        raise ValidationError(_("This is not a valid recurrence rule (RFC 5545).")) from error
    if "FREQ=" not in value.upper():
        raise ValidationError(_("A recurrence rule needs a FREQ, for example FREQ=WEEKLY."))


def _create(series: MeetingSeries, day: date) -> Session | None:
    starts_at = timezone.make_aware(datetime.combine(day, series.start_time))
    try:
        with transaction.atomic():
            session, created = Session.objects.get_or_create(
                series=series,
                occurrence=day,
                defaults={
                    "pool": series.pool,
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(minutes=series.duration_minutes),
                    "place": series.place,
                    "video_link": series.video_link,
                    "capacity": series.capacity,
                },
            )
    except IntegrityError:  # created at the same moment by another worker
        return None
    if not created:
        return None
    experts = ExpertProfile.objects.filter(
        pools=series.pool, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)
    Invitation.objects.bulk_create(
        [
            Invitation(
                session=session,
                user_id=user_id,
                role=Invitation.Role.EXPERT,
                reminder_due_at=session.starts_at - REMINDER_BEFORE,
            )
            for user_id in experts
        ],
        ignore_conflicts=True,
    )
    announce(session)
    return session


def create_recurring_sessions(
    *, today: date | None = None, series: MeetingSeries | None = None
) -> list[Session]:
    """Every active series' sessions (or only `series`') up to its `weeks_ahead`; returns the
    new ones."""
    today = today or timezone.localdate()
    created: list[Session] = []
    active = MeetingSeries.objects.filter(is_active=True, pool__is_active=True)
    if series is not None:
        active = active.filter(pk=series.pk)
    for each in active.select_related("pool"):
        end = today + timedelta(weeks=each.weeks_ahead)
        for day in occurrences(each, start=today, end=end):
            session = _create(each, day)
            if session is not None:
                created.append(session)
        with transaction.atomic():
            fill(pool=each.pool_id)
    if created:
        logger.info("created %d recurring sessions", len(created))
    return created


@dataclass(frozen=True)
class SeriesInput:
    rrule: str
    first_date: date
    start_time: time
    duration_minutes: int = 120
    place: str = ""
    video_link: str = ""
    capacity: int = 4
    weeks_ahead: int = 6
    is_active: bool = True


@transaction.atomic
def series_save(*, actor: User, pool: ExpertPool, data: SeriesInput) -> MeetingSeries:
    """A team pool's coordinator sets its recurring meeting; the sessions of the coming
    `weeks_ahead` weeks are created at once (and by beat from then on). Sessions created
    earlier keep their moment: a changed rule adds its own occurrences, and a session that is
    no longer wanted is moved or cancelled on its page."""
    if pool.collaboration_model != ExpertPool.CollaborationModel.TEAM:
        raise ValidationError(_("Only an expertise team meets at fixed moments."))
    if not pool.coordinators.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the pool's coordinators set its recurring meeting."))
    try:
        validate_rrule(data.rrule)
    except ValidationError as error:
        raise ValidationError({"rrule": error.messages}) from error
    if not data.place.strip() and not data.video_link.strip():
        raise ValidationError({"place": _("Give a place or a video link.")})
    series = MeetingSeries.objects.select_for_update().filter(pool=pool).first()
    series = series or MeetingSeries(pool=pool)
    series.rrule = data.rrule
    series.first_date, series.start_time = data.first_date, data.start_time
    series.duration_minutes = data.duration_minutes
    series.place, series.video_link = data.place.strip(), data.video_link.strip()
    series.capacity, series.weeks_ahead = data.capacity, data.weeks_ahead
    series.is_active = data.is_active
    series.full_clean(validate_unique=False)
    series.save()
    if series.is_active:
        create_recurring_sessions(series=series)
    return series
