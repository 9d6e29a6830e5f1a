"""HTML to PDF with WeasyPrint, for the printable documents (the dashboard's report, a resident's
dossier). WeasyPrint reads only our own static files (the self-hosted typeface): any other URL is
refused, so a document never fetches anything from elsewhere."""

from __future__ import annotations

from django.contrib.staticfiles import finders

FONT_CSS = "vendor/noto-sans/noto-sans.css"


def _static_only(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if not url.startswith("file://"):
        raise ValueError("A printable document reads no URL but its own static files.")
    return default_url_fetcher(url, *args, **kwargs)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and only the PDF downloads need it.
    from weasyprint import CSS, HTML

    stylesheets = []
    font = finders.find(FONT_CSS)
    if font:
        stylesheets.append(CSS(filename=font, url_fetcher=_static_only))
    document = HTML(string=html, base_url=None, url_fetcher=_static_only)
    return document.write_pdf(stylesheets=stylesheets)
