"""Triage over the API (DESIGN §3, model 3): the queue of the worker's own pools, claims, and
each decision, through triage.selectors and triage.services like the triage pages.

Scope: the questions of the pools the caller triages (consultation.selectors.triage_questions_q);
anyone else's question, a worker of another pool's included, is a 404. A decision on a question
you have not claimed is a 400 (the services' ValidationError), as is one that left triage.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api import serializers as qs
from api import triage_serializers as s
from api.idempotency import KEY_REUSED, idempotent
from api.views.common import ApiViewMixin, valid, valid_query
from api.views.questions import BAD_REQUEST
from consultation.models import Message, Question
from consultation.selectors import questions_visible_to, triage_questions_q, with_case_profile
from triage import services
from triage.selectors import (
    claimed_by,
    decorate,
    late_query,
    listed,
    queue_query,
    redirect_pools,
    suggest_experts,
    with_has_advice,
)

NOT_FOUND = OpenApiResponse(description="Not a question of a pool you triage.")
NOT_CLAIMED = OpenApiResponse(
    description="Field errors, or the question is not yours to decide on: claim it first "
    "(`non_field_errors`), or it no longer waits for triage."
)
QUEUE_EMPTY = OpenApiResponse(description="The queue is empty: nothing to claim.")


class QueueEmpty(exceptions.NotFound):
    default_detail = _("The queue is empty: nothing to claim.")
    default_code = "queue_empty"


def _decision_responses(ok_status: int, ok) -> dict:
    return {ok_status: ok, 400: NOT_CLAIMED, 404: NOT_FOUND, 422: KEY_REUSED}


# The answers of the writes, for the first request and a repeat with the same Idempotency-Key
# alike (api.idempotency): from the rows as the caller may see them now.
def question_now(view: TriageQuestionViewSet, pk: int) -> Response:
    return Response(view.represent(view.get_queryset().get(pk=pk)))


def message_created(view: TriageQuestionViewSet, pk: int) -> Response:
    visible = questions_visible_to(user=view.request.user).values("pk")
    message = Message.objects.select_related("author").get(pk=pk, question__in=visible)
    return Response(qs.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="The triage queue of your pools",
        description="Paged; a triage worker's own pools only (anyone else gets an empty "
        "list). Urgent questions first, then the least time left on the triage clock. Like "
        "an expert, triage sees the case pseudonym, an age band and the household "
        "composition, never the resident.",
        parameters=[s.QueueFilterSerializer],
        responses={200: s.TriageQuestionSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One question of your pools, as triage sees it",
        description="Also after a decision (it stays in your pools' scope).",
        responses={200: s.TriageQuestionSerializer, 404: NOT_FOUND},
    ),
)
class TriageQuestionViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated]
    serializer_class = s.TriageQuestionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Question]:
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        scoped = Question.objects.filter(triage_questions_q(user=self.request.user))
        return with_has_advice(with_case_profile(scoped)).select_related("pool", "case")

    def represent(self, question: Question) -> dict:
        (decorated,) = decorate([question])
        return s.TriageQuestionSerializer(decorated, context=self.get_serializer_context()).data

    # -- reads
    def list(self, request, *args, **kwargs):
        which = valid_query(s.QueueFilterSerializer, request)["list"]
        user, now = request.user, timezone.now()
        query = {
            "queue": lambda: queue_query(user=user),
            "mine": lambda: claimed_by(user=user),
            "late": lambda: late_query(user=user, now=now),
        }[which]()
        page = self.paginate_queryset(listed(query, user=user))
        rows = decorate(page, late=which == "late", now=now)
        context = self.get_serializer_context()
        return self.get_paginated_response(
            s.TriageQuestionSerializer(rows, many=True, context=context).data
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self.represent(self.get_object()))

    @extend_schema(
        summary="Experts suggested for the question",
        description="The experts of the question's pool, ranked by match on life domains and "
        "target groups, their open questions, hours left this month and availability, with "
        "the reasons.",
        responses={200: s.SuggestionSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def suggestions(self, request, pk=None):
        # At most eight (suggest_experts' limit): not a list that grows.
        suggestions = suggest_experts(question=self.get_object())
        return Response(s.SuggestionSerializer(suggestions, many=True).data)

    @extend_schema(
        summary="Where the question may be redirected",
        description="The other active expert pools that serve the question's team.",
        responses={200: qs.PoolSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="redirect-pools")
    def pools_to_redirect_to(self, request, pk=None):
        page = self.paginate_queryset(redirect_pools(question=self.get_object()))
        return self.get_paginated_response(qs.PoolSerializer(page, many=True).data)

    # -- claims
    @extend_schema(
        summary="Claim the next question of the queue",
        description="The most urgent unclaimed question of your pools; two workers asking at "
        "once never get the same one. A 404 when the queue is empty.",
        request=None,
        responses={200: s.TriageQuestionSerializer, 404: QUEUE_EMPTY, 422: KEY_REUSED},
    )
    @idempotent(respond=question_now)
    @action(detail=False, methods=["post"], url_path="claim-next")
    def claim_next(self, request):
        question = services.triage_claim_next(worker=request.user)
        if question is None:
            raise QueueEmpty()
        return question

    @extend_schema(
        summary="Claim the question",
        description="Someone else's live claim wins (400); an idle one is taken over.",
        request=None,
        responses=_decision_responses(200, s.TriageQuestionSerializer),
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        question = self.get_object()
        services.triage_claim(worker=request.user, question=question)
        return question

    @extend_schema(
        summary="Release your claim: the question goes back to the queue",
        request=None,
        responses=_decision_responses(200, s.TriageQuestionSerializer),
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        question = self.get_object()
        services.triage_release(worker=request.user, question=question)
        return question

    # -- decisions (each on a question you have claimed)
    @extend_schema(
        summary="Answer directly",
        description="Posted as advice; the question is answered and the generalist notified.",
        request=s.AnswerSerializer,
        responses=_decision_responses(201, qs.MessageSerializer),
    )
    @idempotent(respond=message_created)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        question = self.get_object()
        body = valid(s.AnswerSerializer, request)
        return services.triage_answer(
            worker=request.user, question=question, body=body["body"], reason=body["reason"]
        )

    @extend_schema(
        summary="Ask the generalist for clarification",
        description="Their reply returns the question to the queue at its original place.",
        request=s.ClarifySerializer,
        responses=_decision_responses(201, qs.MessageSerializer),
    )
    @idempotent(respond=message_created)
    @action(detail=True, methods=["post"], url_path="ask-clarification")
    def ask_clarification(self, request, pk=None):
        question = self.get_object()
        body = valid(s.ClarifySerializer, request)
        return services.triage_ask_clarification(
            worker=request.user, question=question, body=body["body"]
        )

    @extend_schema(
        summary="Sharpen what the experts will read",
        description="A new title and summary; the earlier version is kept for the generalist. "
        "You keep the claim.",
        request=s.SharpenSerializer,
        responses=_decision_responses(200, s.TriageQuestionSerializer),
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def sharpen(self, request, pk=None):
        question = self.get_object()
        body = valid(s.SharpenSerializer, request)
        return services.triage_sharpen(worker=request.user, question=question, **body)

    @extend_schema(
        summary="Assign to one or more experts of the pool",
        description="They are notified, and accept or decline.",
        request=s.AssignSerializer,
        responses=_decision_responses(200, s.TriageQuestionSerializer),
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        question = self.get_object()
        body = valid(s.AssignSerializer, request)
        services.triage_assign(
            worker=request.user, question=question, experts=body["experts"], reason=body["reason"]
        )
        return question

    @extend_schema(
        summary="A multidisciplinary session is needed",
        description="The question waits for a session of the pool (`scheduled`); plan one "
        "with POST /api/v1/sessions/.",
        request=s.PlanSessionSerializer,
        responses=_decision_responses(200, s.TriageQuestionSerializer),
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"], url_path="plan-session")
    def plan_session(self, request, pk=None):
        question = self.get_object()
        body = valid(s.PlanSessionSerializer, request)
        return services.triage_plan_session(
            worker=request.user, question=question, reason=body["reason"]
        )

    @extend_schema(
        summary="Redirect: regular care, another expert pool, or back to the GP",
        description="With a note for the generalist; to another pool, one of those serving the "
        "question's team (redirect-pools), which the generalist asks again with one click.",
        request=s.RedirectSerializer,
        responses=_decision_responses(200, s.TriageQuestionSerializer),
    )
    @idempotent(respond=question_now)
    @action(detail=True, methods=["post"])
    def redirect(self, request, pk=None):
        question = self.get_object()
        body = valid(s.RedirectSerializer, request)
        return services.triage_redirect(
            worker=request.user,
            question=question,
            target=body["target"],
            note=body["note"],
            pool=body["pool"],
        )
