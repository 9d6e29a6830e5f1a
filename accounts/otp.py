"""Second-factor (TOTP) helpers shared by the middleware and the sign-in views."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def second_factor_not_required(view_func):
    """Mark a view a signed-in user may reach before the second factor (verify, enrol, logout)."""
    view_func.second_factor_required = False
    return view_func


def may_skip_second_factor(user) -> bool:
    """Only accounts made by the demo loader, and only while DEMO_MODE is on."""
    return bool(settings.DEMO_MODE and getattr(user, "is_demo_account", False))


def has_second_factor(user) -> bool:
    return user.is_verified() or may_skip_second_factor(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def axes_username(request, credentials) -> str | None:
    """The account name failed sign-ins are counted under (see AXES_USERNAME_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
