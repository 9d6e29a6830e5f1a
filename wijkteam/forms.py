from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from config.validators import validate_name
from wijkteam.models import POSTCODE_VALIDATOR, AuditEvent, Resident


class ResidentForm(UtrechtFormMixin, forms.Form):
    """A resident's details: registering and correcting them. No BSN, on purpose."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # An <input type="date"> takes its value as YYYY-MM-DD only, whatever the language: in the
    # Dutch input format (dd-mm-jjjj) the browser shows a stored birth date as empty.
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
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

    @classmethod
    def initial_of(cls, resident: Resident) -> dict:
        return {name: getattr(resident, name) for name in cls.base_fields}

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < today.year - 120:
            raise forms.ValidationError(_("Check the year of birth."))
        return born


class ResidentCaseForm(ResidentForm):
    """Register a resident and open a case for the team in one step."""

    team = forms.ModelChoiceField(label=_("District team"), queryset=None, empty_label=None)
    field_order = ["team"]

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["team"].initial = teams.first()


class HandOverForm(UtrechtFormMixin, forms.Form):
    """Whom the casusregie goes to: a member of the case's team."""

    owner = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose a team member"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email


class AuditFilterForm(UtrechtFormMixin, forms.Form):
    """The audit log's filter (a GET form): person, case pseudonym, period, event, result."""

    person = forms.EmailField(label=_("Person (e-mail address)"), required=False)
    case = forms.RegexField(
        label=_("Case"),
        regex=r"^\s*[Cc]-[0-9A-Za-z]{6}\s*$",
        required=False,
        help_text=_("A case pseudonym, for example C-7F3K9Q."),
        error_messages={"invalid": _("Enter a case pseudonym such as C-7F3K9Q.")},
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    action = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events")), *AuditEvent.Action.choices],
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All results")), *AuditEvent.Result.choices],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return data
