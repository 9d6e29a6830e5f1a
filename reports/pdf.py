"""The printable report (for the council) as PDF, with WeasyPrint: the same tables as the page,
without the charts. WeasyPrint reads only the self-hosted typeface's files: any other URL is
refused, so a report never fetches anything from elsewhere."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_CSS = "vendor/noto-sans/noto-sans.css"


def _static_only(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if not url.startswith("file://"):
        raise ValueError("The report reads no URL but its own static files.")
    return default_url_fetcher(url, *args, **kwargs)


def as_pdf(context: dict, request=None) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and only this download needs it.
    from weasyprint import CSS, HTML

    html = render_to_string("reports/report_pdf.html", context, request=request)
    stylesheets = []
    font = finders.find(FONT_CSS)
    if font:
        stylesheets.append(CSS(filename=font, url_fetcher=_static_only))
    document = HTML(string=html, base_url=None, url_fetcher=_static_only)
    return document.write_pdf(stylesheets=stylesheets)
