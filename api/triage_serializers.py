"""Serializers of the triage API: the queue's questions as a triage worker sees them (the case
pseudonym, an age band and the household composition; never the resident, DESIGN §4.1), the
claim, and the input of each decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from api.serializers import NamedSerializer, PersonSerializer, PoolSerializer
from consultation.models import Question
from expertise.models import ExpertPool
from triage.models import RedirectTarget
from wijkteam.models import household_label


class ClaimSerializer(serializers.Serializer):
    worker = PersonSerializer(read_only=True)
    claimed_at = serializers.DateTimeField(read_only=True)
    touched_at = serializers.DateTimeField(read_only=True)
    mine = serializers.SerializerMethodField(help_text=_("Whether you hold the claim."))

    def get_mine(self, claim) -> bool:
        request = self.context.get("request")
        return request is not None and claim.worker_id == request.user.pk


class ClockSerializer(serializers.Serializer):
    due = serializers.DateTimeField(
        read_only=True, help_text=_("When the target is reached (in working days).")
    )
    state = serializers.ChoiceField(
        choices=[("on_time", _("on time")), ("late", _("late")), ("very_late", _("very late"))],
        read_only=True,
    )


class TriageQuestionSerializer(serializers.ModelSerializer):
    """A question of your pools, as triage sees it. Deliberately no resident field."""

    case = serializers.CharField(source="case_pseudonym", read_only=True)
    age_band = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    pool = PoolSerializer(read_only=True)
    life_domains = NamedSerializer(source="shown_life_domains", many=True, read_only=True)
    target_groups = NamedSerializer(source="shown_target_groups", many=True, read_only=True)
    triage_clock = ClockSerializer(
        read_only=True, help_text=_("The pool's target for a triage decision.")
    )
    advice_clock = ClockSerializer(
        read_only=True, help_text=_("The pool's target for the first advice.")
    )
    triage_late = serializers.BooleanField(read_only=True)
    advice_late = serializers.BooleanField(read_only=True)
    claim = serializers.SerializerMethodField(
        help_text=_("Who is working on it; null while nobody has claimed it.")
    )

    class Meta:
        model = Question
        ref_name = "TriageQuestion"
        fields = [
            "id",
            "case",
            "age_band",
            "household",
            "pool",
            "title",
            "summary",
            "situation",
            "tried",
            "question",
            "life_domains",
            "target_groups",
            "urgency",
            "help_form",
            "status",
            "submitted_at",
            "last_activity_at",
            "triage_clock",
            "advice_clock",
            "triage_late",
            "advice_late",
            "claim",
        ]
        read_only_fields = fields

    def get_age_band(self, question) -> str:
        return str(question.age_band)

    def get_household(self, question) -> str:
        return household_label(getattr(question, "resident_household", ""))

    @extend_schema_field(ClaimSerializer(allow_null=True))
    def get_claim(self, question) -> dict | None:
        if question.claim is None:
            return None
        return ClaimSerializer(question.claim, context=self.context).data


class QueueFilterSerializer(serializers.Serializer):
    list = serializers.ChoiceField(
        choices=[
            ("queue", _("waiting for triage")),
            ("mine", _("claimed by you")),
            ("late", _("late")),
        ],
        required=False,
        default="queue",
        help_text=_(
            "queue (the default): the questions of your pools waiting for triage, urgent "
            "first, then the least time left; mine: those you have claimed; late: those whose "
            "triage or first-advice target has passed."
        ),
    )


class SuggestionSerializer(serializers.Serializer):
    expert = PersonSerializer(source="profile.user", read_only=True)
    discipline = serializers.CharField(source="profile.job_title", read_only=True)
    score = serializers.IntegerField(read_only=True)
    available = serializers.BooleanField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class AnswerSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=8000, help_text=_("Your answer to the generalist."))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClarifySerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=8000, help_text=_("What you need to know from the generalist.")
    )


class SharpenSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=160, help_text=_("Title for the experts."))
    summary = serializers.CharField(
        max_length=3000, help_text=_("Summary for the experts; they read it first.")
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        help_text=_("Experts of the question's pool (user ids); see the suggestions."),
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlanSessionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text=_("Which kinds of expertise are needed?")
    )


class RedirectSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=RedirectTarget.choices)
    pool = serializers.PrimaryKeyRelatedField(
        queryset=ExpertPool.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Only when you redirect to another expert pool: one of the pools that serve the "
            "question's team (see redirect-pools)."
        ),
    )
    note = serializers.CharField(max_length=3000, help_text=_("Note for the generalist."))

    def validate(self, attrs):
        if attrs["target"] != RedirectTarget.OTHER_POOL:
            attrs["pool"] = None
        return attrs
