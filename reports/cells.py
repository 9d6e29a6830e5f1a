"""The cells, tables and key figures the dashboard is made of (reports.tables builds them), and
the formatting of a figure in the interface's language. A suppressed figure is a Cell without a
value: what is exported or charted from it cannot be more than its text."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import dateformat
from django.utils.formats import number_format

from reports.periods import Share
from reports.suppression import Shown, ShownTable, shown_count, shown_mean, shown_share

# What Ontario's eConsult regions publish as answered within a week (the reference shown).
ECONSULT_REFERENCE_PERCENT = 94.6
DASH = "–"


@dataclass(frozen=True)
class Cell:
    """A cell as displayed: its text, and for an export the number behind it when shown."""

    text: str
    value: int | float | Decimal | None = None
    suppressed: str = ""  # "small", "secondary" or ""

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    slug: str  # the element id on the page, the sheet of the XLSX
    title: str
    header: list[str]  # the first is the heading of the row labels
    rows: list[tuple[str, list[Cell]]]
    footer: tuple[str, list[Cell]] | None = None
    description: str = ""
    chart: dict | None = None  # Chart.js data: labels and datasets, suppressed values as null
    numeric: list[bool] = field(default_factory=list)  # per column after the row label

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(heading, numeric) of each column after the row labels."""
        numeric = self.numeric or [True] * (len(self.header) - 1)
        return list(zip(self.header[1:], numeric, strict=True))

    @property
    def body(self) -> list[tuple[str, list[tuple[Cell, str, bool]]]]:
        """The rows for a template: each cell with its column's heading and alignment."""
        return [(label, self._with_columns(cells)) for label, cells in self.rows]

    @property
    def foot(self):
        if self.footer is None:
            return None
        return self.footer[0], self._with_columns(self.footer[1])

    def _with_columns(self, cells):
        return [
            (c, heading, numeric) for c, (heading, numeric) in zip(cells, self.columns, strict=True)
        ]

    @property
    def has_chart(self) -> bool:
        """A chart with something to draw: not when every figure in it is suppressed."""
        chart = self.chart
        if not chart:
            return False
        return any(v is not None and v != 0 for d in chart["datasets"] for v in d["data"])

    @property
    def chart_id(self) -> str:
        return f"chart-{self.slug}"


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: Cell
    note: str = ""


@dataclass
class Report:
    key_figures: list[KeyFigure]
    sections: list[tuple[str, str, list[Table]]]  # (slug, title, tables)
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [table for _slug, _title, tables in self.sections for table in tables]


# --- Cells ----------------------------------------------------------------------------------------
def num(value: float | Decimal, digits: int = 1) -> str:
    return number_format(value, digits)


def cell_of(shown: Shown, *, kind: str = "count", digits: int = 1) -> Cell:
    """A Shown figure in the interface's language (a decimal comma in Dutch)."""
    if shown.value is None:
        return Cell(shown.text, None, shown.suppressed)
    if kind == "percent":
        return Cell(f"{num(shown.value, digits)} %", shown.value)
    if kind == "decimal":
        return Cell(num(shown.value, digits), shown.value)
    return Cell(str(shown.value), shown.value)


def plain(value: int | float | Decimal | None, digits: int = 0) -> Cell:
    """A figure that is not suppressed (professionals, hours, ratios of shown counts)."""
    if value is None:
        return Cell(DASH)
    if digits == 0 and isinstance(value, int):
        return Cell(str(value), value)
    return Cell(num(value, digits), value)


def count(n: int) -> Cell:
    return cell_of(shown_count(n))


def share(s: Share) -> Cell:
    return cell_of(shown_share(s), kind="percent")


def share_of(numerator: Cell, total: Cell) -> Cell:
    """The share of a suppressed table's cell in its total: hidden when either is, or when the
    total is under 5 (rule 3 of reports.suppression)."""
    if numerator.value is None:
        return Cell(numerator.text, None, numerator.suppressed)
    if total.value is None:
        return Cell(total.text, None, total.suppressed)
    return share(Share(int(numerator.value), int(total.value)))


def ratio(numerator: Cell, denominator: int, digits: int = 2) -> Cell:
    """A shown count per something (questions per member): hidden with its count."""
    if numerator.value is None:
        return Cell(numerator.text, None, numerator.suppressed)
    if not denominator:
        return Cell(DASH)
    return plain(round(float(numerator.value) / denominator, digits), digits)


def days(value: float | None, n: int) -> Cell:
    return cell_of(shown_mean(value, n), kind="decimal")


def hours(minutes: int) -> Cell:
    return plain(round(minutes / 60, 1), 1)


def money(amount: Decimal | None) -> Cell:
    if amount is None:
        return Cell(DASH)
    return Cell(f"€ {number_format(amount, 2, force_grouping=True)}", amount)


def shown_cells(table: ShownTable):
    return [[cell_of(s) for s in row] for row in table.cells]


def chart_value(cell: Cell):
    """A chart plots a shown value only: a suppressed cell is a gap, never its real value."""
    return None if cell.value is None else float(cell.value)


def month_label(day) -> str:
    return dateformat.format(day, "M Y")
