from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from accounts.forms import EmailAuthenticationForm, TokenForm
from accounts.otp import confirmed_device, has_second_factor, second_factor_not_required
from accounts.services import (
    ENROLMENT_SESSION_KEY,
    credentials_end,
    password_reset_request,
    totp_device_confirm,
    totp_device_for_enrolment,
)
from accounts.signals import second_factor_checked
from accounts.throttle import client_address, throttle_allows


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link. Throttled per address (429 beyond it) and, in the service, per
    target address; the mail is sent by a task, so a known and an unknown address get the same
    answer in the same time."""

    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if not throttle_allows(
            "password-reset-address",
            client_address(request),
            limit=settings.PASSWORD_RESET_ADDRESS_LIMIT,
            window_seconds=settings.PASSWORD_RESET_WINDOW_MINUTES * 60,
        ):
            minutes = settings.PASSWORD_RESET_WINDOW_MINUTES
            return render(request, "accounts/throttled.html", {"minutes": minutes}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the new password from the link: every session and API token of the account
    ends with it (whoever knew the old password is out)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        credentials_end(user=form.user)
        return response


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if has_second_factor(request.user):
        return HttpResponseRedirect(_safe_next(request))
    if confirmed_device(request.user) is None:
        return redirect("accounts:otp-enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        second_factor_checked.send(
            sender=None, request=request, user=request.user, success=device is not None
        )
        if device is not None:
            otp_login(request, device)
            # A new session key with the new privilege: a key learnt before the second factor
            # (a fixed or sniffed cookie) is worth nothing after it.
            request.session.cycle_key()
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _("This code is not correct or has expired. Try the next one."))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    if has_second_factor(request.user):
        return HttpResponseRedirect(_safe_next(request))
    if confirmed_device(request.user) is not None:
        # Already enrolled: re-enrolling without the existing factor would defeat it.
        return redirect("accounts:otp-verify")
    device = totp_device_for_enrolment(user=request.user, session=request.session)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = totp_device_confirm(device=device, token=form.cleaned_data["token"])
        second_factor_checked.send(
            sender=None, request=request, user=request.user, success=confirmed
        )
        if confirmed:
            device.refresh_from_db()
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            request.session.cycle_key()  # as in otp_verify
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _("This code is not correct. Check the time on your phone."))
    secret = b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app"), svgclass="wx-qr"
    )
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/otp_enrol.html", context)


@login_not_required
def admin_login_redirect(request, extra_context=None):  # noqa: ARG001 - admin.site.login signature
    query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
    return redirect(f"{reverse(settings.LOGIN_URL)}?{query}")
