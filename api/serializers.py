"""Serializers of the REST API.

Two families, never mixed (DESIGN §4.1):
- team-facing (`Resident…`, `Case…`, `QuestionTeamSerializer`): for members of the owning team;
  only these name the resident, and every response carrying identity is audited by the view.
- expert-facing (`QuestionExpertSerializer`, `MessageSerializer`, `NotificationSerializer`): for
  everyone else. They do not even declare a resident field: the case is its pseudonym, the
  resident an age band and a household composition.
"""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.validators import validate_name
from consultation.models import CloseOut, Message, Notification, Question, QuestionExpert
from expertise.models import ExpertPool, LifeDomain, TargetGroup
from wijkteam.models import Case, DistrictTeam, Resident, age_band_label, household_label
from wijkteam.selectors import cases_visible_to, residents_visible_to, teams_of


def _user(serializer_field) -> object:
    request = serializer_field.context.get("request")
    return getattr(request, "user", None)


# --- Scoped related fields -----------------------------------------------------------------------
# The queryset given at construction is only for the schema; validation goes through the same
# selectors as every read, so an id outside the user's scope is "does not exist", never a leak.
class ScopedTeamField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return teams_of(user=_user(self))


class ScopedResidentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return residents_visible_to(user=_user(self))


class ScopedCaseField(serializers.SlugRelatedField):
    def get_queryset(self):
        return cases_visible_to(user=_user(self))


# --- Small shared pieces -------------------------------------------------------------------------
class PersonSerializer(serializers.Serializer):
    """A professional: a name, nothing more."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.email


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertPool
        fields = ["id", "name", "collaboration_model"]
        read_only_fields = fields


class QuestionExpertLinkSerializer(serializers.ModelSerializer):
    """Who is on the question, with their discipline (never their organisation, seed 001)."""

    expert = PersonSerializer(read_only=True)
    discipline = serializers.SerializerMethodField()

    class Meta:
        model = QuestionExpert
        fields = ["expert", "discipline", "kind", "created_at"]
        read_only_fields = fields

    def get_discipline(self, link) -> str:
        profile = getattr(link.expert, "expert_profile", None)
        return profile.job_title if profile else ""


# --- Residents and cases (team members only) -----------------------------------------------------
class ResidentSerializer(serializers.ModelSerializer):
    """A resident's identity. Only for the owning team; the view audits every response."""

    team = ScopedTeamField(
        queryset=DistrictTeam.objects.all(),
        required=False,
        help_text=_("Your district team; may be left out when you work in one team only."),
    )
    household_label = serializers.CharField(source="get_household_display", read_only=True)
    cases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="pseudonym")

    class Meta:
        model = Resident
        fields = [
            "id",
            "team",
            "first_name",
            "last_name",
            "date_of_birth",
            "postcode",
            "household",
            "household_label",
            "cases",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        # Names are one plain line: no control characters, line breaks or direction overrides.
        extra_kwargs = {
            "first_name": {"validators": [validate_name]},
            "last_name": {"validators": [validate_name]},
        }

    def validate_date_of_birth(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The date of birth cannot be in the future."))
        return value


class CaseResidentSerializer(serializers.ModelSerializer):
    household_label = serializers.CharField(source="get_household_display", read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "postcode",
            "household",
            "household_label",
        ]
        read_only_fields = fields


class CaseQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "title", "status", "urgency", "last_activity_at"]
        read_only_fields = fields


@extend_schema_field(
    {"type": "string", "description": " or ".join(f"`{v}`" for v in Case.Status.values)}
)
class CaseStatusField(serializers.CharField):
    """The case's own status. Described, not an enum, in the schema: an enum named "status"
    would collide with the question status (drf-spectacular names enums by field name)."""


class CaseSerializer(serializers.ModelSerializer):
    """A case with its resident's identity. Only for the owning team; audited by the view."""

    status = CaseStatusField(read_only=True)
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    owner = PersonSerializer(read_only=True)
    resident = CaseResidentSerializer(read_only=True)
    questions = CaseQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "pseudonym",
            "team",
            "status",
            "owner",
            "resident",
            "questions",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    """Open a case for a resident already registered (`resident_id`) or register the resident
    and open the case in one go (`resident`). Give exactly one of the two."""

    resident_id = ScopedResidentField(queryset=Resident.objects.all(), required=False)
    resident = ResidentSerializer(required=False)

    def validate(self, attrs):
        if ("resident_id" in attrs) == ("resident" in attrs):
            message = _("Give either resident_id (a registered resident) or resident (a new one).")
            raise serializers.ValidationError({"non_field_errors": [message]})
        return attrs


# --- Questions -----------------------------------------------------------------------------------
class _QuestionReadSerializer(serializers.ModelSerializer):
    """What anyone who may see the question sees. Deliberately no resident field: the case is
    its pseudonym, the resident an age band and household composition (DESIGN §4.1)."""

    case = serializers.CharField(source="case_pseudonym", read_only=True)
    age_band = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    pool = PoolSerializer(read_only=True)
    asked_by = PersonSerializer(read_only=True)
    life_domains = NamedSerializer(source="shown_life_domains", many=True, read_only=True)
    target_groups = NamedSerializer(source="shown_target_groups", many=True, read_only=True)
    experts = QuestionExpertLinkSerializer(source="shown_experts", many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "case",
            "age_band",
            "household",
            "pool",
            "title",
            "situation",
            "tried",
            "question",
            "life_domains",
            "target_groups",
            "urgency",
            "help_form",
            "status",
            "asked_by",
            "experts",
            "created_at",
            "submitted_at",
            "closed_at",
            "last_activity_at",
        ]
        read_only_fields = fields

    def get_age_band(self, question) -> str:
        # resident_age comes from with_case_profile: the birth date never leaves the database.
        return str(age_band_label(getattr(question, "resident_age", None)))

    def get_household(self, question) -> str:
        value = getattr(question, "resident_household", "")
        return household_label(value)


class QuestionExpertSerializer(_QuestionReadSerializer):
    """For experts (and anyone else outside the asking team)."""

    audience = serializers.SerializerMethodField(
        help_text=_('Who this representation is for: "expert" (no resident references).')
    )

    my_ratings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        read_only=True,
        help_text=_(
            "The district team's ratings (1 to 5) of your own advice on this question, oldest "
            "advice first; empty while none is rated. Nobody else's."
        ),
    )

    class Meta(_QuestionReadSerializer.Meta):
        ref_name = "QuestionForExpert"
        fields = ["audience", *_QuestionReadSerializer.Meta.fields, "my_ratings"]
        read_only_fields = fields

    def get_audience(self, question) -> Literal["expert"]:
        return "expert"


