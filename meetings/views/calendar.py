"""The personal calendar feed (meetings.feeds): the .ics a calendar program reads, and its
section on the profile page (accounts.profile), where a person makes or revokes their link.

The feed URL itself is the credential (calendar programs cannot sign in): it needs no login,
answers 404 for anything but an active secret, and holds no case content."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.profile import profile_section, render_profile
from accounts.roles import Role, cached_roles_of
from meetings import ics
from meetings.feeds import active_feed_of, feed_create, feed_for_secret, feed_invitations
from meetings.feeds import feed_revoke as _feed_revoke

SECTION = "calendar-feed"
ANCHOR = "#agenda-link"
# Whoever can be invited to a session, or plans one.
INVITABLE = {Role.GENERALIST, Role.TEAM_LEAD, Role.EXPERT, Role.TRIAGE, Role.COORDINATOR}


def feed_url(request, secret: str) -> str:
    return request.build_absolute_uri(reverse("meetings_calendar:feed", args=[secret]))


@login_not_required
@require_GET
def feed(request, token: str):
    found = feed_for_secret(token)
    if found is None:
        raise Http404
    body = ics.feed_ics(
        invitations=feed_invitations(user=found.user), name=_("Wijkexpert sessions")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="wijkexpert-overleg.ics"'
    # The URL is a secret: no shared cache keeps the answer, no search engine the link.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def section_context(request, *, new_url: str | None = None) -> dict | None:
    """The profile section; None for someone who is never invited (a municipality admin)."""
    if not INVITABLE & set(cached_roles_of(request.user)):
        return None
    return {"feed": active_feed_of(user=request.user), "new_url": new_url}


def register() -> None:
    profile_section(
        SECTION, template="meetings/profile_calendar_feed.html", context=section_context, order=60
    )


@never_cache
@require_POST
def feed_new(request):
    if section_context(request) is None:
        raise Http404
    _feed, secret = feed_create(user=request.user)
    # The secret is in this one response (never_cache) and stored nowhere: not in the session,
    # not in a message, not in the database (only its hash).
    return render_profile(request, sections={SECTION: {"new_url": feed_url(request, secret)}})


@require_POST
def feed_revoke(request):
    if _feed_revoke(user=request.user):
        messages.success(request, _("Your calendar link has been revoked. It no longer works."))
    return redirect(reverse("accounts:profile") + ANCHOR)
