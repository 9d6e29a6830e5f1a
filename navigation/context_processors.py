from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.otp import has_second_factor
from accounts.roles import request_roles
from consultation.bell import bell_count
from navigation.homes import NAV_LABELS, ROLE_HOMES, ROLE_PAGES


def wijkexpert(request):
    """Demo banner, the navigation of the roles the user holds, and the bell's count."""
    context = {"demo_mode": settings.DEMO_MODE, "nav_items": [], "user_roles": []}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_second_factor(user):
        return context
    roles = request_roles(request)
    seen = set()
    for role in roles:
        url_name = ROLE_HOMES[role]
        if url_name in seen:
            continue
        seen.add(url_name)
        context["nav_items"].append({"label": NAV_LABELS[role], "url": reverse(url_name)})
    for role, url_name, label in ROLE_PAGES:
        if role in roles:
            context["nav_items"].append({"label": label, "url": reverse(url_name)})
    # The current item is the longest URL the page is under: /wijkteam/teamoverzicht/ is the
    # team overview's, not also the team home's.
    under = [item["url"] for item in context["nav_items"] if request.path.startswith(item["url"])]
    current = max(under, key=len, default=None)
    for item in context["nav_items"]:
        item["current"] = item["url"] == current
    if user.is_staff:
        context["nav_items"].append(
            {"label": _("Administration"), "url": reverse("admin:index"), "current": False}
        )
    context["user_roles"] = [role.label for role in roles]
    context["unread_notifications"] = bell_count(user=user)
    return context
