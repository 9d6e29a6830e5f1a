"""The dashboard's tables as CSV and XLSX, made from the same suppressed cells as the page
(reports.tables), so a file holds exactly what the screen shows. CSV as the invoices have it
(hours.invoice): semicolons and a byte order mark, what Dutch spreadsheet programs open."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.cells import Cell, Report, Table


def _export_value(cell: Cell):
    """A shown count as a number in the spreadsheet; anything else (a share, "< 5", "x") as
    its text on screen."""
    if isinstance(cell.value, int) and cell.text == str(cell.value):
        return cell.value
    return cell.text


def _lines(table: Table) -> list[list]:
    lines: list[list] = [list(table.header)]
    for label, cells in table.rows:
        lines.append([label, *cells])
    if table.footer is not None:
        label, cells = table.footer
        lines.append([label, *cells])
    return lines


def as_csv(report: Report, meta: Sequence[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([list(line) for line in meta])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        for line in _lines(table):
            writer.writerow([str(value) for value in line])
    writer.writerow([])
    for note in report.notes:
        writer.writerow([note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28].strip() or "Tabel"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]} {n}", n + 1
    taken.add(name.lower())
    return name


def as_xlsx(report: Report, meta: Sequence[tuple[str, str]]) -> bytes:
    """A sheet with what the report is about and the key figures, then a sheet per table."""
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    for about in meta:
        summary.append(list(about))
    summary.append([])
    summary.append([_("Key figures")])
    summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
    for figure in report.key_figures:
        summary.append([figure.label, _export_value(figure.value), figure.note])
    summary.append([])
    for note in report.notes:
        summary.append([note])
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 16
    taken = {summary.title.lower()}
    for table in report.tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.append([table.title])
        sheet.cell(row=1, column=1).font = Font(bold=True)
        for i, line in enumerate(_lines(table)):
            sheet.append(
                [line[0], *(_export_value(c) if isinstance(c, Cell) else c for c in line[1:])]
            )
            if i == 0 or (table.footer is not None and i == len(table.rows) + 1):
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
