"""How long ago, in words people use: "zojuist" rather than "0 minuten geleden"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()

JUST_NOW = timedelta(minutes=1)


@register.filter
def ago(moment: datetime | None) -> str:
    """ "zojuist" within a minute, else "3 uur geleden" (Django's timesince, its plural forms)."""
    if not moment:
        return ""
    if timezone.now() - moment < JUST_NOW:
        return _("just now")
    return _("%(age)s ago") % {"age": timesince(moment)}


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """A duration in minutes, rounded up (the sign-in lock-out: "wait 15 minutes")."""
    if not duration:
        return 0
    return -(-int(duration.total_seconds()) // 60)


@register.filter
def waited(moment: datetime | None) -> str:
    """How long something has waited: "minder dan een minuut", else "2 dagen, 3 uur"."""
    if not moment:
        return ""
    if timezone.now() - moment < JUST_NOW:
        return _("less than a minute")
    return timesince(moment)
