from urllib.parse import urlencode

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
