"""An expert's own availability: the weekly dagdelen and the absences (issue 11).

Own only. There is no endpoint that reads someone else's availability: who can come when is
for the planning of sessions (expertise.availability), which answers in moments and reasons,
never with another expert's absences or notes. For someone who is not an expert the endpoints
do not exist (404, DESIGN §4.2); an absence of someone else is a 404, like anything outside
one's scope.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from api.idempotency import KEY_REUSED, idempotent
from api.views.common import ApiViewMixin, valid
from api.views.questions import BAD_REQUEST
from expertise import services
from expertise.availability import DAGDEEL_TIMES, dagdeel_label, weekly_slots_of
from expertise.models import Absence, Dagdeel, ExpertProfile, Weekday


def _own_profile(request) -> ExpertProfile | None:
    if not hasattr(request, "_own_expert_profile"):
        request._own_expert_profile = ExpertProfile.objects.filter(
            user=request.user, is_active=True
        ).first()
    return request._own_expert_profile


class IsExpert(BasePermission):
    """An expert's own availability: for anyone else the endpoint does not exist (a 404, never
    a 403: DESIGN §4.2, as the role-gated pages). Anonymous callers are refused before this."""

    def has_permission(self, request, view) -> bool:
        if not _own_profile(request):
            raise NotFound
        return True


# --- Serializers ---------------------------------------------------------------------------------
class SlotSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(
        choices=Weekday.choices, help_text="0 is Monday, 6 is Sunday."
    )
    dagdeel = serializers.ChoiceField(choices=Dagdeel.choices)
    name = serializers.SerializerMethodField(help_text='For example "dinsdagmiddag".')
    starts = serializers.SerializerMethodField(help_text="When a session in it would start.")
    ends = serializers.SerializerMethodField(help_text="When a session in it would end.")

    def get_name(self, slot) -> str:
        return dagdeel_label(slot["weekday"], slot["dagdeel"])

    def get_starts(self, slot) -> str:
        return DAGDEEL_TIMES[slot["dagdeel"]][0].strftime("%H:%M")

    def get_ends(self, slot) -> str:
        return DAGDEEL_TIMES[slot["dagdeel"]][1].strftime("%H:%M")


class WeeklyAvailabilitySerializer(serializers.Serializer):
    slots = SlotSerializer(many=True, help_text="The dagdelen you are available each week.")


class AbsenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "starts_on", "ends_on", "kind", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "ends_on": {"help_text": "The last day away, included."},
            "note": {"help_text": "For yourself only: nobody else sees it."},
        }


def _slots(expert: ExpertProfile) -> list[dict]:
    return [
        {"weekday": weekday, "dagdeel": dagdeel}
        for weekday, dagdeel in sorted(
            weekly_slots_of(expert=expert),
            key=lambda slot: (slot[0], list(DAGDEEL_TIMES).index(slot[1])),
        )
    ]


# --- Views -----------------------------------------------------------------------------------
class OwnAvailabilityView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = WeeklyAvailabilitySerializer
    permission_classes = [IsAuthenticated, IsExpert]

    @extend_schema(
        summary="Your weekly availability",
        description="The dagdelen (morning, afternoon, evening per weekday) you keep free for "
        "consultation sessions. Experts only.",
        responses={200: WeeklyAvailabilitySerializer},
    )
    def get(self, request):
        return Response(self.get_serializer({"slots": _slots(_own_profile(request))}).data)

    @extend_schema(
        summary="Set your weekly availability",
        description="Replaces the whole week: what is not in `slots` is no longer available. "
        "Sending the same week again changes nothing.",
        request=WeeklyAvailabilitySerializer,
        responses={200: WeeklyAvailabilitySerializer, 400: BAD_REQUEST},
    )
    def put(self, request):
        body = valid(WeeklyAvailabilitySerializer, request)
        expert = _own_profile(request)
        services.weekly_availability_set(
            expert=expert, slots=[(slot["weekday"], slot["dagdeel"]) for slot in body["slots"]]
        )
        return Response(self.get_serializer({"slots": _slots(expert)}).data)


def absence_created(view: AbsenceViewSet, pk: int) -> Response:
    absence = view.get_queryset().get(pk=pk)
    return Response(AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Your absences",
        description="Current and coming ones, soonest first; with `past=true` also the ones "
        "that are over. Experts only.",
        parameters=[
            OpenApiParameter("past", OpenApiTypes.BOOL, description="Also absences that are over.")
        ],
    ),
    retrieve=extend_schema(summary="One of your absences"),
    create=extend_schema(
        summary="Add an absence",
        description="From `starts_on` to `ends_on`, both included. It may have begun, not be "
        "over; it may not overlap another of yours. Whoever plans a session sees that you are "
        "away and until when, never the note.",
        responses={201: AbsenceSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    ),
    destroy=extend_schema(summary="Remove one of your absences"),
)
class AbsenceViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AbsenceSerializer
    permission_classes = [IsAuthenticated, IsExpert]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Absence.objects.none()
        # The caller's own, and nothing else: someone else's absence is a 404.
        queryset = Absence.objects.filter(expert=_own_profile(self.request))
        if self.action == "list" and self.request.query_params.get("past", "").lower() not in (
            "1",
            "true",
            "yes",
        ):
            queryset = queryset.filter(ends_on__gte=timezone.localdate())
        return queryset.order_by("starts_on", "ends_on", "pk")

    @idempotent(respond=absence_created)
    def create(self, request, *args, **kwargs):
        body = valid(AbsenceSerializer, request)
        return services.absence_add(
            expert=_own_profile(request),
            starts_on=body["starts_on"],
            ends_on=body["ends_on"],
            kind=body["kind"],
            note=body.get("note", ""),
        )

    def perform_destroy(self, instance):
        services.absence_remove(expert=_own_profile(self.request), absence=instance)
