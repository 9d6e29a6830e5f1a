"""Serializers of the sessions API (expertiseoverleg / MDO): sessions, their agenda and who is
invited. Like the expert-facing serializers (api.serializers), none of them has a resident
field: an agenda item names its question by id, the case by its pseudonym, and the title only
where the reader may see the question anyway (meetings.selectors.agenda_for)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from api.serializers import PersonSerializer, PoolSerializer
from consultation.models import Question
from expertise.models import ExpertPool
from meetings.models import AgendaItem, Invitation, Session
from meetings.selectors import schedulable_questions
from meetings.services.agenda import DEFAULT_SLOT_MINUTES


def _user(field) -> object:
    request = field.context.get("request")
    return getattr(request, "user", None)


# --- Scoped related fields -----------------------------------------------------------------------
# As in api.serializers: the queryset given at construction is only for the schema; validation
# goes through the scope, so an id outside it is "does not exist", never a leak.
class SchedulableQuestionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return schedulable_questions(user=_user(self))


def _active_experts():
    return User.objects.filter(is_active=True, expert_profile__is_active=True)


# --- Sessions ------------------------------------------------------------------------------------
class MyInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(choices=Invitation.Role.choices, read_only=True)
    response = serializers.ChoiceField(choices=Invitation.Response.choices, read_only=True)


class SessionSerializer(serializers.ModelSerializer):
    """A session as anyone who sees it sees it: when, where, how full, who comes; never a
    question or case (the agenda is its own endpoint)."""

    pool = PoolSerializer(read_only=True)
    planned_by = PersonSerializer(read_only=True, allow_null=True)
    item_count = serializers.IntegerField(
        read_only=True, help_text=_("Questions on the agenda (discussed ones included).")
    )
    accepted_count = serializers.IntegerField(
        read_only=True, help_text=_("Invitees who said they come.")
    )
    declined_count = serializers.IntegerField(
        read_only=True, help_text=_("Invitees who said they do not come.")
    )
    my_invitation = serializers.SerializerMethodField(
        help_text=_("Your own invitation and answer; null when you are not invited.")
    )
    may_plan = serializers.SerializerMethodField(
        help_text=_(
            "Whether you plan this session (a triage worker or coordinator of its pool): "
            "only then may you move, cancel or hold it and change its agenda."
        )
    )

    class Meta:
        model = Session
        ref_name = "Session"
        fields = [
            "id",
            "pool",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "capacity",
            "status",
            "sequence",
            "planned_by",
            "item_count",
            "accepted_count",
            "declined_count",
            "my_invitation",
            "may_plan",
            "created_at",
            "held_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MyInvitationSerializer(allow_null=True))
    def get_my_invitation(self, session) -> dict | None:
        # Annotated by the view (one subquery per column, no query per row).
        if getattr(session, "my_invitation_id", None) is None:
            return None
        return {
            "id": session.my_invitation_id,
            "role": session.my_invitation_role,
            "response": session.my_invitation_response,
        }

    def get_may_plan(self, session) -> bool:
        return session.pool_id in self.context.get("planned_pool_ids", ())


class SessionFilterSerializer(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=[("upcoming", _("still to come")), ("past", _("held, cancelled or over"))],
        required=False,
        help_text=_(
            "upcoming: planned sessions that have not ended, soonest first; past: sessions "
            "that ended or were held or cancelled, latest first. Left out: all, latest first."
        ),
    )
    pool = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Only the sessions of this expert pool.")
    )


class SessionTimeSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_link = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=20,
        required=False,
        default=4,
        help_text=_("Questions on the agenda at most."),
    )


class SessionCreateSerializer(SessionTimeSerializer):
    """Plan a session (the pool's triage workers and coordinators)."""

    pool = serializers.PrimaryKeyRelatedField(
        queryset=ExpertPool.objects.filter(is_active=True),
        help_text=_("The expert pool whose session this is; you must plan its sessions."),
    )
    questions = SchedulableQuestionField(
        queryset=Question.objects.none(),
        many=True,
        required=False,
        default=list,
        help_text=_(
            "Questions of the pool waiting for a session, put on the agenda in this order; "
            "their asking generalists are invited."
        ),
    )
    experts = serializers.PrimaryKeyRelatedField(
        queryset=_active_experts(),
        many=True,
        required=False,
        default=list,
        help_text=_("The experts invited (user ids of active experts)."),
    )
    minutes = serializers.IntegerField(
        min_value=5,
        max_value=240,
        required=False,
        default=DEFAULT_SLOT_MINUTES,
        help_text=_("Time slot per question on the agenda, in minutes."),
    )


class SessionMoveSerializer(serializers.Serializer):
    """A new time or place: what is left out stays as it is."""

    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_link = serializers.URLField(max_length=200, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=20, required=False)


class InviteSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(
        queryset=_active_experts(),
        many=True,
        allow_empty=False,
        help_text=_("The experts invited (user ids of active experts)."),
    )


# --- The agenda ----------------------------------------------------------------------------------
class OutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    """One question on the agenda. `question_visible` is false only in the answer to a planner's
    own write on a question they do not see: then the item shows no title and no pseudonym."""

    question_visible = serializers.SerializerMethodField(
        help_text=_("Whether you may read the question; if not, title and case are null.")
    )
    case = serializers.SerializerMethodField(help_text=_("The case's pseudonym."))
    title = serializers.SerializerMethodField(help_text=_("The question's title."))
    outcome = serializers.SerializerMethodField(
        help_text=_("The advice agreed, once recorded (posted on the question as advice).")
    )
    participants = PersonSerializer(many=True, read_only=True)
    carried_to_session = serializers.SerializerMethodField(
        help_text=_("The session the question was carried over to.")
    )

    class Meta:
        model = AgendaItem
        ref_name = "AgendaItem"
        fields = [
            "id",
            "session",
            "question",
            "question_visible",
            "case",
            "title",
            "position",
            "minutes",
            "status",
            "outcome",
            "participants",
            "carried_to_session",
            "created_at",
        ]
        read_only_fields = fields

    def _visible(self, item) -> bool:
        return getattr(item, "question_visible", False)

    def get_question_visible(self, item) -> bool:
        return self._visible(item)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, item) -> str | None:
        return item.question.case.pseudonym if self._visible(item) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_title(self, item) -> str | None:
        return item.question.title if self._visible(item) else None

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, item) -> dict | None:
        if item.outcome_id is None or not self._visible(item):
            return None
        return OutcomeSerializer(item.outcome).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_carried_to_session(self, item) -> int | None:
        return item.carried_to.session_id if item.carried_to_id else None


