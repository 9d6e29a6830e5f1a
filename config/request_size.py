"""An over-size request is refused from its Content-Length, before its body is read (issue 13).

Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, and an upload handler sees the body only
once the multipart parser runs; this middleware answers before anything reads request.POST or
request.FILES: 413 with a page that says what the limit is, or JSON under /api/.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body for an unreadable length either


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request) <= settings.REQUEST_MAX_BYTES:
            return self.get_response(request)
        megabytes = (settings.REQUEST_MAX_BYTES // (1024 * 1024)) or 1
        message = _(
            "What you sent is too large: a document can be at most %(megabytes)s MB. "
            "Choose a smaller file, or save it smaller (for example as PDF)."
        ) % {"megabytes": megabytes}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = ""
        return render(request, "413.html", {"message": message, "back": back}, status=413)
