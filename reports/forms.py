"""The dashboard's filter (a GET form): the period, and the area and teams of the user's own
scope. A choice outside the scope is a form error, never another municipality's figures."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import dateformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from reports.periods import Period
from reports.scope import ReportFilter

LAST_12 = "last12"
CUSTOM = "custom"
EARLIEST = date(2000, 1, 1)
LONGEST = timedelta(days=5 * 366)  # a longer period is not one report


def _month_value(day: date) -> str:
    return f"m{day:%Y-%m}"


def period_choices(today: date) -> list:
    this_month = today.replace(day=1)
    months = [this_month - relativedelta(months=i) for i in range(24)]
    quarter = Period.quarter(today).start
    quarters = [quarter - relativedelta(months=3 * i) for i in range(8)]
    years = [today.year - i for i in range(5)]
    return [
        (LAST_12, _("The last 12 months")),
        (
            _("Month"),
            [(_month_value(m), dateformat.format(m, "F Y").capitalize()) for m in months],
        ),
        (
            _("Quarter"),
            [
                (f"q{q.year}-{(q.month - 1) // 3 + 1}", f"Q{(q.month - 1) // 3 + 1} {q.year}")
                for q in quarters
            ],
        ),  # fmt: skip
        (_("Year"), [(f"y{y}", str(y)) for y in years]),
        (CUSTOM, _("Other period: from and to below")),
    ]


def period_of(value: str, today: date) -> Period | None:
    """The period a choice of period_choices stands for (None for CUSTOM)."""
    if value == LAST_12:
        return Period(today.replace(day=1) - relativedelta(months=11), today)
    kind, rest = value[:1], value[1:]
    if kind == "m":
        year, month = rest.split("-")
        return Period.month(date(int(year), int(month), 1))
    if kind == "q":
        year, quarter = rest.split("-")
        return Period.quarter(date(int(year), 3 * int(quarter) - 2, 1))
    if kind == "y":
        return Period.year(int(rest))
    return None


class DashboardFilterForm(UtrechtFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), initial=LAST_12)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    municipality = forms.TypedChoiceField(label=_("Municipality"), coerce=int, required=False)
    teams = forms.TypedMultipleChoiceField(
        label=_("District teams"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all teams."),
    )

    def __init__(self, data=None, *, municipalities, regions, teams, today: date, **kwargs):
        # Unbound (no filter asked for yet): the defaults, as a bound form, so the page shows
        # figures at once.
        super().__init__(data if data else {"period": LAST_12}, **kwargs)
        self.today = today
        self.municipality_map = {m.pk: m for m in municipalities}
        self.region = regions[0] if regions else None  # a region admin reads their region
        self.team_map = {t.pk: t for t in teams}
        self._choices("period", period_choices(today))
        if self.region is not None:
            region = self.region
            self._choices(
                "municipality",
                [
                    ("", _("All municipalities of %(region)s") % {"region": region.name}),
                    *[(m.pk, m.name) for m in municipalities if m.region_id == region.pk],
                ],
            )
        elif len(municipalities) > 1:
            self._choices("municipality", [(m.pk, m.name) for m in municipalities])
            self.fields["municipality"].required = True
        else:
            del self.fields["municipality"]
        several = len({t.municipality_id for t in teams}) > 1
        self._choices(
            "teams",
            [(t.pk, f"{t.name} ({t.municipality.name})" if several else t.name) for t in teams],
        )

    def _choices(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self):
        data = super().clean()
        choice = data.get("period")
        if choice == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                self.add_error("start" if start is None else "end", _("Enter both dates."))
            elif end < start:
                self.add_error("end", _("The end lies before the start."))
            elif start < EARLIEST or end - start > LONGEST:
                self.add_error("end", _("Choose a period of at most five years, from 2000."))
            else:
                data["chosen_period"] = Period(start, end)
        elif choice:
            data["chosen_period"] = period_of(choice, self.today)
        municipality = self._chosen_municipality(data)
        for pk in data.get("teams") or ():
            team = self.team_map[pk]
            if municipality is not None and team.municipality_id != municipality.pk:
                self.add_error(
                    "teams",
                    _("%(team)s is not a team of %(municipality)s.")
                    % {"team": team.name, "municipality": municipality.name},
                )
        return data

    def _chosen_municipality(self, data):
        if "municipality" not in self.fields:
            return next(iter(self.municipality_map.values()), None)
        pk = data.get("municipality")
        return self.municipality_map.get(pk) if pk else None

    # --- A valid form's report ---------------------------------------------------------------
    @property
    def chosen_period(self) -> Period:
        return self.cleaned_data["chosen_period"]

    @property
    def chosen_municipality(self):
        return self._chosen_municipality(self.cleaned_data)

    @property
    def chosen_teams(self) -> list:
        return [self.team_map[pk] for pk in self.cleaned_data.get("teams") or ()]

    def report_filter(self, *, now) -> ReportFilter:
        municipality, period = self.chosen_municipality, self.chosen_period
        teams = [team.pk for team in self.chosen_teams]
        if municipality is None and self.region is not None:
            return ReportFilter.for_region(self.region, period, teams=teams, now=now)
        return ReportFilter.for_municipality(municipality, period, teams=teams, now=now)

    @property
    def area_name(self) -> str:
        municipality = self.chosen_municipality
        if municipality is not None:
            return municipality.name
        return self.region.name if self.region is not None else ""

    def filename(self, extension: str) -> str:
        """wijkexpert-<area>-<start>-<end>.<extension>: letters, digits and hyphens only."""
        p = self.chosen_period
        return f"wijkexpert-{slugify(self.area_name) or 'rapport'}-{p.start}-{p.end}.{extension}"

    def query_string(self) -> str:
        return self.data.urlencode() if hasattr(self.data, "urlencode") else ""
