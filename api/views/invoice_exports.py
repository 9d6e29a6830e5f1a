"""Invoice exports (issue 11): the month's time of one care provider's experts in one pool,
exported and locked by the pool's triage workers and coordinators, and its CSV / XLSX.

Every export comes from hours.selectors.exports_visible_to (the planners of its pool; for
anyone else it does not exist: 404). Creating one goes through hours.services.
invoice_export_create: someone who plans no pool, or not this one, gets a 403.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api import hours_serializers as h
from api.idempotency import KEY_REUSED, idempotent
from api.views.common import ApiViewMixin, valid_query
from api.views.questions import BAD_REQUEST
from api.views.sessions import signed_in
from hours.invoice import as_csv, as_xlsx, invoice_of
from hours.models import InvoiceExport
from hours.selectors import exports_visible_to
from hours.services import invoice_export_create
from meetings.selectors import planned_pools

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_FOUND = OpenApiResponse(description="Not an export you may see (or no such export).")
NOT_A_PLANNER = OpenApiResponse(
    description="Only the pool's triage workers and coordinators export its hours."
)
EXPORT_DESCRIPTION = (
    "The triage workers and coordinators of an export's pool see it; for anyone else it does "
    "not exist (404). It holds the month's confirmed and approved time (corrections included) "
    "of one care provider's experts; those entries are locked from then on."
)


class PlannerMayExport(BasePermission):
    """Exporting is for triage workers and coordinators; reads are scoped instead."""

    message = _("Only the pool's triage workers and coordinators export hours.")

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        return planned_pools(user=request.user).exists()


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file by its type (Accept); the file itself is the view's
    HttpResponse. What it renders is an error's JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # An error (404, 403, …) is JSON, and says so: not a "CSV" or "workbook" holding JSON.
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = JSONRenderer.media_type
        return JSONRenderer().render(data)


class CsvRenderer(FileRenderer):
    media_type = CSV
    format = "csv"


class XlsxRenderer(FileRenderer):
    media_type = XLSX
    format = "xlsx"


def _file(content: bytes, *, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_created(view: InvoiceExportViewSet, pk: int) -> Response:
    export = view.get_queryset().get(pk=pk)
    return Response(h.InvoiceExportSerializer(export).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Invoice exports of the pools you plan",
        description=EXPORT_DESCRIPTION + " The latest month first.",
        parameters=[h.InvoiceExportFilterSerializer],
        responses={200: h.InvoiceExportSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One invoice export",
        description=EXPORT_DESCRIPTION,
        responses={200: h.InvoiceExportSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Export a month of a care provider (the pool's planners)",
        description="Exports and locks the month's confirmed and approved time of the care "
        "provider's experts in the pool. Run again, it exports only what was added since "
        "(number 2, 3…); with nothing new the answer is the last export, and with nothing at "
        "all a 400. A month to come is a 400.",
        request=h.InvoiceExportCreateSerializer,
        responses={
            201: h.InvoiceExportSerializer,
            400: BAD_REQUEST,
            403: NOT_A_PLANNER,
            422: KEY_REUSED,
        },
    ),
)
class InvoiceExportViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, PlannerMayExport]
    serializer_class = h.InvoiceExportSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[InvoiceExport]:
        if getattr(self, "swagger_fake_view", False):
            return InvoiceExport.objects.none()
        return (
            exports_visible_to(user=signed_in(self.request))
            .select_related("pool", "organisation", "created_by")
            # What it holds, counted in the page's one query (one join: no multiplying).
            .annotate(
                entry_count=Count("entries"),
                total_minutes=Coalesce(Sum("entries__minutes"), 0),
            )
            .order_by("-month", "organisation__name", "-number", "-pk")
        )

    def list(self, request, *args, **kwargs):
        filters = valid_query(h.InvoiceExportFilterSerializer, request)
        exports = self.get_queryset()
        for name in ("pool", "organisation"):
            if name in filters:
                exports = exports.filter(**{f"{name}_id": filters[name]})
        if "month" in filters:
            exports = exports.filter(month=filters["month"])
        page = self.paginate_queryset(exports)
        return self.get_paginated_response(h.InvoiceExportSerializer(page, many=True).data)

    @idempotent(respond=export_created)
    def create(self, request, *args, **kwargs):
        serializer = h.InvoiceExportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return invoice_export_create(
            actor=request.user,
            pool=data["pool"],
            organisation_id=data["organisation"].pk,
            month=data["month"],
        )

    @extend_schema(
        summary="The export as CSV (semicolons, UTF-8 with a byte order mark)",
        description="The same file every time: rendered from the entries the export locked.",
        responses={(200, CSV): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CsvRenderer])
    def csv(self, request, pk=None):
        invoice = invoice_of(self.get_object())
        return _file(as_csv(invoice), media_type=CSV, filename=f"{invoice.filename}.csv")

    @extend_schema(
        summary="The export as an Excel workbook (sheets with the entries and the totals)",
        description="The same file every time: rendered from the entries the export locked.",
        responses={(200, XLSX): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, XlsxRenderer])
    def xlsx(self, request, pk=None):
        invoice = invoice_of(self.get_object())
        return _file(as_xlsx(invoice), media_type=XLSX, filename=f"{invoice.filename}.xlsx")
