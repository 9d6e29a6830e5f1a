"""The monthly invoice of one care provider in one pool, as rows and as CSV / XLSX: expert,
date, activity, question pseudonym or session, minutes; then the totals per expert and overall.
Rendered from the entries an export locked, so downloading it again gives the same file."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hours.models import InvoiceExport, TimeEntry


@dataclass(frozen=True)
class Row:
    expert: str
    date: date
    activity: str
    reference: str
    minutes: int


@dataclass(frozen=True)
class Invoice:
    export: InvoiceExport
    rows: list[Row]
    totals: list[tuple[str, int]]  # per expert, by name
    total: int

    @property
    def filename(self) -> str:
        e = self.export
        return f"uren-{e.month:%Y-%m}-{e.organisation_id}-{e.pool_id}-{e.number}"


def reference(entry: TimeEntry) -> str:
    """The question's pseudonym or the session; never anything of the case's content."""
    if entry.question is not None:
        return entry.question.case.pseudonym
    if entry.session is not None:
        start = timezone.localtime(entry.session.starts_at)
        return _("Expertise session %(when)s") % {"when": f"{start:%d-%m-%Y %H:%M}"}
    return ""


def invoice_of(export: InvoiceExport) -> Invoice:
    entries = export.entries.select_related("expert", "question__case", "session").order_by(
        "expert__last_name", "expert__first_name", "expert_id", "date", "pk"
    )
    rows = []
    totals: dict[str, int] = defaultdict(int)
    for entry in entries:
        name = entry.expert.get_full_name() or entry.expert.email
        activity = entry.get_activity_display()
        if entry.corrects_id is not None:
            activity = f"{activity}: {entry.note}"
        rows.append(Row(name, entry.date, str(activity), reference(entry), entry.minutes))
        totals[name] += entry.minutes
    ordered = sorted(totals.items())
    return Invoice(export=export, rows=rows, totals=ordered, total=sum(totals.values()))


def _header() -> list[str]:
    return [_("Expert"), _("Date"), _("Activity"), _("Question or session"), _("Minutes")]


def _meta(invoice: Invoice) -> list[list[str]]:
    e = invoice.export
    return [
        [_("Care provider"), e.organisation.name],
        [_("Expert pool"), e.pool.name],
        [_("Month"), f"{e.month:%m-%Y}"],
        [_("Export"), str(e.number)],
    ]


def as_csv(invoice: Invoice) -> bytes:
    """Semicolons and a byte order mark: what Dutch spreadsheet programs open as columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(_meta(invoice))
    writer.writerow([])
    writer.writerow(_header())
    for row in invoice.rows:
        writer.writerow(
            [row.expert, f"{row.date:%d-%m-%Y}", row.activity, row.reference, row.minutes]
        )
    writer.writerow([])
    writer.writerow([_("Total per expert"), "", "", "", ""])
    for name, minutes in invoice.totals:
        writer.writerow([name, "", "", "", minutes])
    writer.writerow([_("Total"), "", "", "", invoice.total])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(invoice: Invoice) -> bytes:
    """Sheet "Uren" with the entries, sheet "Totalen" with the totals; dates as dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hours")
    for line in _meta(invoice):
        sheet.append(line)
    sheet.append([])
    sheet.append(_header())
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in invoice.rows:
        sheet.append([row.expert, row.date, row.activity, row.reference, row.minutes])
        sheet.cell(row=sheet.max_row, column=2).number_format = "DD-MM-YYYY"
    for column, width in zip("ABCDE", (28, 12, 30, 30, 10), strict=True):
        sheet.column_dimensions[column].width = width
    totals = book.create_sheet(_("Totals"))
    totals.append([_("Expert"), _("Minutes")])
    for cell in totals[1]:
        cell.font = Font(bold=True)
    for name, minutes in invoice.totals:
        totals.append([name, minutes])
    totals.append([_("Total"), invoice.total])
    totals.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
