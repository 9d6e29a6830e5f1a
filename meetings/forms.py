"""The sessions' forms: planning and moving (a moment, a place), the agenda, invitations, the
outcome of an agenda item, and the recurring meeting of a team pool. The services check again
what matters (meetings.services); these turn bad input into field errors first."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from meetings.models import MeetingSeries
from meetings.services.planning import LONGEST_SESSION, SessionInput
from meetings.services.recurring import validate_rrule

if TYPE_CHECKING:
    from accounts.models import User
    from consultation.models import Question
    from meetings.models import Invitation, Session

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
SLOT_MINUTES = (5, 240)
DEFAULT_SLOT = 20
# Where a service's error on the session's moment belongs on these forms.
SERVICE_FIELDS = {"starts_at": "start", "ends_at": "end"}


def _choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    """A choice field's choices, set after the form is built (from rows read once)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def expert_label(user: User) -> str:
    """ "Name, discipline": a planner chooses by discipline (the organisation is not shown)."""
    profile = getattr(user, "expert_profile", None)
    name = user.get_full_name() or user.email
    return f"{name}, {profile.job_title}" if profile and profile.job_title else name


class MomentForm(UtrechtFormMixin, forms.Form):
    """When and where: a date, a start and an end time (local), a place or a video link."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A room and address, or leave empty for a video call only."),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https", "http"])],
    )
    capacity = forms.IntegerField(
        label=_("Questions on the agenda at most"), min_value=1, max_value=20, initial=4
    )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            starts_at = timezone.make_aware(datetime.combine(day, start))
            ends_at = timezone.make_aware(datetime.combine(day, end))
            if ends_at <= starts_at:
                self.add_error("end", _("The session ends after it starts."))
            elif ends_at - starts_at > LONGEST_SESSION:
                self.add_error("end", _("A session lasts at most eight hours."))
            elif starts_at <= timezone.now():
                self.add_error("date", _("Choose a moment in the future."))
            data["starts_at"], data["ends_at"] = starts_at, ends_at
        if not (data.get("place") or "").strip() and not data.get("video_link"):
            self.add_error("place", _("Give a place or a video link."))
        return data

    def session_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            video_link=data["video_link"],
            capacity=data["capacity"],
        )

    def minutes_long(self) -> int | None:
        data = getattr(self, "cleaned_data", {})
        if "starts_at" in data:
            return int((data["ends_at"] - data["starts_at"]) / timedelta(minutes=1))
        return None


def moment_initial(session: Session) -> dict:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "date": start.date(),
        "start": start.time(),
        "end": end.time(),
        "place": session.place,
        "video_link": session.video_link,
        "capacity": session.capacity,
    }


class PlanForm(MomentForm):
    """A new session of one pool: the moment, the experts invited and the questions on the
    agenda, each with its time slot (a field `minutes_<question id>`)."""

    experts = forms.MultipleChoiceField(
        label=_("Experts to invite"), required=False, widget=forms.CheckboxSelectMultiple
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions on the agenda"), required=False, widget=forms.CheckboxSelectMultiple
    )

    field_order = ["experts", "questions", "date", "start", "end", "place", "video_link"]

    def __init__(self, *args, experts=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.expert_users = {str(user.pk): user for user in experts}
        self.waiting = {str(question.pk): question for question in questions}
        _choices(
            self.fields["experts"], [(pk, expert_label(u)) for pk, u in self.expert_users.items()]
        )
        _choices(
            self.fields["questions"],
            [(pk, f"{q.case.pseudonym}: {q.title}") for pk, q in self.waiting.items()],
        )
        for pk in self.waiting:
            self.fields[f"minutes_{pk}"] = forms.IntegerField(
                label=_("Minutes"),
                min_value=SLOT_MINUTES[0],
                max_value=SLOT_MINUTES[1],
                initial=DEFAULT_SLOT,
                required=False,
            )

    def question_rows(self):
        """(question, its checkbox, its minutes field) for the template."""
        boxes = {str(box.data["value"]): box for box in self["questions"]}
        return [(q, boxes[pk], self[f"minutes_{pk}"]) for pk, q in self.waiting.items()]

    def clean(self):
        data = super().clean()
        chosen = data.get("questions") or []
        slots = {}
        for pk in chosen:
            minutes = data.get(f"minutes_{pk}")
            if minutes is None and f"minutes_{pk}" not in self.errors:
                minutes = DEFAULT_SLOT
            if minutes is not None:
                slots[int(pk)] = minutes
        data["slots"] = slots
        capacity = data.get("capacity")
        if capacity and len(chosen) > capacity:
            self.add_error(
                "questions",
                _("Choose at most %(capacity)s questions, or raise the number the agenda holds.")
                % {"capacity": capacity},
            )
        length = self.minutes_long()
        if length is not None and sum(slots.values()) > length:
            self.add_error(
                "questions",
                _("The time slots take %(slots)s minutes; the session lasts %(length)s.")
                % {"slots": sum(slots.values()), "length": length},
            )
        return data

    def chosen_experts(self) -> list[User]:
        return [self.expert_users[pk] for pk in self.cleaned_data["experts"]]

    def chosen_questions(self) -> list[Question]:
        return [self.waiting[pk] for pk in self.cleaned_data["questions"]]


class AgendaAddForm(UtrechtFormMixin, forms.Form):
    question = forms.ChoiceField(label=_("Question"))
    minutes = forms.IntegerField(
        label=_("Time slot (minutes)"),
        min_value=SLOT_MINUTES[0],
        max_value=SLOT_MINUTES[1],
        initial=DEFAULT_SLOT,
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.waiting = {str(q.pk): q for q in questions}
        _choices(
            self.fields["question"],
            [(pk, f"{q.case.pseudonym}: {q.title}") for pk, q in self.waiting.items()],
        )

    def chosen(self) -> Question:
        return self.waiting[self.cleaned_data["question"]]


class InviteForm(UtrechtFormMixin, forms.Form):
    experts = forms.MultipleChoiceField(
        label=_("Experts to invite"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.expert_users = {str(user.pk): user for user in experts}
        _choices(
            self.fields["experts"], [(pk, expert_label(u)) for pk, u in self.expert_users.items()]
        )

    def chosen(self) -> list[User]:
        return [self.expert_users[pk] for pk in self.cleaned_data["experts"]]


class OutcomeForm(UtrechtFormMixin, forms.Form):
    """What the session agreed on one agenda item; the experts who took part are chosen from
    those invited (no query per item: the choices come from the invitations already read)."""

    advice = forms.CharField(
        label=_("Advice agreed"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The district team reads this as advice from the session."),
    )
    participants = forms.MultipleChoiceField(
        label=_("Experts who took part"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, invitations: list[Invitation] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.expert_users = {str(i.user_id): i.user for i in invitations}
        _choices(
            self.fields["participants"],
            [(pk, expert_label(u)) for pk, u in self.expert_users.items()],
        )
        if not self.is_bound:
            self.initial["participants"] = [
                str(i.user_id) for i in invitations if i.response == i.Response.ACCEPTED
            ]

    def chosen(self) -> list[User]:
        return [self.expert_users[pk] for pk in self.cleaned_data["participants"]]


# --- The recurring meeting of a team pool -------------------------------------------------------
class Preset:
    WEEKLY = "1"
    FORTNIGHTLY = "2"
    FOUR_WEEKLY = "4"
    CUSTOM = "custom"


PRESETS = [
    (Preset.WEEKLY, _("every week")),
    (Preset.FORTNIGHTLY, _("every two weeks")),
    (Preset.FOUR_WEEKLY, _("every four weeks")),
    (Preset.CUSTOM, _("another rule (RRULE)")),
]
WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
_PRESET_RULE = re.compile(
    r"^FREQ=WEEKLY;(?:INTERVAL=(?P<n>[124]);)?BYDAY=(?P<day>MO|TU|WE|TH|FR|SA|SU)$"
)


def read_rule(rrule: str) -> tuple[str, str | None]:
    """(preset, weekday) when the rule is one of the presets, else (CUSTOM, None)."""
    found = _PRESET_RULE.match(rrule.strip().upper())
    if not found:
        return Preset.CUSTOM, None
    return found["n"] or Preset.WEEKLY, found["day"]


def rule_label(series: MeetingSeries) -> str:
    """ "every two weeks on Tuesday, 13:00-15:00", or the raw rule when it is no preset."""
    preset, day = read_rule(series.rrule)
    start = datetime.combine(series.first_date, series.start_time)
    end = start + timedelta(minutes=series.duration_minutes)
    times = f"{start:%H:%M}–{end:%H:%M}"
    if preset == Preset.CUSTOM:
        return f"{series.rrule}, {times}"
    return _("%(every)s on %(weekday)s, %(times)s") % {
        "every": dict(PRESETS)[preset],
        "weekday": dict(WEEKDAYS)[day or "MO"],
        "times": times,
    }


class SeriesForm(UtrechtFormMixin, forms.ModelForm):
    preset = forms.ChoiceField(label=_("How often"), choices=PRESETS, widget=forms.RadioSelect)
    weekday = forms.ChoiceField(label=_("Day of the week"), choices=WEEKDAYS, required=False)
    rrule = forms.CharField(
        label=_("Recurrence rule"),
        max_length=200,
        required=False,
        help_text=_(
            "Only for another rule: RFC 5545, for example FREQ=MONTHLY;BYDAY=2TU (every "
            "second Tuesday of the month)."
        ),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https", "http"])],
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "first_date",
            "start_time",
            "duration_minutes",
            "place",
            "video_link",
            "capacity",
            "weeks_ahead",
            "is_active",
        ]
        labels = {
            "first_date": _("From"),
            "start_time": _("Starts at"),
            "duration_minutes": _("Duration (minutes)"),
            "place": _("Place"),
            "capacity": _("Questions per session"),
            "weeks_ahead": _("Sessions created ahead (weeks)"),
            "is_active": _("Active: sessions are created"),
        }
        widgets = {"first_date": DATE_WIDGET, "start_time": TIME_WIDGET}

    field_order = ["preset", "weekday", "rrule", "first_date", "start_time", "duration_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        duration = self.fields["duration_minutes"]
        duration.validators.append(MaxValueValidator(LONGEST_SESSION // timedelta(minutes=1)))
        duration.widget.attrs.update({"min": 15, "max": LONGEST_SESSION // timedelta(minutes=1)})
        if self.instance.pk and not self.is_bound:
            preset, day = read_rule(self.instance.rrule)
            self.initial["preset"] = preset
            self.initial["weekday"] = day
            if preset == Preset.CUSTOM:
                self.initial["rrule"] = self.instance.rrule
        elif not self.is_bound:
            self.initial.setdefault("preset", Preset.FORTNIGHTLY)
            self.initial.setdefault("weekday", "TU")

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset == Preset.CUSTOM:
            rule = (data.get("rrule") or "").strip().upper()
            if not rule:
                self.add_error("rrule", _("Write the rule, or choose how often above."))
            else:
                try:
                    validate_rrule(rule)
                except ValidationError as error:
                    self.add_error("rrule", error)
                else:
                    data["rule"] = rule
        elif preset:
            day = data.get("weekday")
            if not day:
                self.add_error("weekday", _("Choose the day of the week."))
            else:
                interval = "" if preset == Preset.WEEKLY else f"INTERVAL={preset};"
                data["rule"] = f"FREQ=WEEKLY;{interval}BYDAY={day}"
        return data
