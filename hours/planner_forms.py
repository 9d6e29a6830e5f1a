"""The planner's forms: a decision on time beyond the cap, and which month of which care
provider in which pool to export."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin

APPROVE, REJECT = "approve", "reject"


class DecisionForm(UtrechtFormMixin, forms.Form):
    """Approve, or do not approve with a reason. The button pressed is the decision."""

    entry_pk: int | None = None  # the entry it decides on (one form per entry on the page)

    decision = forms.ChoiceField(choices=[(APPROVE, APPROVE), (REJECT, REJECT)])
    note = forms.CharField(
        label=_("Reason (needed when not approving)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == REJECT and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the time is not approved."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == APPROVE


def month_value(month: date) -> str:
    return f"{month:%Y-%m}"


class ExportForm(UtrechtFormMixin, forms.Form):
    """Pool, care provider and month; the choices are the user's own (out of them is a form
    error, never another pool's data)."""

    pool = forms.TypedChoiceField(label=_("Expert pool"), coerce=int)
    organisation = forms.TypedChoiceField(label=_("Care provider"), coerce=int)
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, pools, organisations, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.pools = {pool.pk: pool for pool in pools}
        self.months = {month_value(m): m for m in months}
        self.fields["pool"].choices = [(pool.pk, pool.name) for pool in pools]
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["month"].choices = [
            (value, dateformat.format(m, "F Y").capitalize()) for value, m in self.months.items()
        ]

    def chosen(self) -> tuple:
        """(pool, organisation id, first day of the month) of a valid form."""
        data = self.cleaned_data
        return self.pools[data["pool"]], data["organisation"], self.months[data["month"]]
