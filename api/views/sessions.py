"""Sessions (expertiseoverleg / MDO), their agenda and invitations (issue 11).

Every session comes from meetings.selectors.sessions_visible_to (its planners, its invitees and
a team pool's experts; anyone else gets a 404), every agenda from agenda_for (only the items
whose question the reader may see), and every write goes through meetings.services: their
ValidationError is a 400 with field errors, their PermissionDenied (not a planner) a 403.
"""

from __future__ import annotations

from typing import cast

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from api import session_serializers as s
from api.idempotency import KEY_REUSED, idempotent
from api.views.common import ApiViewMixin, valid, valid_query
from api.views.questions import BAD_REQUEST
from meetings.models import AgendaItem, Invitation, Session
from meetings.selectors import (
    agenda_for,
    invitations_of,
    past,
    planned_pools,
    sessions_visible_to,
    upcoming,
    with_counts,
)
from meetings.services.agenda import agenda_add, invite_experts
from meetings.services.planning import (
    SessionInput,
    session_cancel,
    session_hold,
    session_move,
    session_plan,
)

FORBIDDEN = OpenApiResponse(
    description="You may see this session, but only its planners (the pool's triage workers "
    "and coordinators) do this."
)
NOT_A_PLANNER = OpenApiResponse(
    description="Only the triage workers and coordinators of the pool plan its sessions."
)
NOT_FOUND = OpenApiResponse(description="Not a session you may see (or no such session).")
SESSION_DESCRIPTION = (
    "A session's planners (the pool's triage workers and coordinators), whoever is invited to "
    "it and, for an expertise team, the pool's experts see it; for anyone else it does not "
    "exist (404). A session carries no case content: the agenda is its own endpoint."
)


class PlannerMayCreate(BasePermission):
    """Planning a session is for triage workers and coordinators; reads are scoped instead."""

    message = _("Only the pool's triage workers and coordinators plan sessions.")

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        return planned_pools(user=request.user).exists()


# The answers of the writes, for the first request and a repeat with the same Idempotency-Key
# alike (api.idempotency): from the rows as the caller may see them now.
def session_now(view: SessionViewSet, pk: int) -> Response:
    return Response(view.represent(view.get_queryset().get(pk=pk)))


def session_created(view: SessionViewSet, pk: int) -> Response:
    return Response(view.represent(view.get_queryset().get(pk=pk)), status=status.HTTP_201_CREATED)


def item_now(view, pk: int) -> Response:
    return Response(s.AgendaItemSerializer(item_as_seen(view.request.user, pk)).data)


def item_created(view, pk: int) -> Response:
    response = item_now(view, pk)
    response.status_code = status.HTTP_201_CREATED
    return response


def signed_in(request) -> User:
    """The caller (IsAuthenticated let only a signed-in user through)."""
    return cast(User, request.user)


def item_as_seen(user, pk: int) -> AgendaItem:
    """The agenda item as `user` may read it: through agenda_for (with its question) when they
    may read the question, else only its bare row (a planner's write on a question they do
    not see: no title, no pseudonym). A 404 when its session is not one they see."""
    item = AgendaItem.objects.select_related("session").get(
        pk=pk, session__in=sessions_visible_to(user=user)
    )
    for seen in agenda_for(session=item.session, user=user):
        if seen.pk == item.pk:
            seen.question_visible = True  # type: ignore[attr-defined]
            return seen
    return item


