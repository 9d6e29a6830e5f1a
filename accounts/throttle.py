"""Throttles against guessing: failed sign-ins, failed API tokens and password-reset requests.

Sign-in failures are counted by django-axes (in the database) per account *and* address, so a
stranger can no longer lock someone's account from elsewhere: the owner's own address is still
free. Axes compares one failure limit with the highest count of its parameter sets, so it cannot
give "the address, across all accounts" a higher limit of its own; `AccountAndAddressHandler`
adds that: it sums the address's failures over every account and, once those reach
LOGIN_ADDRESS_FAILURE_LIMIT, reports the attempt as at the (per account) limit too. A whole
municipal office behind one NAT address shares that higher limit, not the account limit.

The other throttles are fixed-window counters in the cache (Redis). While Redis is down they
let everything through: the cache never costs a page (config.cache), and what they guard is
either a 256-bit secret (API tokens) or an e-mail to the address's owner (password reset).
"""

from __future__ import annotations

import hashlib

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone


def client_address(request) -> str:
    """The address throttles count under: axes' own reading of it (REMOTE_ADDR, or what
    AXES_CLIENT_IP_CALLABLE says behind trusted proxies), so every throttle agrees with it.
    Takes a Django request or a DRF one."""
    django_request = getattr(request, "_request", request)
    return get_client_ip_address(django_request) or "unknown"


# --- Fixed-window counters in the cache ----------------------------------------------------------
def _key(scope: str, subject: str) -> str:
    # Hashed: an e-mail address or an IP address is not kept in Redis in the clear.
    digest = hashlib.sha256(f"{scope}\0{subject}".encode()).hexdigest()[:40]
    return f"{settings.THROTTLE_KEY_PREFIX}:{scope}:{digest}"


def throttle_count(scope: str, subject: str) -> int:
    """How many hits `subject` has in the current window of `scope` (0 when none, or no cache)."""
    return int(cache.get(_key(scope, subject)) or 0)


def throttle_hit(scope: str, subject: str, *, window_seconds: int) -> int:
    """Count one hit; returns the count in the window, this one included. The window starts at
    the first hit (the key's timeout), so a steady trickle is counted per window, not forever."""
    key = _key(scope, subject)
    cache.add(key, 0, timeout=window_seconds)
    try:
        return int(cache.incr(key))
    except ValueError:
        return 1  # no cache (Redis down), or the window ended between add and incr


def throttle_allows(scope: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit and say whether it is within `limit` for the window."""
    return throttle_hit(scope, subject, window_seconds=window_seconds) <= limit


# --- Sign-in failures: django-axes with a second, per-address limit ------------------------------
def address_failures(request) -> int:
    """Failed sign-ins from the request's address within the cool-off, over every account."""
    ip_address = getattr(request, "axes_ip_address", None) or client_address(request)
    cool_off = get_cool_off(request)
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gt=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler (AXES_LOCKOUT_PARAMETERS: account + address) with a second limit
    for the address across accounts (LOGIN_ADDRESS_FAILURE_LIMIT). Both the check before a
    sign-in (is_locked) and the count after a failure go through get_failures."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
