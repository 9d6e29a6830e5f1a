"""Questions and their actions. The asking team gets QuestionForTeam, everyone else who may
see the question (experts) QuestionForExpert, which has no resident field at all."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from api import serializers as s
from api.idempotency import KEY_REUSED, idempotent
from api.permissions import TeamMemberMayCreate
from api.views.common import ApiViewMixin, valid
from consultation import services
from consultation.feedback import ratings_of_own_advice
from consultation.models import Message, Question
from consultation.selectors import (
    keys_read,
    question_prefetches,
    questions_visible_to,
    visible_question_list,
    with_case_profile,
)
from consultation.services import QuestionInput
from wijkteam.selectors import team_ids_of

# One of two representations, told apart by `audience` (a discriminator): each answer matches
# exactly one of the oneOf's schemas.
QUESTION_KINDS: dict[str, Serializer | type[Serializer]] = {
    "team": s.QuestionTeamSerializer,
    "expert": s.QuestionExpertSerializer,
}
QUESTION_RESPONSE = PolymorphicProxySerializer(
    component_name="Question",
    serializers=QUESTION_KINDS,
    resource_type_field_name="audience",
    many=False,
)
QUESTION_LIST_RESPONSE = PolymorphicProxySerializer(
    component_name="QuestionListItem",
    serializers=QUESTION_KINDS,
    resource_type_field_name="audience",
)
QUESTION_DESCRIPTION = (
    "Members of the asking team get QuestionForTeam (`audience: team`); everyone else who may "
    "see the question (experts) gets QuestionForExpert (`audience: expert`), which has no "
    "resident field at all: the case pseudonym, an age band and the household composition only."
)
BAD_REQUEST = OpenApiResponse(description="Field errors: {field: [message, …]}.")
PRIVACY_OR_BAD_REQUEST = OpenApiResponse(
    response=s.PrivacyErrorSerializer,
    description="The privacy check found text that may identify the resident "
    '({"privacy": {field: [{kind, label, text}]}}), or field errors.',
)


# How a write answers, from the object as the caller may see it now: the same for the first
# request and for a repeat with the same Idempotency-Key (api.idempotency).
def question_now(view: QuestionViewSet, pk: int) -> Response:
    return Response(view._represent(view.get_queryset().get(pk=pk)))


def question_created(view: QuestionViewSet, pk: int) -> Response:
    return Response(view._represent(view.get_queryset().get(pk=pk)), status=status.HTTP_201_CREATED)


def message_created(view: QuestionViewSet, pk: int) -> Response:
    visible = questions_visible_to(user=view.request.user).values("pk")
    message = Message.objects.select_related("author").get(pk=pk, question__in=visible)
    return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


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
        responses={201: s.QuestionTeamSerializer, 400: PRIVACY_OR_BAD_REQUEST, 422: KEY_REUSED},
    ),
    partial_update=extend_schema(
        summary="Change a draft question (team members)",
        request=s.QuestionUpdateSerializer,
        responses={200: s.QuestionTeamSerializer, 400: PRIVACY_OR_BAD_REQUEST},
    ),
)
class QuestionViewSet(
    ApiViewMixin,
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
        user = self.request.user
        return (
            with_case_profile(questions_visible_to(user=user))
            .select_related("pool", "asked_by", "case")
            .prefetch_related(*question_prefetches())
            # QuestionForExpert's my_ratings: a subquery per row of the page, no query more.
            .annotate(my_ratings=ratings_of_own_advice(user=user, question_ref="pk"))
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
        return self._represent_page([question])[0]

    def _represent_page(self, questions: list[Question]) -> list[dict]:
        """Each question with the serializer its reader gets, in the page's order. One list
        serializer per kind: DRF builds a serializer's fields per instance, which for a page of
        25 single serializers was half of the request."""
        context = self.get_serializer_context()
        kinds = [self._is_team_member(question) for question in questions]
        represented: dict[bool, list] = {}
        for team, serializer_class in (
            (True, s.QuestionTeamSerializer),
            (False, s.QuestionExpertSerializer),
        ):
            chosen = [q for q, kind in zip(questions, kinds, strict=True) if kind is team]
            rows = list(serializer_class(chosen, many=True, context=context).data) if chosen else []
            represented[team] = rows[::-1]
        return [represented[kind].pop() for kind in kinds]

    def _fresh(self, question: Question) -> dict:
        """Reload through the scoped queryset (status, experts and annotations current)."""
        return self._represent(self.get_queryset().get(pk=question.pk))

    # -- reads
    def list(self, request, *args, **kwargs):
        filters = s.QuestionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        # Read as the union of the ways a question is visible (one index per way), not as one
        # OR over every question: consultation.selectors.visible_question_list.
        keys = keys_read(user=request.user)
        self._cached_team_ids = set(keys.teams)  # which serializer: _is_team_member
        questions = visible_question_list(user=request.user, rows=self.get_queryset(), keys=keys)
        page = self.paginate_queryset(questions.filter(**filters.validated_data))
        return self.get_paginated_response(self._represent_page(page))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._represent(self.get_object()))

    # -- the asking team
    @idempotent(respond=question_created)
    def create(self, request, *args, **kwargs):
        serializer = s.QuestionWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Only the case's own team gets past the membership check to the guard's findings.
        self.privacy_may_echo_text = True
        question = services.question_create(
            actor=request.user,
            case=data["case"],
            pool=data.get("pool"),
            data=QuestionInput.of(data),
            life_domains=data.get("life_domains", ()),
            target_groups=data.get("target_groups", ()),
            privacy_confirmed=data["privacy_confirmed"],
        )
        return question

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
        self.privacy_may_echo_text = self._is_team_member(question)
        question = services.question_update_draft(
            actor=request.user,
            question=question,
            privacy_confirmed=data.get("privacy_confirmed", False),
            data=QuestionInput.of({**current, **data}),
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
        responses={200: s.QuestionTeamSerializer, 400: PRIVACY_OR_BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        question = self.get_object()
        body = valid(s.SubmitSerializer, request)
        self.privacy_may_echo_text = self._is_team_member(question)
        return services.question_submit(
            actor=request.user, question=question, privacy_confirmed=body["privacy_confirmed"]
        )

    @extend_schema(
        summary="Reply to a clarification request, or add a follow-up",
        description="Runs the privacy check like submit.",
        request=s.ReplySerializer,
        responses={201: s.MessageSerializer, 400: PRIVACY_OR_BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=message_created)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        question = self.get_object()
        body = valid(s.ReplySerializer, request)
        self.privacy_may_echo_text = self._is_team_member(question)
        return services.question_reply(
            actor=request.user,
            question=question,
            body=body["body"],
            privacy_confirmed=body["privacy_confirmed"],
        )

    @extend_schema(
        summary="Close with the close-out feedback (the asking team only)",
        description="`ratings` maps each advice's message id to its usefulness, 1 to 5.",
        request=s.CloseSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        question = self.get_object()
        body = valid(s.CloseSerializer, request)
        services.question_close(actor=request.user, question=question, **body)
        return question

    @extend_schema(
        summary="Reopen a closed question (the asking team only)",
        request=s.ReasonSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        question = self.get_object()
        body = valid(s.ReasonSerializer, request)
        services.question_reopen(actor=request.user, question=question, reason=body["reason"])
        return question

    @extend_schema(
        summary="Withdraw the question (the asking team only)",
        request=s.ReasonSerializer,
        responses={200: s.QuestionTeamSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        question = self.get_object()
        body = valid(s.ReasonSerializer, request)
        services.question_withdraw(actor=request.user, question=question, reason=body["reason"])
        return question

    # -- experts
    @extend_schema(
        summary="Pick the question up (experts)",
        description="Others in the pool see who is on it.",
        request=None,
        responses={200: QUESTION_RESPONSE, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"], url_path="pick-up")
    def pick_up(self, request, pk=None):
        question = self.get_object()
        services.question_pick_up(actor=request.user, question=question)
        return question

    @extend_schema(
        summary="Give advice (experts)",
        request=s.MessageBodySerializer,
        responses={201: s.MessageSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=message_created)
    @action(detail=True, methods=["post"])
    def advise(self, request, pk=None):
        question = self.get_object()
        body = valid(s.MessageBodySerializer, request)
        return services.question_advise(actor=request.user, question=question, body=body["body"])

    @extend_schema(
        summary="Ask the generalist for clarification (experts)",
        request=s.MessageBodySerializer,
        responses={201: s.MessageSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=message_created)
    @action(detail=True, methods=["post"], url_path="request-clarification")
    def request_clarification(self, request, pk=None):
        question = self.get_object()
        body = valid(s.MessageBodySerializer, request)
        return services.question_request_clarification(
            actor=request.user, question=question, body=body["body"]
        )

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
