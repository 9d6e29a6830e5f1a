"""Views of the REST API: thin. Validate input, fetch through a scoped selector, call one service.

Visibility: every queryset starts from the selectors (questions_visible_to, residents_visible_to,
cases_visible_to, notifications_for), so an object outside the caller's scope is a 404, never a
403. A 403 means "you may see this, but not do that" (e.g. an expert closing a question).

Errors: the services raise Django's ValidationError (often a dict), PermissionDenied,
PrivacyCheckRequired and TransitionNotAllowed; `ApiErrorsMixin` turns them into 400s with field
errors and 403s, so bad input never becomes a 500.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authentication import get_authorization_header
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.tokens import KEYWORD
from api import serializers as s
from api.permissions import TeamMemberMayCreate
from consultation import services
from consultation.models import Message, Notification, Question, QuestionExpert
from consultation.selectors import notifications_for, questions_visible_to, with_case_profile
from consultation.services import PrivacyCheckRequired, QuestionInput
from consultation.workflow import TransitionNotAllowed
from expertise.models import LifeDomain, TargetGroup
from wijkteam.models import Case, Resident
from wijkteam.selectors import cases_visible_to, residents_visible_to, team_ids_of
from wijkteam.services import audit_identity_read, case_open, resident_register

AUDIT_CHANNEL = "api"


def _django_error_detail(error: DjangoValidationError) -> dict:
    """A service's ValidationError as DRF field errors: {field: [message, …]}."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


