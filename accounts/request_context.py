"""Who is asking, from where, under which request id: for the audit log and the log lines.

- The client address comes from X-Forwarded-For only through TRUSTED_PROXY_COUNT proxies of our
  own (default 0: REMOTE_ADDR, whatever the header says). With N proxies, each appends the
  address it got the request from, so the client is the N-th address from the right of
  X-Forwarded-For + REMOTE_ADDR; anything further left is the client's own say and not trusted.
- The request id: X-Request-ID from the trusted proxy (only when there is one, and only a
  short token of safe characters), else a new one; answered in the response's X-Request-ID and
  put in every log line of the request (RequestIdLogFilter).
- The current request is kept in a context variable for the audit receivers of model writes
  (wijkteam.audit), which have no request of their own.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import re
import uuid
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "wijkexpert_request", default=None
)
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "wijkexpert_request_id", default=""
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, through at most TRUSTED_PROXY_COUNT proxies (module docstring)."""
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    hops = [*forwarded, request.META.get("REMOTE_ADDR", "")]
    # The last `trusted` hops are our proxies; the one before them is the client.
    index = max(len(hops) - 1 - trusted, 0)
    return _valid_ip(hops[index]) or remote


def request_id_of(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    if getattr(settings, "TRUSTED_PROXY_COUNT", 0) > 0 and _REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def current_request() -> HttpRequest | None:
    return _request.get()


def current_request_id() -> str:
    return _request_id.get()


class RequestContextMiddleware:
    """First in MIDDLEWARE: the request id and the current request for everything after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        tokens = (_request.set(request), _request_id.set(request.request_id))
        try:
            response = self.get_response(request)
        finally:
            _request.reset(tokens[0])
            _request_id.reset(tokens[1])
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request), for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request's lines (a 4xx/5xx) are written after the middleware is done: they
        # carry the request itself.
        own = getattr(getattr(record, "request", None), "request_id", "")
        record.request_id = own or _request_id.get() or "-"
        return True


def axes_client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the lock-outs and throttles (accounts.throttle) count under the
    same address the audit log records, read through the same trusted proxies."""
    return client_ip(request)
