import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

from accounts.otp import confirmed_device, has_second_factor


class SecondFactorRequiredMiddleware:
    """A signed-in user without a verified second factor reaches only sign-in and enrolment.

    Runs after Django's LoginRequiredMiddleware: views open to anonymous users (marked with
    login_not_required, e.g. the sign-in and password-reset pages, /health/) stay open; every
    other view needs a verified TOTP device, except the verify/enrol/logout views themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or has_second_factor(user):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        target = "accounts:otp-verify" if confirmed_device(user) else "accounts:otp-enrol"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response


SIGNED_IN_AT_KEY = "_signed_in_at"


def session_mark_signed_in(session) -> None:
    """Start the absolute lifetime: called on every sign-in (accounts.apps, user_logged_in)."""
    session[SIGNED_IN_AT_KEY] = int(time.time())


class SessionLifetimeMiddleware:
    """The absolute session lifetime: a signed-in session ends SESSION_ABSOLUTE_HOURS after the
    sign-in, however active it has been (the idle timeout alone lets a busy session live
    forever). Runs before authentication, so the request that finds it too old is already
    anonymous: a page redirects to sign-in, the API answers 401/403.

    A signed-in session without the mark (made before this existed) gets it now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and "_auth_user_id" in session:
            signed_in_at = session.get(SIGNED_IN_AT_KEY)
            now = int(time.time())
            if signed_in_at is None:
                session[SIGNED_IN_AT_KEY] = now
            elif now - signed_in_at >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                # flush(): the stored session is deleted and the cookie gets a new, empty one.
                session.flush()
        return self.get_response(request)


class SessionRefreshMiddleware:
    """The sliding idle timeout without a session write on every request: a signed-in session
    is saved (its expiry pushed SESSION_COOKIE_AGE ahead) when it was last refreshed more than
    SESSION_REFRESH_SECONDS ago, so the timeout is exact to that much."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks it modified: saved with a fresh expiry
        return self.get_response(request)
