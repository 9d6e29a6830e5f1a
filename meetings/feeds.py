"""The personal calendar feed: a secret URL a calendar program subscribes to, listing one's
sessions (invited, not declined; cancelled ones as CANCELLED), without case content.

The secret (secrets.token_urlsafe(32)) is shown once, when it is made; only its SHA-256 hash is
stored (as accounts.tokens does for API tokens). A new feed revokes the old one: one active
feed URL per person, and a link that leaked is dead the moment its owner makes a new one or
revokes it."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.tokens import hash_secret
from meetings.models import CalendarFeed, Invitation, Session
from meetings.selectors import LIVE_ITEMS

if TYPE_CHECKING:
    from accounts.models import User

# How far back the feed goes; everything ahead is in it. A calendar keeps what it read before.
FEED_PAST = timedelta(days=90)
# A feed is one response, not a page: bounded (a person has a few sessions a month).
FEED_LIMIT = 500
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


@transaction.atomic
def feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed URL's secret for `user` (returned, never stored); the old feed is revoked.
    The person's row is locked, so two at once (a double click) run one after the other and
    the later one's link is the one that works: the browser shows the later response. (No
    one-time submission token: a repeat could not show the secret again, it is not kept.)"""
    from accounts.models import User

    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    feed_revoke(user=user)
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_secret(secret))
    return feed, secret


def feed_revoke(*, user: User) -> int:
    """Revoke the user's active feed (idempotent); returns how many were revoked."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def active_feed_of(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_for_secret(secret: str) -> CalendarFeed | None:
    """The active feed of an active person with this secret, else None (unknown, revoked, or
    its owner deactivated: all the same 404)."""
    if not SECRET_SHAPE.fullmatch(secret or ""):
        return None
    digest = hash_secret(secret)
    # Looked up by hash (an attacker cannot steer a guess towards a stored hash); the final
    # comparison is constant-time all the same.
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    return feed


def feed_invitations(*, user: User, now=None) -> QuerySet[Invitation]:
    """The user's sessions for the feed, one query: invited and not declined, from FEED_PAST
    ago on, each with its live agenda count (`item_count`) — never the agenda itself."""
    now = now or timezone.now()
    return (
        Invitation.objects.filter(user=user, session__ends_at__gte=now - FEED_PAST)
        .exclude(response=Invitation.Response.DECLINED)
        .filter(
            session__status__in=(
                Session.Status.PLANNED,
                Session.Status.HELD,
                Session.Status.CANCELLED,
            )
        )
        .select_related("user", "session__pool")
        .annotate(
            item_count=Count("session__agenda", filter=Q(session__agenda__status__in=LIVE_ITEMS))
        )
        .order_by("session__starts_at", "pk")[:FEED_LIMIT]
    )
