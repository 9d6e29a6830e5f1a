"""The expert's forms on "Mijn uren" and the question page: confirm (or decline) a proposed
attendance, correct an entry, register the time a written advice took."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from hours.services import LONGEST_ENTRY

CONFIRM, DECLINE = "confirm", "decline"

# The service's own words, so a form error and a refusal of the service read the same.
_MINUTES_ERROR = _("Enter the minutes as a whole number from 1 to %(most)s.")


def _minutes_field(label, *, required: bool = True, help_text: Any = "") -> forms.IntegerField:
    message = _MINUTES_ERROR % {"most": LONGEST_ENTRY}
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=1,
        max_value=LONGEST_ENTRY,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ProposalForm(UtrechtFormMixin, forms.Form):
    """A proposed attendance: the minutes the expert was there, and the button pressed. The
    field is called `minutes` on every card (one form per proposal, ids made unique by
    auto_id)."""

    entry_pk: int | None = None

    action = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (DECLINE, DECLINE)])
    minutes = _minutes_field(_("Minutes you were there"), required=False)

    def __init__(self, *args, entry_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"proposal-{entry_pk}-%s")
        super().__init__(*args, **kwargs)
        self.entry_pk = entry_pk

    def clean(self):
        data = super().clean()
        confirming = data.get("action") == CONFIRM
        if confirming and data.get("minutes") is None and "minutes" not in self.errors:
            self.add_error("minutes", _MINUTES_ERROR % {"most": LONGEST_ENTRY})
        return data

    @property
    def confirms(self) -> bool:
        return self.cleaned_data["action"] == CONFIRM


class CorrectionForm(UtrechtFormMixin, forms.Form):
    minutes = _minutes_field(
        _("The right time in total (minutes)"),
        help_text=_("The difference with what is registered becomes a new entry."),
    )
    reason = forms.CharField(
        label=_("Why is the time corrected?"),
        max_length=200,
        error_messages={
            "required": _("Say why the time is corrected."),
            "max_length": _("Keep the reason under 200 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AdviceTimeForm(UtrechtFormMixin, forms.Form):
    """The time one written advice took (one form per advice on the question page)."""

    minutes = _minutes_field(_("How much time did this advice take?"), help_text=_("In minutes."))

    def __init__(self, *args, message_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"advice-{message_pk}-%s")
        super().__init__(*args, **kwargs)
