"""Serializers of the hours API (urenregistratie): time entries, the month's usage against each
pool's cap, and the invoice exports. An entry names its question by id and the case by its
pseudonym, its session by id and start: never a title, a message or anything of the resident."""

from __future__ import annotations

import re
from datetime import date

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import NamedSerializer, PersonSerializer
from consultation.models import Message
from expertise.models import ExpertPool, Organisation
from hours.models import InvoiceExport, TimeEntry
from hours.services import LONGEST_ENTRY

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def _user(field) -> object:
    request = field.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03", "format": "month"}
)
class MonthField(serializers.Field):
    """A month as YYYY-MM; internally its first day."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM, e.g. 2025-03.")}

    def to_internal_value(self, data) -> date:
        match = MONTH_PATTERN.match(str(data).strip()) if isinstance(data, str) else None
        if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            self.fail("invalid")
        return date(int(match.group(1)), int(match.group(2)), 1)

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


def _minutes_message() -> str:
    return gettext("Enter the minutes as a whole number from 1 to %(most)s.") % {
        "most": LONGEST_ENTRY
    }


MINUTES_MESSAGE = lazy(_minutes_message, str)()  # the service's words, in the request's language


def _minutes(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=LONGEST_ENTRY,
        error_messages={
            "invalid": MINUTES_MESSAGE,
            "min_value": MINUTES_MESSAGE,
            "max_value": MINUTES_MESSAGE,
        },
        **kwargs,
    )


# --- Time entries --------------------------------------------------------------------------------
class EntryQuestionSerializer(serializers.Serializer):
    """The question an entry was for: its id and the case pseudonym, nothing else."""

    id = serializers.IntegerField(read_only=True)
    case = serializers.CharField(source="case.pseudonym", read_only=True)


class EntrySessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)


class TimeEntrySerializer(serializers.ModelSerializer):
    expert = PersonSerializer(read_only=True)
    pool = NamedSerializer(read_only=True)
    organisation = NamedSerializer(
        read_only=True, help_text=_("The care provider that invoices the time.")
    )
    question = EntryQuestionSerializer(read_only=True, allow_null=True)
    session = EntrySessionSerializer(read_only=True, allow_null=True)
    minutes = serializers.IntegerField(
        read_only=True,
        help_text=_("Signed: a correction holds the difference it makes (e.g. -15)."),
    )
    note = serializers.CharField(
        read_only=True, help_text=_("A correction's reason, as its expert signed it.")
    )
    corrects: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The entry a correction corrects.")
    )
    locked = serializers.BooleanField(
        source="is_locked",
        read_only=True,
        help_text=_("Exported for an invoice: it no longer changes; correct it instead."),
    )
    decided_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TimeEntry
        ref_name = "TimeEntry"
        fields = [
            "id",
            "expert",
            "pool",
            "organisation",
            "date",
            "activity",
            "question",
            "session",
            "minutes",
            "status",
            "note",
            "corrects",
            "locked",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


class TimeEntryFilterSerializer(serializers.Serializer):
    pool = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Only the entries of this expert pool.")
    )
    month = MonthField(required=False, help_text=_("Only the entries of this month (YYYY-MM)."))
    status = serializers.ChoiceField(
        choices=TimeEntry.Status.choices,
        required=False,
        help_text=_("Only the entries with this status."),
    )
    mine = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only your own entries (a pool's planner otherwise sees the pool's too)."),
    )


class OwnAdviceField(serializers.PrimaryKeyRelatedField):
    """Only one's own written advice: another id "does not exist", never a leak."""

    def get_queryset(self):
        return Message.objects.filter(author=_user(self), kind=Message.Kind.ADVICE)


class AdviceTimeSerializer(serializers.Serializer):
    message = OwnAdviceField(
        queryset=Message.objects.none(), help_text=_("The id of written advice you sent.")
    )
    minutes = _minutes(help_text=_("The time the advice took, in minutes."))


class ConfirmSerializer(serializers.Serializer):
    minutes = _minutes(
        required=False,
        help_text=_("The minutes you were there; left out: the session's length as proposed."),
    )


class CorrectSerializer(serializers.Serializer):
    minutes = _minutes(help_text=_("What the entry's time should be, in minutes."))
    reason = serializers.CharField(max_length=200, help_text=_("Why the time is corrected."))


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=_("Optional.")
    )


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=200, help_text=_("Why the time is not approved; the expert reads it.")
    )


# --- Usage against the cap -----------------------------------------------------------------------
class UsageSerializer(serializers.Serializer):
    pool = NamedSerializer(read_only=True)
    used = serializers.IntegerField(
        read_only=True, help_text=_("Minutes that count: confirmed, approved, corrections.")
    )
    waiting = serializers.IntegerField(
        read_only=True, help_text=_("Minutes beyond the cap awaiting approval.")
    )
    cap = serializers.IntegerField(read_only=True, help_text=_("The pool's monthly cap."))
    left = serializers.IntegerField(read_only=True, help_text=_("Minutes left under the cap."))
    percent = serializers.IntegerField(read_only=True, help_text=_("Used, in % of the cap."))
    warn = serializers.BooleanField(read_only=True, help_text=_("From 80 % of the cap on."))


class UsageMonthSerializer(serializers.Serializer):
    month = MonthField(read_only=True)
    pools = UsageSerializer(many=True, read_only=True)


class UsageQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text=_("Left out: this month."))


# --- Invoice exports -----------------------------------------------------------------------------
class InvoiceExportSerializer(serializers.ModelSerializer):
    pool = NamedSerializer(read_only=True)
    organisation = NamedSerializer(read_only=True, help_text=_("The care provider invoiced."))
    month = MonthField(read_only=True)
    number = serializers.IntegerField(
        read_only=True, help_text=_("1 for a month's first export, 2 for what came after it…")
    )
    created_by = PersonSerializer(read_only=True)
    entry_count = serializers.IntegerField(read_only=True, help_text=_("The entries it holds."))
    total_minutes = serializers.IntegerField(read_only=True, help_text=_("Their minutes together."))

    class Meta:
        model = InvoiceExport
        ref_name = "InvoiceExport"
        fields = [
            "id",
            "pool",
            "organisation",
            "month",
            "number",
            "created_by",
            "created_at",
            "entry_count",
            "total_minutes",
        ]
        read_only_fields = fields


class InvoiceExportCreateSerializer(serializers.Serializer):
    pool = serializers.PrimaryKeyRelatedField(
        queryset=ExpertPool.objects.filter(is_active=True),
        help_text=_("A pool whose triage worker or coordinator you are."),
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text=_("The care provider to invoice.")
    )
    month = MonthField(help_text=_("The month (YYYY-MM): this one or one before."))


class InvoiceExportFilterSerializer(serializers.Serializer):
    pool = serializers.IntegerField(min_value=1, required=False)
    organisation = serializers.IntegerField(min_value=1, required=False)
    month = MonthField(required=False)
