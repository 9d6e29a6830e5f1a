"""The audit log's pages (wijkteam.audit_log says who may read them): the filtered, paginated
log, and the same filter as CSV. For everyone else they are a 404 (DESIGN §4.2)."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from config.pagination import paginate
from wijkteam.audit import audit_write
from wijkteam.audit_log import audit_csv_lines, audit_events_filtered, may_read_audit_log
from wijkteam.forms import AuditFilterForm
from wijkteam.models import AuditEvent


def audit_readers_only(view_func):
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not may_read_audit_log(request):
            raise Http404
        return view_func(request, *args, **kwargs)

    return wrapper


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    values = form.cleaned_data if request.GET else {}
    return form, audit_events_filtered(**{k: v for k, v in values.items() if v})


@require_GET
@audit_readers_only
def audit_log(request):
    form, events = _filtered(request)
    page = paginate(request, events) if events is not None else None
    query = request.GET.copy()
    query.pop("pagina", None)
    encoded = query.urlencode()
    return render(
        request,
        "wijkteam/audit_log.html",
        {"form": form, "events": page, "query": f"?{encoded}" if encoded else ""},
        status=200 if events is not None else 400,
    )


@require_GET
@audit_readers_only
def audit_export(request):
    form, events = _filtered(request)
    if events is None:
        return audit_log(request)
    # Reading the log out of the application is itself an event in it.
    audit_write(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=AuditEvent._meta.label,
        detail=("filter " + request.GET.urlencode())[:200],
        request=request,
    )
    response = StreamingHttpResponse(
        audit_csv_lines(events), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
