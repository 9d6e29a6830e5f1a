"""In-app notifications: the kind and the pseudonym, never case content."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api import serializers as s
from api.views.common import ApiViewMixin, valid
from api.views.questions import BAD_REQUEST
from consultation import services
from consultation.models import Notification
from consultation.selectors import notifications_for


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
class NotificationViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
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
        body = valid(s.MarkReadSerializer, request)
        marked = services.notifications_mark_read(user=request.user, ids=body.get("ids"))
        return Response({"marked": marked})