class AgendaAddSerializer(serializers.Serializer):
    question = SchedulableQuestionField(
        queryset=Question.objects.none(),
        help_text=_("A question of the session's pool that waits for a session."),
    )
    minutes = serializers.IntegerField(
        min_value=5,
        max_value=240,
        required=False,
        default=DEFAULT_SLOT_MINUTES,
        help_text=_("Its time slot on the agenda, in minutes."),
    )


class OutcomeRecordSerializer(serializers.Serializer):
    advice = serializers.CharField(
        max_length=8000, help_text=_("The advice agreed, as the generalist will read it.")
    )
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        allow_empty=False,
        help_text=_("The experts who took part (user ids)."),
    )


# --- Invitations ---------------------------------------------------------------------------------
class InvitationSerializer(serializers.ModelSerializer):
    """Someone invited to a session, with their answer (the generalist sees who comes)."""

    user = PersonSerializer(read_only=True)
    discipline = serializers.SerializerMethodField(
        help_text=_("An expert's discipline; empty for a generalist.")
    )

    class Meta:
        model = Invitation
        ref_name = "SessionInvitation"
        fields = ["id", "session", "user", "discipline", "role", "response", "responded_at"]
        read_only_fields = fields

    def get_discipline(self, invitation) -> str:
        profile = getattr(invitation.user, "expert_profile", None)
        return profile.job_title if profile and invitation.role == Invitation.Role.EXPERT else ""


class InvitationSessionSerializer(serializers.ModelSerializer):
    pool = PoolSerializer(read_only=True)

    class Meta:
        model = Session
        ref_name = "InvitationSession"
        fields = ["id", "pool", "starts_at", "ends_at", "place", "video_link", "status"]
        read_only_fields = fields


class MyInvitationListSerializer(serializers.ModelSerializer):
    """One of your own invitations, with its session."""

    session = InvitationSessionSerializer(read_only=True)

    class Meta:
        model = Invitation
        ref_name = "OwnInvitation"
        fields = ["id", "session", "role", "response", "responded_at"]
        read_only_fields = fields


class InvitationFilterSerializer(serializers.Serializer):
    upcoming = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only invitations to planned sessions that have not ended."),
    )


class RespondSerializer(serializers.Serializer):
    response = serializers.ChoiceField(
        choices=[
            (Invitation.Response.ACCEPTED.value, Invitation.Response.ACCEPTED.label),
            (Invitation.Response.DECLINED.value, Invitation.Response.DECLINED.label),
        ],
        help_text=_("accepted: you come; declined: you do not come."),
    )
