from decimal import Decimal

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from config.validators import validate_name
from wijkteam.models import TeamMembership


class InviteForm(UtrechtFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, validators=[validate_name]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, required=False, validators=[validate_name]
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=TeamMembership.Role.choices,
        initial=TeamMembership.Role.GENERALIST,
        widget=forms.RadioSelect,
    )


class RoleForm(UtrechtFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=TeamMembership.Role.choices)


def cap_hours(minutes: int) -> Decimal:
    """An hour cap in minutes as hours: 240 -> 4, 270 -> 4.5."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    return hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours.normalize()


class PoolSettingsForm(UtrechtFormMixin, forms.Form):
    """A pool's service levels and hour cap; the cap in hours here, in minutes in the model."""

    triage_target_days = forms.IntegerField(
        label=_("Triaged within (working days)"), min_value=1, max_value=30
    )
    advice_target_days = forms.IntegerField(
        label=_("First advice within (working days)"), min_value=1, max_value=60
    )
    monthly_cap_hours = forms.DecimalField(
        label=_("Hour cap per expert per month (hours)"),
        min_value=Decimal("0.25"),
        max_value=Decimal("200"),
        max_digits=5,
        decimal_places=2,
        localize=True,  # "4,5" as a Dutch person writes it (and "4.5" too)
        help_text=_("In hours, e.g. 4 or 4.5. Time beyond it needs approval."),
    )

    @classmethod
    def initial_of(cls, pool) -> dict:
        return {
            "triage_target_days": pool.triage_target_days,
            "advice_target_days": pool.advice_target_days,
            "monthly_cap_hours": cap_hours(pool.monthly_cap_minutes),
        }

    def clean_monthly_cap_hours(self) -> Decimal:
        hours = self.cleaned_data["monthly_cap_hours"]
        if (hours * 60) % 1:
            raise forms.ValidationError(_("Give the cap in whole minutes, e.g. 4.25 or 4.5."))
        return hours

    def settings(self) -> dict:
        data = self.cleaned_data
        return {
            "triage_target_days": data["triage_target_days"],
            "advice_target_days": data["advice_target_days"],
            "monthly_cap_minutes": int(data["monthly_cap_hours"] * 60),
        }


class InvitationPasswordForm(UtrechtFormMixin, SetPasswordForm):
    """Django's set-password form (the password validators of AUTH_PASSWORD_VALIDATORS)."""
