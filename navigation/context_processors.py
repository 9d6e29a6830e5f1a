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
        for url_name, label in [(ROLE_HOMES[role], NAV_LABELS[role]), *ROLE_PAGES.get(role, [])]:
            if url_name in seen:
                continue
            seen.add(url_name)
            context["nav_items"].append(
                {"label": label, "url": reverse(url_name), "current": False}
            )
    # The current entry is the one whose address starts the page's the longest way: under
    # /expert/beantwoord/ that is "My answered questions", not the inbox at /expert/.
    here = [item for item in context["nav_items"] if request.path.startswith(item["url"])]
    if not here:  # a sibling of a role's page (/uren/facturen/ beside /uren/goedkeuren/)
        area = request.path.split("/")[1]
        here = [item for item in context["nav_items"] if area and item["url"].split("/")[1] == area]
    if here:
        max(here, key=lambda item: len(item["url"]))["current"] = True
    if user.is_staff:
        context["nav_items"].append(
            {"label": _("Administration"), "url": reverse("admin:index"), "current": False}
        )
    context["user_roles"] = [role.label for role in roles]
    context["unread_notifications"] = bell_count(user=user)
    return context
