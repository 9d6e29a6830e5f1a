"""The printable report (for the council) as PDF: the same tables as the page, without the
charts (config.pdf renders it, reading only our own static files)."""

from __future__ import annotations

from django.template.loader import render_to_string

from config.pdf import html_to_pdf


def as_pdf(context: dict, request=None) -> bytes:
    return html_to_pdf(render_to_string("reports/report_pdf.html", context, request=request))
