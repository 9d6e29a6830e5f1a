"""Time entries (urenregistratie, issue 11): an expert's own time per written advice and per
session attended, and the month's usage against each pool's cap.

Every entry comes from hours.selectors.entries_visible_to: an expert sees their own entries, a
pool's triage workers and coordinators the entries of that pool; for anyone else an entry does
not exist (404). Every write goes through hours.services: their ValidationError is a 400 with
field errors, their PermissionDenied a 403 — only ever on an entry the caller sees (a planner
confirming an expert's time, an expert approving their own).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api import hours_serializers as h
from api.idempotency import KEY_REUSED, idempotent
from api.views.common import ApiViewMixin, valid, valid_query
from api.views.questions import BAD_REQUEST
from api.views.sessions import signed_in
from hours.models import TimeEntry
from hours.selectors import entries_visible_to, month_of, usage_of, with_references
from hours.services import (
    time_entry_confirm,
    time_entry_correct,
    time_entry_decide,
    time_entry_decline,
    time_entry_register_advice,
)

NOT_FOUND = OpenApiResponse(description="Not a time entry you may see (or no such entry).")
NOT_YOURS = OpenApiResponse(
    description="You may see this entry (a planner of its pool), but only its expert does this."
)
NOT_AN_EXPERT = OpenApiResponse(
    description="Only experts register time (a coordinator's own written advice is not billed)."
)
NOT_A_PLANNER = OpenApiResponse(
    description="Only the pool's triage workers and coordinators approve time, never their own."
)
ENTRY_DESCRIPTION = (
    "An expert sees their own entries; a pool's triage workers and coordinators also see the "
    "entries of that pool (to approve and export them); for anyone else an entry does not "
    "exist (404). An entry names its question by id and case pseudonym only. Your usage this "
    "month against each pool's cap is /api/v1/time-usage/."
)


def _write_responses(ok: int = 200, forbidden: OpenApiResponse = NOT_YOURS) -> dict:
    return {
        ok: h.TimeEntrySerializer,
        400: BAD_REQUEST,
        403: forbidden,
        404: NOT_FOUND,
        422: KEY_REUSED,
    }


# The answers of the writes, for the first request and a repeat with the same Idempotency-Key
# alike (api.idempotency): from the row as the caller may see it now.
def entry_now(view: TimeEntryViewSet, pk: int) -> Response:
    return Response(h.TimeEntrySerializer(view.get_queryset().get(pk=pk)).data)


def entry_created(view: TimeEntryViewSet, pk: int) -> Response:
    response = entry_now(view, pk)
    response.status_code = status.HTTP_201_CREATED
    return response


@extend_schema_view(
    list=extend_schema(
        summary="Time entries you may see",
        description=ENTRY_DESCRIPTION + " The latest day first.",
        parameters=[h.TimeEntryFilterSerializer],
        responses={200: h.TimeEntrySerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One time entry",
        description=ENTRY_DESCRIPTION,
        responses={200: h.TimeEntrySerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Register the time a written advice took (experts)",
        description="Once per advice: a second registration of the same advice returns the "
        "first entry, its minutes unchanged. Within the pool's monthly cap (exactly reaching "
        "it included) the entry is confirmed; beyond it, it awaits approval by the pool's "
        "triage workers or coordinators. Only your own advice: another message id is a 400.",
        request=h.AdviceTimeSerializer,
        responses={
            201: h.TimeEntrySerializer,
            400: BAD_REQUEST,
            403: NOT_AN_EXPERT,
            422: KEY_REUSED,
        },
    ),
)
class TimeEntryViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated]
    serializer_class = h.TimeEntrySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[TimeEntry]:
        if getattr(self, "swagger_fake_view", False):
            return TimeEntry.objects.none()
        # The one chokepoint; the references of a row (pool, care provider, question and case,
        # session, expert, decider) in the page's one query.
        visible = entries_visible_to(user=signed_in(self.request))
        return with_references(visible).select_related("decided_by").order_by("-date", "-pk")

    def _entry(self) -> TimeEntry:
        """The entry of a detail route, as the caller may see it (404 otherwise)."""
        return self.get_object()

    # -- reads
    def list(self, request, *args, **kwargs):
        filters = valid_query(h.TimeEntryFilterSerializer, request)
        entries = self.get_queryset()
        if "pool" in filters:
            entries = entries.filter(pool_id=filters["pool"])
        if "month" in filters:
            first, after = month_of(filters["month"])
            entries = entries.filter(date__gte=first, date__lt=after)
        if "status" in filters:
            entries = entries.filter(status=filters["status"])
        if filters["mine"]:
            entries = entries.filter(expert=request.user)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(h.TimeEntrySerializer(page, many=True).data)

    # -- an expert's own time
    @idempotent(respond=entry_created)
    def create(self, request, *args, **kwargs):
        serializer = h.AdviceTimeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return time_entry_register_advice(
            expert=request.user, message=data["message"], minutes=data["minutes"]
        )

    @extend_schema(
        summary="Confirm a proposed session attendance (its expert)",
        description="With the minutes you were there (left out: the session's length). It "
        "counts within the cap, or awaits approval beyond it. A second confirm changes nothing.",
        request=h.ConfirmSerializer,
        responses=_write_responses(),
    )
    @idempotent(respond=entry_now)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        entry = self._entry()
        body = valid(h.ConfirmSerializer, request)
        return time_entry_confirm(expert=request.user, entry=entry, minutes=body.get("minutes"))

    @extend_schema(
        summary="Decline a proposed session attendance: you were not there (its expert)",
        request=None,
        responses=_write_responses(),
    )
    @idempotent(respond=entry_now)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return time_entry_decline(expert=request.user, entry=self._entry())

    @extend_schema(
        summary="Correct confirmed or approved time (its expert)",
        description="The entry itself never changes (it may be invoiced already): the answer "
        "is a new correction entry holding the signed difference, with your reason.",
        request=h.CorrectSerializer,
        responses=_write_responses(ok=201),
    )
    @idempotent(respond=entry_created)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        entry = self._entry()
        body = valid(h.CorrectSerializer, request)
        return time_entry_correct(
            expert=request.user, entry=entry, minutes=body["minutes"], reason=body["reason"]
        )

    @extend_schema(
        summary="Approve time beyond the cap (the pool's triage workers and coordinators)",
        description="Never your own. An entry that is not awaiting approval stays as it is.",
        request=h.ApproveSerializer,
        responses=_write_responses(forbidden=NOT_A_PLANNER),
    )
    @idempotent(respond=entry_now)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        entry = self._entry()
        body = valid(h.ApproveSerializer, request)
        return time_entry_decide(actor=request.user, entry=entry, approve=True, note=body["note"])

    @extend_schema(
        summary="Do not approve time beyond the cap, saying why (the pool's planners)",
        request=h.RejectSerializer,
        responses=_write_responses(forbidden=NOT_A_PLANNER),
    )
    @idempotent(respond=entry_now)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        entry = self._entry()
        body = valid(h.RejectSerializer, request)
        return time_entry_decide(actor=request.user, entry=entry, approve=False, note=body["note"])


class TimeUsageView(ApiViewMixin, APIView):
    """Not paged: one row per pool the caller serves or registered time for."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your usage of the month against each pool's cap",
        description="Per pool you serve or registered time for in the month: the minutes that "
        "count (confirmed, approved, corrections), those beyond the cap awaiting approval, the "
        "cap, what is left and whether to warn (from 80 % on). Someone who registers no time "
        "gets an empty list.",
        parameters=[h.UsageQuerySerializer],
        responses={200: h.UsageMonthSerializer, 400: BAD_REQUEST},
    )
    def get(self, request):
        query = valid_query(h.UsageQuerySerializer, request)
        month = query.get("month") or timezone.localdate().replace(day=1)
        usage = usage_of(expert=signed_in(request), day=month)
        return Response(h.UsageMonthSerializer({"month": month, "pools": usage}).data)
