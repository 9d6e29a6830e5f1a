"""Writes of expertise: an expert's weekly availability and absences (issue 11).

Keyword-only, typed; they raise ValidationError (a dict keyed by field) for bad input, which the
forms show inline and the API answers with a 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from expertise.models import Absence, Dagdeel, ExpertProfile, Weekday, WeeklyAvailability

# Far enough for a planned sabbatical or a long leave; a typo like 2062 is refused.
ABSENCE_HORIZON = timedelta(days=2 * 366)


def _lock(expert: ExpertProfile) -> ExpertProfile:
    """The expert's profile row, locked: two saves of the same expert (a double submit without
    a token, the page and the API at once) run one after the other, so each sees the other's
    result (the overlap check, the week replaced as a whole)."""
    return ExpertProfile.objects.select_for_update().get(pk=expert.pk)


def weekly_availability_set(
    *, expert: ExpertProfile, slots: Iterable[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Make the expert's weekly availability exactly `slots` ((weekday 0-6, dagdeel) pairs):
    what is not in it is removed. Setting the same week twice changes nothing."""
    wanted = set()
    for weekday, dagdeel in slots:
        if weekday not in Weekday.values or dagdeel not in Dagdeel.values:
            raise ValidationError({"slots": _("Choose days and parts of the day.")})
        wanted.add((int(weekday), str(dagdeel)))
    with transaction.atomic():
        _lock(expert)
        have = set(
            WeeklyAvailability.objects.filter(expert=expert).values_list("weekday", "dagdeel")
        )
        for weekday, dagdeel in have - wanted:
            WeeklyAvailability.objects.filter(
                expert=expert, weekday=weekday, dagdeel=dagdeel
            ).delete()
        WeeklyAvailability.objects.bulk_create(
            [WeeklyAvailability(expert=expert, weekday=w, dagdeel=d) for w, d in wanted - have],
            ignore_conflicts=True,
        )
    return wanted


def absence_add(
    *,
    expert: ExpertProfile,
    starts_on: date,
    ends_on: date,
    kind: str,
    note: str = "",
    today: date | None = None,
) -> Absence:
    """Record that the expert is away from `starts_on` to `ends_on`, both days included. It may
    have begun already (ill since Monday), but not be over; it may not overlap another."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if kind not in Absence.Kind.values:
        errors["kind"] = _("Choose a reason.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    elif ends_on < today:
        errors["ends_on"] = _("This absence is over already; only current and coming ones count.")
    elif ends_on > today + ABSENCE_HORIZON:
        errors["ends_on"] = _("Choose a last day within two years from today.")
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = _("Keep the note to 200 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(expert)
        overlap = (
            Absence.objects.filter(expert=expert, starts_on__lte=ends_on, ends_on__gte=starts_on)
            .order_by("starts_on")
            .first()
        )
        if overlap is not None:
            raise ValidationError(
                _(
                    "This overlaps your absence from %(first)s to %(last)s. Remove that one "
                    "first, or choose other days."
                )
                % {
                    "first": date_format(overlap.starts_on, "j F Y"),
                    "last": date_format(overlap.ends_on, "j F Y"),
                }
            )
        return Absence.objects.create(
            expert=expert, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note
        )


def absence_remove(*, expert: ExpertProfile, absence: Absence) -> None:
    """Remove one of the expert's own absences (back early, plans changed)."""
    if absence.expert_id != expert.pk:
        raise PermissionDenied  # the views fetch through the expert's own; this is the backstop
    absence.delete()
