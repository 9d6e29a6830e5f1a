"""Forms of the expert's availability section on the profile page."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy

from config.forms import UtrechtFormMixin
from expertise.availability import DAGDEEL_ORDER, DAGDEEL_TIMES, dagdeel_label
from expertise.models import Absence, Dagdeel, Weekday


def slot_value(weekday: int, dagdeel: str) -> str:
    return f"{weekday}-{dagdeel}"


class WeeklyAvailabilityForm(UtrechtFormMixin, forms.Form):
    """The week as checkboxes, one per weekday and dagdeel ("1-afternoon": Tuesday afternoon).
    The template draws them as a grid (`rows`); an unknown value is a form error."""

    slots = forms.MultipleChoiceField(
        label=gettext_lazy("Each week I am available on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose days and parts of the day.")},
    )

    def __init__(self, *args, slots: set[tuple[int, str]] | None = None, **kwargs):
        if slots is not None:
            kwargs.setdefault("initial", {"slots": [slot_value(w, d) for w, d in slots]})
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["slots"]).choices = [
            (slot_value(day.value, dagdeel), dagdeel_label(day.value, dagdeel))
            for day in Weekday
            for dagdeel in DAGDEEL_ORDER
        ]

    def clean_slots(self) -> set[tuple[int, str]]:
        slots = set()
        for value in self.cleaned_data["slots"]:
            weekday, dagdeel = value.split("-", 1)
            slots.add((int(weekday), dagdeel))
        return slots

    def rows(self) -> list[dict]:
        """Per weekday its three boxes: what the template needs to draw the grid."""
        ticked = set(self["slots"].value() or [])  # what was sent, or what is stored
        rows = []
        for day in Weekday:
            cells = []
            for dagdeel in DAGDEEL_ORDER:
                value = slot_value(day.value, dagdeel)
                cells.append(
                    {
                        "value": value,
                        "id": f"id_slots_{value}",
                        "checked": value in ticked,
                        "short": Dagdeel(dagdeel).label,
                        "label": dagdeel_label(day.value, dagdeel),
                    }
                )
            rows.append({"weekday": day.label, "value": day.value, "cells": cells})
        return rows

    def times(self) -> list[dict]:
        return [
            {
                "label": Dagdeel(dagdeel).label,
                "start": DAGDEEL_TIMES[dagdeel][0].strftime("%H:%M"),
                "end": DAGDEEL_TIMES[dagdeel][1].strftime("%H:%M"),
            }
            for dagdeel in DAGDEEL_ORDER
        ]


class AbsenceForm(UtrechtFormMixin, forms.ModelForm):
    """A new absence; the rules (not over, no overlap) are the service's, shown inline."""

    class Meta:
        model = Absence
        fields = ["starts_on", "ends_on", "kind", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.RadioSelect,
        }
        labels = {
            "starts_on": gettext_lazy("First day away"),
            "ends_on": gettext_lazy("Last day away"),
            "kind": gettext_lazy("Reason"),
            "note": gettext_lazy("Note (optional)"),
        }
        error_messages = {
            "starts_on": {
                "required": gettext_lazy("Give the first day."),
                "invalid": gettext_lazy("Give a date, for example 12-12-2026."),
            },
            "ends_on": {
                "required": gettext_lazy("Give the last day."),
                "invalid": gettext_lazy("Give a date, for example 12-12-2026."),
            },
            "kind": {
                "required": gettext_lazy("Choose a reason."),
                "invalid_choice": gettext_lazy("Choose a reason."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio group without an empty "---------" choice.
        self.fields["kind"].choices = Absence.Kind.choices
        self.fields["starts_on"].input_formats = ["%Y-%m-%d", "%d-%m-%Y"]
        self.fields["ends_on"].input_formats = ["%Y-%m-%d", "%d-%m-%Y"]

    def _post_clean(self):
        # The model's own validation would check the constraint (last day before the first)
        # with a generic message; the service says it in words.
        pass