@extend_schema_view(
    list=extend_schema(
        summary="Sessions you may see",
        description=SESSION_DESCRIPTION,
        parameters=[s.SessionFilterSerializer],
        responses={200: s.SessionSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One session",
        description=SESSION_DESCRIPTION,
        responses={200: s.SessionSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Plan a session (triage workers and coordinators)",
        description="A session of a pool you plan, with the questions on its agenda and the "
        "experts invited; the asking generalists of the questions are invited too, and the "
        "invited experts may read the agenda's questions from now on. Someone who plans no "
        "pool gets a 403, as does a planner for a pool they do not plan.",
        request=s.SessionCreateSerializer,
        responses={
            201: s.SessionSerializer,
            400: BAD_REQUEST,
            403: NOT_A_PLANNER,
            422: KEY_REUSED,
        },
    ),
)
class SessionViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, PlannerMayCreate]
    serializer_class = s.SessionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Session]:
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        user = signed_in(self.request)
        mine = Invitation.objects.filter(session=OuterRef("pk"), user=user)
        return (
            with_counts(sessions_visible_to(user=user))
            .select_related("pool", "planned_by")
            # The caller's own invitation: a subquery per column, no query per row.
            .annotate(
                my_invitation_id=Subquery(mine.values("pk")[:1]),
                my_invitation_role=Subquery(mine.values("role")[:1]),
                my_invitation_response=Subquery(mine.values("response")[:1]),
            )
            .order_by("-starts_at", "-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            if not hasattr(self, "_planned_pool_ids"):
                self._planned_pool_ids = set(
                    planned_pools(user=self.request.user).values_list("pk", flat=True)
                )
            context["planned_pool_ids"] = self._planned_pool_ids
        return context

    def represent(self, session: Session) -> dict:
        return s.SessionSerializer(session, context=self.get_serializer_context()).data

    def _session(self) -> Session:
        """The session of a detail route, as the caller may see it (404 otherwise)."""
        return self.get_object()

    # -- reads
    def list(self, request, *args, **kwargs):
        filters = valid_query(s.SessionFilterSerializer, request)
        sessions = self.get_queryset()
        if "pool" in filters:
            sessions = sessions.filter(pool_id=filters["pool"])
        if filters.get("when") == "upcoming":
            sessions = upcoming(sessions)
        elif filters.get("when") == "past":
            sessions = past(sessions)
        page = self.paginate_queryset(sessions)
        context = self.get_serializer_context()
        return self.get_paginated_response(
            s.SessionSerializer(page, many=True, context=context).data
        )

    # -- planning
    @idempotent(respond=session_created)
    def create(self, request, *args, **kwargs):
        serializer = s.SessionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return session_plan(
            planner=request.user,
            pool=data["pool"],
            data=SessionInput(
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                video_link=data["video_link"],
                capacity=data["capacity"],
            ),
            questions=data["questions"],
            experts=data["experts"],
            minutes=data["minutes"],
        )

    @extend_schema(
        summary="Move a session: another time or place (planners)",
        description="What is left out stays as it is. Every invitee gets an update (a higher "
        "calendar SEQUENCE); when the day changes they are asked again whether they come.",
        request=s.SessionMoveSerializer,
        responses={
            200: s.SessionSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=session_now)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        session = self._session()
        body = valid(s.SessionMoveSerializer, request)
        current = {
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "place": session.place,
            "video_link": session.video_link,
            "capacity": session.capacity,
        }
        return session_move(
            planner=request.user, session=session, data=SessionInput(**(current | body))
        )

    @extend_schema(
        summary="Cancel a session (planners)",
        description="Invitees get a cancellation. The questions on its agenda go to the next "
        "session with room (expertise team) or back to the triage queue (triage pool).",
        request=None,
        responses={
            200: s.SessionSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=session_now)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return session_cancel(planner=request.user, session=self._session())

    @extend_schema(
        summary="Mark a session as held (planners)",
        description="From its start on.",
        request=None,
        responses={
            200: s.SessionSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=session_now)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return session_hold(planner=request.user, session=self._session())

    @extend_schema(
        summary="Invite more experts (planners)",
        description="They get an invitation and may read the agenda's questions from now on.",
        request=s.InviteSerializer,
        responses={
            200: s.SessionSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=session_now)
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        session = self._session()
        body = valid(s.InviteSerializer, request)
        invite_experts(actor=request.user, session=session, experts=body["experts"])
        return session

    # -- the agenda
    @extend_schema(
        summary="The session's agenda, as far as you may read it",
        description="Only the items whose question you may see (invited experts and a team "
        "pool's experts read the agenda's questions; an asking generalist their own team's). "
        "Never anything of the resident: the question's id and title and the case pseudonym.",
        responses={200: s.AgendaItemSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def agenda(self, request, pk=None):
        items = agenda_for(session=self._session(), user=request.user)
        for item in items:
            item.question_visible = True
        page = self.paginate_queryset(items)
        return self.get_paginated_response(s.AgendaItemSerializer(page, many=True).data)

    @extend_schema(
        summary="Put a question on the agenda (planners)",
        description="A question of the session's pool that waits for a session; a second "
        "request for the same question changes nothing. Its asking generalist is invited.",
        request=s.AgendaAddSerializer,
        responses={
            201: s.AgendaItemSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: KEY_REUSED,
        },
    )
    @idempotent(respond=item_created)
    @agenda.mapping.post
    def add_to_agenda(self, request, pk=None):
        session = self._session()
        serializer = s.AgendaAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return agenda_add(
            actor=request.user, session=session, question=data["question"], minutes=data["minutes"]
        )

    @extend_schema(
        summary="Who is invited, and who comes",
        responses={200: s.InvitationSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def invitations(self, request, pk=None):
        page = self.paginate_queryset(invitations_of(session=self._session()))
        return self.get_paginated_response(s.InvitationSerializer(page, many=True).data)
