from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from wijkteam.models import POSTCODE_VALIDATOR, Resident


class ResidentCaseForm(UtrechtFormMixin, forms.Form):
    """Register a resident and open a case for the team in one step. No BSN, on purpose."""

    team = forms.ModelChoiceField(label=_("District team"), queryset=None, empty_label=None)
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        validators=[POSTCODE_VALIDATOR],
        help_text=_("For example 3811 AB."),
    )
    household = forms.ChoiceField(
        label=_("Household composition"), choices=Resident.Household.choices
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["team"].initial = teams.first()

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < today.year - 120:
            raise forms.ValidationError(_("Check the year of birth."))
        return born
