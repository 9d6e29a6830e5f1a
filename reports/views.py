"""The municipality dashboard (/gemeente/): the figures of the admin's own municipality, or a
region admin's region, for a period and some teams; as a page, CSV, XLSX and PDF. Everyone else
gets a 404 (DESIGN §4.2: what is outside your scope does not exist for you)."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import Role, request_roles
from reports import exports, pdf
from reports.compare import municipality_comparison
from reports.forms import DashboardFilterForm
from reports.kpis import dashboard
from reports.selectors import (
    municipalities_reportable_by,
    regions_reportable_by,
    teams_reportable_by,
)
from reports.tables import build_report

ADMIN_ROLES = {Role.MUNICIPALITY_ADMIN, Role.REGION_ADMIN}


def admins_only(view_func):
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not ADMIN_ROLES & set(request_roles(request)):
            raise Http404
        return view_func(request, *args, **kwargs)

    return wrapper


def _form(request) -> DashboardFilterForm:
    user = request.user
    municipalities = list(municipalities_reportable_by(user=user))
    if not municipalities:
        raise Http404
    return DashboardFilterForm(
        request.GET,
        municipalities=municipalities,
        regions=list(regions_reportable_by(user=user)),
        teams=list(teams_reportable_by(user=user)),
        today=timezone.localdate(),
    )


def _report(form: DashboardFilterForm) -> dict:
    f = form.report_filter(now=timezone.now())
    figures = dashboard(f)
    comparison = municipality_comparison(f)
    report = build_report(figures, comparison, by_municipality=f.is_region)
    period = form.chosen_period
    teams = form.chosen_teams
    return {
        "report": report,
        "area": form.area_name,
        "period": period,
        "period_label": " – ".join(date_format(day, "j F Y") for day in (period.start, period.end)),
        "chosen_teams": teams,
        "is_region": f.is_region,
        "made_at": timezone.localtime(f.now),
    }


def _meta(context: dict) -> list[tuple[str, str]]:
    teams = context["chosen_teams"]
    return [
        (_("Wijkexpert: usage and reports"), ""),
        (_("Region") if context["is_region"] else _("Municipality"), context["area"]),
        (_("Period"), context["period_label"]),
        (_("District teams"), ", ".join(t.name for t in teams) if teams else _("all")),
        (_("Made on"), date_format(context["made_at"], "j F Y, H:i")),
    ]


def _invalid(request, form):
    return render(request, "reports/home.html", {"form": form}, status=400)


@require_GET
@admins_only
def home(request):
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    context = _report(form)
    query = request.GET.urlencode()
    context.update(form=form, query=f"?{query}" if query else "")
    return render(request, "reports/home.html", context)


DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
}


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@admins_only
def export(request, fmt: str):
    """Every table of the page, suppressed as on the page."""
    if fmt not in DOWNLOADS:
        raise Http404
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    context = _report(form)
    content_type, render_as = DOWNLOADS[fmt]
    content = render_as(context["report"], _meta(context))
    return _attachment(content, content_type, form.filename(fmt))


@require_GET
@admins_only
def report_pdf(request):
    """The printable report of the period (choose a month for the council's monthly report)."""
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    context = _report(form)
    context["meta"] = _meta(context)
    return _attachment(pdf.as_pdf(context, request), "application/pdf", form.filename("pdf"))
