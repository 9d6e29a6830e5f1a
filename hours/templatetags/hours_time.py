"""`{{ minutes|duration }}`: minutes as hours and minutes ("3 u 10 min", "4 u", "45 min")."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(minutes) -> str:
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        text = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    elif hours:
        text = _("%(hours)s h") % {"hours": hours}
    else:
        text = _("%(minutes)s min") % {"minutes": rest}
    return f"{sign}{text}"
