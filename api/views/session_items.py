"""The sessions API, continued: agenda items and one's own invitations (api.views.sessions)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api import session_serializers as s
from api.idempotency import KEY_REUSED, idempotent
from api.views.common import ApiViewMixin, valid, valid_query
from api.views.questions import BAD_REQUEST
from api.views.sessions import (  # noqa: F401
    FORBIDDEN,
    NOT_A_PLANNER,
    NOT_FOUND,
    item_as_seen,
    item_created,
    item_now,
    signed_in,
)
from meetings.models import AgendaItem, Invitation, Session
from meetings.selectors import (
    invitations_for,
    sessions_visible_to,
)
from meetings.services.agenda import agenda_remove, invitation_respond
from meetings.services.outcomes import item_carry_over, outcome_record


@extend_schema_view(
    remove=extend_schema(
        summary="Take a question off the agenda (planners)",
        description="Before it is discussed. A triage pool's question goes back to the triage "
        "queue; an expertise team's waits for the next session with room.",
    ),
    outcome=extend_schema(
        summary="Record the outcome: the advice agreed (planners)",
        description="Once the session has started. The advice is posted on the question as "
        "advice from the session and the generalist is notified; a second request returns "
        "the first outcome.",
    ),
    carry_over=extend_schema(
        summary="Carry the question over to the next session with room (planners)",
    ),
)
class AgendaItemViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """The writes on one agenda item; the agenda itself is read per session."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.AgendaItemSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[AgendaItem]:
        if getattr(self, "swagger_fake_view", False):
            return AgendaItem.objects.none()
        # The items of the sessions the caller sees (404 otherwise); the services check that
        # they plan it (403), the answer shows the question only if they may read it.
        visible = sessions_visible_to(user=signed_in(self.request))
        return AgendaItem.objects.filter(session__in=visible)

    @extend_schema(
        request=None,
        responses={
            200: s.AgendaItemSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=item_now)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        return agenda_remove(actor=request.user, item=self.get_object())

    @extend_schema(
        request=s.OutcomeRecordSerializer,
        responses={
            200: s.AgendaItemSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=item_now)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        item = self.get_object()
        body = valid(s.OutcomeRecordSerializer, request)
        return outcome_record(
            actor=request.user,
            item=item,
            advice=body["advice"],
            participants=body["participants"],
        )

    @extend_schema(
        request=None,
        responses={
            200: s.AgendaItemSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=item_now)
    @action(detail=True, methods=["post"], url_path="carry-over")
    def carry_over(self, request, pk=None):
        return item_carry_over(actor=request.user, item=self.get_object())


def invitation_now(view: InvitationViewSet, pk: int) -> Response:
    return Response(s.MyInvitationListSerializer(view.get_queryset().get(pk=pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Your own invitations to sessions",
        description="The latest session first.",
        parameters=[s.InvitationFilterSerializer],
        responses={200: s.MyInvitationListSerializer(many=True), 400: BAD_REQUEST},
    ),
)
class InvitationViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.MyInvitationListSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Invitation]:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        # One's own only: someone else's invitation is a 404.
        return invitations_for(user=signed_in(self.request))

    def list(self, request, *args, **kwargs):
        filters = valid_query(s.InvitationFilterSerializer, request)
        invitations = self.get_queryset()
        if filters["upcoming"]:
            invitations = invitations.filter(
                session__status=Session.Status.PLANNED, session__ends_at__gte=timezone.now()
            ).order_by("session__starts_at", "pk")
        page = self.paginate_queryset(invitations)
        return self.get_paginated_response(s.MyInvitationListSerializer(page, many=True).data)

    @extend_schema(
        summary="Say whether you come",
        description="Your own invitation only; a second answer replaces the first.",
        request=s.RespondSerializer,
        responses={200: s.MyInvitationListSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    )
    @idempotent(respond=invitation_now)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        invitation = self.get_object()
        body = valid(s.RespondSerializer, request)
        return invitation_respond(
            user=request.user, invitation=invitation, response=body["response"]
        )
