"""The calendar feed's URLs (meetings.views.calendar), apart from the sessions' pages."""

from django.urls import path, re_path

from meetings.views import calendar

app_name = "meetings_calendar"

urlpatterns = [
    # token_urlsafe(32): 43 characters of [A-Za-z0-9_-]; anything else is no feed (404).
    re_path(r"^agenda/(?P<token>[A-Za-z0-9_-]{32,64})\.ics$", calendar.feed, name="feed"),
    path("agenda-link/nieuw/", calendar.feed_new, name="feed-new"),
    path("agenda-link/intrekken/", calendar.feed_revoke, name="feed-revoke"),
]
