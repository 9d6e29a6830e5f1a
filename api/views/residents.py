"""Residents and cases: for members of the owning team only; every identity read is audited."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api import serializers as s
from api.idempotency import KEY_REUSED, idempotent
from api.permissions import TeamMemberMayCreate
from api.views.common import AUDIT_CHANNEL, ApiViewMixin, audit_identity
from api.views.questions import BAD_REQUEST
from consultation.models import Question
from wijkteam.models import Case, Resident
from wijkteam.selectors import case_list, cases_visible_to, residents_visible_to
from wijkteam.services import case_open, case_open_with_resident, resident_register


# The answer to a registration, for the first request and a repeat with the same
# Idempotency-Key alike (api.idempotency): from the rows as the caller may see them now.
def resident_created(view: ResidentViewSet, pk: int) -> Response:
    # resident_register wrote the "created" audit event; the answer only echoes what the
    # caller sent (a repeat sent the same), so there is no identity read to record.
    resident = view.get_queryset().get(pk=pk)
    return Response(view.get_serializer(resident).data, status=status.HTTP_201_CREATED)


def case_created(view: CaseViewSet, pk: int) -> Response:
    case = view.get_queryset().get(pk=pk)
    if "resident" not in view.request.data:
        # The answer shows the identity of a resident the caller did not send: a read.
        audit_identity(view.request, [(case.resident, case)])
    return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED)


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
        responses={201: s.ResidentSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    ),
)
class ResidentViewSet(
    ApiViewMixin,
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
        audit_identity(request, ((resident, None) for resident in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        resident = self.get_object()
        audit_identity(request, [(resident, None)])
        return Response(self.get_serializer(resident).data)

    @idempotent(respond=resident_created)
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return resident_register(
            actor=request.user, request=request, channel=AUDIT_CHANNEL, **serializer.validated_data
        )


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
        responses={201: s.CaseSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    ),
)
class CaseViewSet(
    ApiViewMixin,
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
        page = self.paginate_queryset(case_list(user=request.user, rows=self.get_queryset()))
        audit_identity(request, ((case.resident, case) for case in page))
        return self.get_paginated_response(s.CaseSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        audit_identity(request, [(case.resident, case)])
        return Response(s.CaseSerializer(case).data)

    @idempotent(respond=case_created)
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "resident" in data:
            return case_open_with_resident(
                actor=request.user, request=request, channel=AUDIT_CHANNEL, **data["resident"]
            )
        return case_open(
            actor=request.user, resident=data["resident_id"], request=request, channel=AUDIT_CHANNEL
        )