class ApiErrorsMixin:
    """Shared by every API view: domain exceptions as clear 4xx answers, and a 401 with a
    `WWW-Authenticate: Token` challenge when a token was offered and refused."""

    # Set by the actions that run the privacy guard, once they know the caller belongs to the
    # asking team: only then may the findings (the generalist's own text) be echoed back.
    privacy_may_echo_text = False

    def get_authenticate_header(self, request):
        offered = get_authorization_header(request).split()
        if offered and offered[0].lower() == KEYWORD.lower().encode():
            return KEYWORD
        # Session clients keep getting 403 (an unverified session is no credential to retry).
        return super().get_authenticate_header(request)

    def handle_exception(self, exc):
        if isinstance(exc, PrivacyCheckRequired):
            return Response(self._privacy_error(exc), status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(_django_error_detail(exc))
        elif isinstance(exc, TransitionNotAllowed):
            exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
        elif isinstance(exc, ObjectDoesNotExist):
            exc = Http404()
        return super().handle_exception(exc)

    def _privacy_error(self, exc: PrivacyCheckRequired) -> dict:
        findings = {}
        for field, items in exc.findings.items():
            findings[field] = [
                {"kind": f.kind, "label": f.label}
                | ({"text": f.text} if self.privacy_may_echo_text else {})
                for f in items
            ]
        return {
            "detail": _(
                "The text may identify the resident. Edit it, or send it again with "
                "privacy_confirmed set to true."
            ),
            "privacy": findings,
        }


def _audit_identity(request, residents_with_case) -> None:
    """One audit event per resident (and case) whose identity is in the response (DESIGN §4.6)."""
    seen = set()
    for resident, case in residents_with_case:
        key = (resident.pk, case.pk if case else None)
        if key in seen:
            continue
        seen.add(key)
        audit_identity_read(
            actor=request.user, resident=resident, case=case, request=request, channel=AUDIT_CHANNEL
        )


# --- Residents -----------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Residents of your district teams",
        description="Team members only; everyone else gets an empty list. Every resident in "
        "the response is written to the audit log.",
    ),
    retrieve=extend_schema(
        summary="One resident",
        description="Team members only (404 otherwise); the read is written to the audit log.",
    ),
    create=extend_schema(
        summary="Register a resident",
        description="Name, date of birth, postcode and household composition; no BSN. "
        "`team` may be left out when you work in one team only.",
    ),
)
class ResidentViewSet(
    ApiErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ResidentSerializer
    permission_classes = [IsAuthenticated, TeamMemberMayCreate]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Resident.objects.none()
        return (
            residents_visible_to(user=self.request.user)
            .prefetch_related(
                Prefetch("cases", queryset=Case.objects.only("pk", "resident_id", "pseudonym"))
            )
            .order_by("last_name", "first_name", "pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        _audit_identity(request, ((resident, None) for resident in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        resident = self.get_object()
        _audit_identity(request, [(resident, None)])
        return Response(self.get_serializer(resident).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # resident_register writes the "created" audit event; the answer only echoes what the
        # caller sent, so there is no identity read to record.
        resident = resident_register(
            actor=request.user, request=request, channel="api", **serializer.validated_data
        )
        resident = self.get_queryset().get(pk=resident.pk)
        return Response(self.get_serializer(resident).data, status=status.HTTP_201_CREATED)


# --- Cases ---------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Cases of your district teams",
        description="Team members only; everyone else gets an empty list. Each case carries its "
        "resident's identity, so every resident in the response is written to the audit log.",
    ),
    retrieve=extend_schema(
        summary="One case, by pseudonym",
        description="Team members only (404 otherwise); the read is written to the audit log.",
    ),
    create=extend_schema(
        summary="Open a case",
        description="Give `resident_id` to open a case for a resident already registered, or "
        "`resident` (the fields of POST /residents/) to register the resident and open the "
        "case in one go.",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer},
    ),
)
class CaseViewSet(
    ApiErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.CaseSerializer
    permission_classes = [IsAuthenticated, TeamMemberMayCreate]
    lookup_field = "pseudonym"
    lookup_value_regex = r"C-[0-9A-Za-z]{6}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        questions = Question.objects.only(
            "pk", "case_id", "title", "status", "urgency", "last_activity_at"
        ).order_by("-last_activity_at", "-pk")
        return (
            cases_visible_to(user=self.request.user)
            .select_related("resident", "owner")
            .prefetch_related(Prefetch("questions", queryset=questions))
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return s.CaseCreateSerializer if self.action == "create" else s.CaseSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        _audit_identity(request, ((case.resident, case) for case in page))
        return self.get_paginated_response(s.CaseSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        _audit_identity(request, [(case.resident, case)])
        return Response(s.CaseSerializer(case).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            if "resident" in data:
                resident = resident_register(
                    actor=request.user, request=request, channel="api", **data["resident"]
                )
                registered_now = True
            else:
                resident, registered_now = data["resident_id"], False
            case = case_open(actor=request.user, resident=resident, request=request, channel="api")
        case = self.get_queryset().get(pk=case.pk)
        if not registered_now:
            # The answer shows the identity of a resident the caller did not send: a read.
            _audit_identity(request, [(case.resident, case)])
        return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED)


# --- Questions -----------------------------------------------------------------------------------
QUESTION_RESPONSE = PolymorphicProxySerializer(
    component_name="Question",
    serializers=[s.QuestionTeamSerializer, s.QuestionExpertSerializer],
    resource_type_field_name=None,
    many=False,
)
QUESTION_LIST_RESPONSE = PolymorphicProxySerializer(
    component_name="QuestionListItem",
    serializers=[s.QuestionTeamSerializer, s.QuestionExpertSerializer],
    resource_type_field_name=None,
)
QUESTION_DESCRIPTION = (
    "Members of the asking team get QuestionForTeam; everyone else who may see the question "
    "(experts) gets QuestionForExpert, which has no resident field at all: the case pseudonym, "
    "an age band and the household composition only."
)
BAD_REQUEST = OpenApiResponse(description="Field errors: {field: [message, …]}.")
PRIVACY_OR_BAD_REQUEST = OpenApiResponse(
    response=s.PrivacyErrorSerializer,
    description="The privacy check found text that may identify the resident "
    '({"privacy": {field: [{kind, label, text}]}}), or field errors.',
)


@extend_schema_view(
    list=extend_schema(
        summary="Questions you may see",
        description="Your teams' questions and, as an expert, the questions open or assigned to "
        "you. " + QUESTION_DESCRIPTION,
        parameters=[s.QuestionFilterSerializer],
        responses={200: QUESTION_LIST_RESPONSE, 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One question",
        description=QUESTION_DESCRIPTION,
        responses={200: QUESTION_RESPONSE},
    ),
    create=extend_schema(
        summary="Save a draft question (team members)",
        description="Nothing leaves the team until the question is submitted. `pool` may be "
        "left out when one expert pool serves the team.",
        request=s.QuestionWriteSerializer,
        responses={201: s.QuestionTeamSerializer, 400: BAD_REQUEST},
    ),
    partial_update=extend_schema(
        summary="Change a draft question (team members)",
        request=s.QuestionUpdateSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST},
    ),
)
class QuestionViewSet(
    ApiErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, TeamMemberMayCreate]
    serializer_class = s.QuestionExpertSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        experts = QuestionExpert.objects.select_related("expert__expert_profile").order_by(
            "created_at", "pk"
        )
        return (
            with_case_profile(questions_visible_to(user=self.request.user))
            .select_related("pool", "asked_by", "case")
            .prefetch_related(
                Prefetch("life_domains", queryset=LifeDomain.objects.only("pk", "name", "order")),
                Prefetch("target_groups", queryset=TargetGroup.objects.only("pk", "name")),
                Prefetch("experts", queryset=experts),
            )
            .order_by("-last_activity_at", "-pk")
        )

    # -- serializer per object: the team gets the team serializer, everyone else the expert one
    def _team_ids(self) -> set[int]:
        if not hasattr(self, "_cached_team_ids"):
            self._cached_team_ids = set(
                team_ids_of(user=self.request.user).values_list("team_id", flat=True)
            )
        return self._cached_team_ids

    def _is_team_member(self, question: Question) -> bool:
        return question.team_id in self._team_ids()

    def _represent(self, question: Question) -> dict:
        serializer_class = (
            s.QuestionTeamSerializer
            if self._is_team_member(question)
            else s.QuestionExpertSerializer
        )
        return serializer_class(question, context=self.get_serializer_context()).data

    def _fresh(self, question: Question) -> dict:
        """Reload through the scoped queryset (status, experts and annotations current)."""
        return self._represent(self.get_queryset().get(pk=question.pk))

    # -- reads
    def list(self, request, *args, **kwargs):
        filters = s.QuestionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset().filter(**filters.validated_data)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([self._represent(q) for q in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self._represent(self.get_object()))

    # -- the asking team
    def create(self, request, *args, **kwargs):
        serializer = s.QuestionWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        question = services.question_create(
            actor=request.user,
            case=data["case"],
            pool=data["pool"],
            data=_question_input(data),
            life_domains=data.get("life_domains", ()),
            target_groups=data.get("target_groups", ()),
        )
        return Response(self._fresh(question), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        question = self.get_object()
        serializer = s.QuestionUpdateSerializer(
            question, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {
            field: getattr(question, field)
            for field in ("title", "situation", "tried", "question", "urgency", "help_form")
        }
        question = services.question_update_draft(
            actor=request.user,
            question=question,
            data=_question_input({**current, **data}),
            pool=data.get("pool", question.pool),
            life_domains=data.get("life_domains", question.life_domains.all()),
            target_groups=data.get("target_groups", question.target_groups.all()),
        )
        return Response(self._fresh(question))

    @extend_schema(
        summary="Submit a draft to the expert pool",
        description="Runs the privacy check on the texts first: when it finds something that may "
        "identify the resident, the answer is a 400 listing the findings per field; edit the "
        "draft, or submit again with privacy_confirmed: true.",
        request=s.SubmitSerializer,
        responses={200: s.QuestionTeamSerializer, 400: PRIVACY_OR_BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.SubmitSerializer, request)
        self.privacy_may_echo_text = self._is_team_member(question)
        question = services.question_submit(
            actor=request.user, question=question, privacy_confirmed=body["privacy_confirmed"]
        )
        return Response(self._fresh(question))

    @extend_schema(
        summary="Reply to a clarification request, or add a follow-up",
        description="Runs the privacy check like submit.",
        request=s.ReplySerializer,
        responses={201: s.MessageSerializer, 400: PRIVACY_OR_BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.ReplySerializer, request)
        self.privacy_may_echo_text = self._is_team_member(question)
        message = services.question_reply(
            actor=request.user,
            question=question,
            body=body["body"],
            privacy_confirmed=body["privacy_confirmed"],
        )
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close with the close-out feedback (the asking team only)",
        description="`ratings` maps each advice's message id to its usefulness, 1 to 5.",
        request=s.CloseSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.CloseSerializer, request)
        services.question_close(actor=request.user, question=question, **body)
        return Response(self._fresh(question))

    @extend_schema(
        summary="Reopen a closed question (the asking team only)",
        request=s.ReasonSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.ReasonSerializer, request)
        services.question_reopen(actor=request.user, question=question, reason=body["reason"])
        return Response(self._fresh(question))

    @extend_schema(
        summary="Withdraw the question (the asking team only)",
        request=s.ReasonSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.ReasonSerializer, request)
        services.question_withdraw(actor=request.user, question=question, reason=body["reason"])
        return Response(self._fresh(question))

    # -- experts
    @extend_schema(
        summary="Pick the question up (experts)",
        description="Others in the pool see who is on it.",
        request=None,
        responses={200: QUESTION_RESPONSE, 400: BAD_REQUEST},
    )
    @action(detail=True, methods=["post"], url_path="pick-up")
    def pick_up(self, request, pk=None):
        question = self.get_object()
        services.question_pick_up(actor=request.user, question=question)
        return Response(self._fresh(question))

    @extend_schema(
        summary="Give advice (experts)",
        request=s.MessageBodySerializer,
        responses={201: s.MessageSerializer, 400: BAD_REQUEST},
    )
    @action(detail=True, methods=["post"])
    def advise(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.MessageBodySerializer, request)
        message = services.question_advise(actor=request.user, question=question, body=body["body"])
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ask the generalist for clarification (experts)",
        request=s.MessageBodySerializer,
        responses={201: s.MessageSerializer, 400: BAD_REQUEST},
    )
    @action(detail=True, methods=["post"], url_path="request-clarification")
    def request_clarification(self, request, pk=None):
        question = self.get_object()
        body = _valid(s.MessageBodySerializer, request)
        message = services.question_request_clarification(
            actor=request.user, question=question, body=body["body"]
        )
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    # -- the thread
    @extend_schema(
        summary="The question's thread",
        description="Advice, clarification requests, replies and follow-ups, oldest first.",
        request=None,
        responses={200: s.MessageSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def messages(self, request, pk=None):
        question = self.get_object()
        messages = (
            Message.objects.filter(question=question)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        page = self.paginate_queryset(messages)
        return self.get_paginated_response(s.MessageSerializer(page, many=True).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _question_input(data: dict) -> QuestionInput:
    return QuestionInput(
        title=data["title"],
        situation=data["situation"],
        tried=data.get("tried", ""),
        question=data["question"],
        urgency=data.get("urgency", Question.Urgency.NORMAL),
        help_form=data.get("help_form", Question.HelpForm.WRITTEN),
    )


# --- Notifications -------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Your in-app notifications",
        description="Newest first. They carry no case content: the kind and the pseudonym.",
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="Only notifications not yet read."
            )
        ],
    ),
)
class NotificationViewSet(ApiErrorsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        queryset = notifications_for(user=self.request.user)
        unread = self.request.query_params.get("unread", "").lower()
        if unread in ("1", "true", "yes"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(
        summary="Mark notifications as read",
        request=s.MarkReadSerializer,
        responses={200: s.MarkedSerializer, 400: BAD_REQUEST},
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        body = _valid(s.MarkReadSerializer, request)
        marked = services.notifications_mark_read(user=request.user, ids=body.get("ids"))
        return Response({"marked": marked})