class QuestionTeamSerializer(_QuestionReadSerializer):
    """For members of the asking team: adds the team's own references to the case."""

    audience = serializers.SerializerMethodField(
        help_text=_('Who this representation is for: "team" (the asking team\'s own view).')
    )
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    resident_id = serializers.IntegerField(source="case.resident_id", read_only=True)

    class Meta(_QuestionReadSerializer.Meta):
        ref_name = "QuestionForTeam"
        fields = ["audience", *_QuestionReadSerializer.Meta.fields, "team", "resident_id"]
        read_only_fields = fields

    def get_audience(self, question) -> Literal["team"]:
        return "team"


class QuestionWriteSerializer(serializers.ModelSerializer):
    """Create a draft question (team members). `pool` may be left out when one pool serves
    the team."""

    case = ScopedCaseField(slug_field="pseudonym", queryset=Case.objects.all())
    pool = serializers.PrimaryKeyRelatedField(
        queryset=ExpertPool.objects.filter(is_active=True), required=False
    )
    life_domains = serializers.PrimaryKeyRelatedField(
        queryset=LifeDomain.objects.all(), many=True, required=False
    )
    target_groups = serializers.PrimaryKeyRelatedField(
        queryset=TargetGroup.objects.filter(is_active=True), many=True, required=False
    )
    privacy_confirmed = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text=_(
            "Store the text even though the privacy check found something that may identify the "
            "resident (the check runs before anything is stored, and again on submit)."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "privacy_confirmed",
            "case",
            "pool",
            "title",
            "situation",
            "tried",
            "question",
            "life_domains",
            "target_groups",
            "urgency",
            "help_form",
        ]


class QuestionUpdateSerializer(QuestionWriteSerializer):
    """Change a draft (PATCH): any field but the case."""

    class Meta(QuestionWriteSerializer.Meta):
        fields = [f for f in QuestionWriteSerializer.Meta.fields if f != "case"]


class QuestionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Question._meta.get_field("status").choices, required=False
    )
    urgency = serializers.ChoiceField(choices=Question.Urgency.choices, required=False)


class SubmitSerializer(serializers.Serializer):
    privacy_confirmed = serializers.BooleanField(
        default=False,
        help_text=_(
            "Send even though the privacy check found something that may identify the resident."
        ),
    )


class MessageBodySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=8000)


class ReplySerializer(MessageBodySerializer):
    privacy_confirmed = serializers.BooleanField(default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=CloseOut.Direction.choices)
    escalation = serializers.ChoiceField(choices=CloseOut.Escalation.choices)
    comment = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        required=False,
        default=dict,
        help_text=_("Usefulness of each advice, 1 to 5, keyed by the advice's message id."),
    )

    def validate_ratings(self, value):
        try:
            return {int(key): score for key, score in value.items()}
        except (TypeError, ValueError) as error:
            raise serializers.ValidationError(
                _("Rate advice by its message id (a number).")
            ) from error


class PrivacyFindingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    text = serializers.CharField(required=False)


class PrivacyErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    privacy = serializers.DictField(child=PrivacyFindingSerializer(many=True))


# --- Messages and notifications ------------------------------------------------------------------
class MessageSerializer(serializers.ModelSerializer):
    """One entry of the thread. A message has no resident field, whoever reads it."""

    author = PersonSerializer(read_only=True)

    class Meta:
        model = Message
        fields = ["id", "question", "kind", "body", "author", "author_discipline", "created_at"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    """Carries no case content (DESIGN §4.5): what happened, on which pseudonym."""

    case = serializers.CharField(source="case_pseudonym", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "question",
            "case",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=_("The notifications to mark as read; leave out to mark all as read."),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
