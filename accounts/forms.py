from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin


class EmailAuthenticationForm(UtrechtFormMixin, AuthenticationForm):
    """Django's sign-in form, asking for the e-mail address (the username field)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This combination of e-mail address and password is not known."),
        "demo_account": _("Demo accounts can only be used in the demo environment."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Demo passwords are public: outside demo mode these accounts cannot sign in at all
        # (not even to enrol a second factor of their own).
        if user.is_demo_account and not settings.DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_account"], code="demo_account")


class TokenForm(UtrechtFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6-digit code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
