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
