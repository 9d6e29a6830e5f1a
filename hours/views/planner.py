"""The pool's triage workers and coordinators: approvals beyond the cap, invoice exports.

Only for someone who plans at least one pool (meetings.selectors.planned_pools); anyone else,
and anything outside their pools, is a 404. Thin: scoped selectors, one service, render; bad
input is the form's errors with a 400, a write goes through POST with the one-time token."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.pagination import page_number, paginate
from hours.invoice import as_csv, as_xlsx, invoice_of
from hours.models import TimeEntry
from hours.planner_forms import DecisionForm, ExportForm, month_value
from hours.review import (
    care_providers,
    export_list,
    export_preview,
    months_offered,
    pending_with_usage,
)
from hours.selectors import awaiting_approval, exports_visible_to
from hours.services import invoice_export_create, time_entry_decide
from hours.views.common import attempt
from meetings.selectors import planned_pools
from submissions.web import submitted_once

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}


def _user(request: HttpRequest) -> User:
    """The signed-in user (every page here is behind the sign-in and the second factor)."""
    return cast("User", request.user)


def _pools(request: HttpRequest) -> list:
    """The pools the user plans, by name: one query; none is a 404 (not their page)."""
    pools = list(planned_pools(user=_user(request)).order_by("name"))
    if not pools:
        raise Http404
    return pools


# --- Approvals -------------------------------------------------------------------------------
def _approvals_page(request: HttpRequest, *, bound: DecisionForm | None = None, status=200):
    pools = _pools(request)
    page = paginate(request, awaiting_approval(user=_user(request)))
    pending, this_month = pending_with_usage(page.items)
    rows = [
        (row, bound if bound is not None and bound.entry_pk == row.entry.pk else None)
        for row in pending
    ]
    rows = [(row, form or _decision_form(row.entry.pk)) for row, form in rows]
    return render(
        request,
        "hours/approvals.html",
        {"pools": pools, "page": page, "pending": rows, "this_month": this_month},
        status=status,
    )


def _decision_form(pk: int, data=None) -> DecisionForm:
    form = DecisionForm(data, prefix=f"entry-{pk}")
    form.entry_pk = pk
    return form


def _back_to_approvals(request: HttpRequest):
    number = page_number(request)
    url = reverse("hours:approvals")
    return redirect(f"{url}?{urlencode({'pagina': number})}" if number > 1 else url)


@require_http_methods(["GET"])
def approvals(request):
    return _approvals_page(request)


@require_POST
@submitted_once
def decide(request, pk: int):
    """Approve, or reject with a reason, one entry of the user's pools (never their own)."""
    pools = _pools(request)
    entry = get_object_or_404(
        TimeEntry.objects.filter(pool__in=[p.pk for p in pools]).exclude(expert=request.user),
        pk=pk,
    )
    form = _decision_form(pk, request.POST)
    if form.is_valid():
        if entry.status != TimeEntry.Status.AWAITING_APPROVAL:
            messages.info(request, _("This time was approved or rejected already."))
            return _back_to_approvals(request)
        decided = attempt(
            request,
            time_entry_decide,
            form,
            actor=request.user,
            entry=entry,
            approve=form.approve,
            note=form.cleaned_data["note"],
        )
        if decided is not None:
            name = decided.expert.get_full_name() or decided.expert.email
            done = {"minutes": decided.minutes, "expert": name}
            if decided.status == TimeEntry.Status.APPROVED:
                text = _("Approved: %(minutes)s minutes of %(expert)s.") % done
            else:
                text = _("Not approved: %(minutes)s minutes of %(expert)s.") % done
            messages.success(request, text)
            return _back_to_approvals(request)
    return _approvals_page(request, bound=form, status=400)


# --- Invoice exports -------------------------------------------------------------------------
def _export_form(request: HttpRequest, pools: list, data=None) -> ExportForm:
    """The form with the chosen pool's care providers (the first pool's before a choice)."""
    chosen = pools[0].pk
    raw = (data or {}).get("pool", "")
    if isinstance(raw, str) and raw.isdigit() and int(raw) in {p.pk for p in pools}:
        chosen = int(raw)
    return ExportForm(
        data,
        pools=pools,
        organisations=list(care_providers(pool_ids=[chosen])),
        months=months_offered(),
        initial={"pool": chosen, "month": month_value(months_offered()[0])},
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def exports(request):
    """Choose pool, care provider and month; see what an export would hold; export and lock
    it (POST). Below: the exports made, to download again."""
    pools = _pools(request)
    status = 200
    if request.method == "POST":
        form = _export_form(request, pools, request.POST)
        if form.is_valid():
            pool, organisation_id, month = form.chosen()
            export = attempt(
                request,
                invoice_export_create,
                form,
                actor=request.user,
                pool=pool,
                organisation_id=organisation_id,
                month=month,
            )
            if export is not None:
                messages.success(
                    request,
                    _("Export %(number)s of %(provider)s is made; its time is locked.")
                    % {"number": export.number, "provider": export.organisation.name},
                )
                query = urlencode(
                    {"pool": pool.pk, "organisation": organisation_id, "month": month_value(month)}
                )
                return redirect(f"{reverse('hours:exports')}?{query}#export-{export.pk}")
        status = 400
    else:
        form = _export_form(request, pools, request.GET if "pool" in request.GET else None)
        if form.is_bound and not form.is_valid():
            status = 400
    preview = chosen = None
    if form.is_bound and form.is_valid():
        pool, organisation_id, month = form.chosen()
        preview = export_preview(pool=pool, organisation_id=organisation_id, month=month)
        names = dict(form.fields["organisation"].choices)
        chosen = {"pool": pool, "provider": names[organisation_id], "month": month}
    return render(
        request,
        "hours/exports.html",
        {
            "form": form,
            "preview": preview,
            "chosen": chosen,
            "page": paginate(request, export_list(user=_user(request))),
        },
        status=status,
    )


@require_http_methods(["GET"])
def export_download(request, pk: int, fmt: str):
    """An export as CSV or XLSX: the same file every time (rendered from the locked entries)."""
    export = get_object_or_404(
        exports_visible_to(user=_user(request)).select_related("pool", "organisation"), pk=pk
    )
    if fmt not in DOWNLOADS:
        raise Http404
    content_type, render_as = DOWNLOADS[fmt]
    invoice = invoice_of(export)
    response = HttpResponse(render_as(invoice), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{invoice.filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("goedkeuren/", approvals, name="approvals"),
    path("goedkeuren/<int:pk>/", decide, name="decide"),
    path("facturen/", exports, name="exports"),
    path("facturen/<int:pk>.<str:fmt>", export_download, name="export-download"),
]
