"""Project-wide response hardening that belongs to no single app (issue 13)."""

from __future__ import annotations

from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers


def _signed_in(request) -> bool:
    # request.user is the API's caller too: DRF's Request sets the token's user on the Django
    # request it wraps, so after the view this also covers token-authenticated API calls.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in user (pages, API, attachment downloads, exports) says
    `Cache-Control: no-store, private`: a shared computer's browser cache, or a proxy, keeps no
    copy of a page that shows a resident or a case. Anonymous pages (the sign-in page, static
    files served before this middleware) keep whatever they said.

    A request that carried credentials but was refused (a bad token: still anonymous) gets
    no-store too: its answer is about an account. Existing directives (a view's never_cache)
    stay; `public` and a max-age would contradict and are dropped.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request) or "HTTP_AUTHORIZATION" in request.META:
            for contradicting in ("public", "max-age", "s-maxage"):
                _drop_directive(response, contradicting)
            patch_cache_control(response, no_store=True, private=True)
            # Whether a response may be cached depends on who asked.
            patch_vary_headers(response, ("Cookie",))
        return response


def _drop_directive(response, name: str) -> None:
    header = response.get("Cache-Control")
    if not header:
        return
    kept = [d.strip() for d in header.split(",") if d.strip().split("=")[0].lower() != name]
    response["Cache-Control"] = ", ".join(kept)
    if not kept:
        del response["Cache-Control"]


class AdminOnlyForStaffMiddleware:
    """/admin/ does not exist for a signed-in person who is not staff: a 404 on every admin URL.

    Without it the admin sent them to its login, which is our sign-in page (config.urls), which
    sends a signed-in person on to `next`, the admin again: a redirect loop. Anonymous visitors
    still go to the sign-in page; staff reach the admin as before. The check is the admin's own
    (AdminSite.has_permission: active and staff).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            raise Http404
        return None
