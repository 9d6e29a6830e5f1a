"""Small-cell suppression: no figure of a report can single out a handful of residents.

The rules, for every table the dashboard, its charts and its exports show:

1. Primary: a count from 1 to 4 is shown as "< 5" (SMALL). 0 and 5 or more are shown. This
   holds for totals too.
2. Secondary: a table's sums are equations: a row's cells add up to the row total, a column's
   to the column total, the row totals (and the column totals) to the grand total. When exactly
   one member of such an equation is hidden, it could be worked out from the others, so one
   more member is hidden, shown as "x" (HIDDEN). Which one: a visible non-zero cell, the
   smallest that leaves the hidden small count ambiguous (with the "x" known to be 0 or at
   least 5, the hidden pair must add up to 7 or more, so the small one could be any of two
   values or more), else the largest; a total only when no cell is left. Zero cells are not
   picked: a hidden 0 next to a "< 5" would give the small count away. This repeats until no
   equation has exactly one hidden member (hiding a cell may open another equation).
3. A share, an average or a median of fewer than 5 (questions, ratings) is not shown either
   (`shown_share`, `shown_mean`): 1 of 3 is a count of 1.

Hidden cells carry no value in the result (`Shown.value` is None), so an export made from it
cannot leak what the screen hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports.periods import Share

THRESHOLD = 5
SMALL = "< 5"
HIDDEN = "x"


@dataclass(frozen=True)
class Shown:
    """A figure as displayed: its text, its value when shown (None when suppressed) and why
    not ("" when shown, "small" for rule 1, "secondary" for rule 2)."""

    text: str
    value: int | float | None
    suppressed: str = ""

    def __str__(self) -> str:
        return self.text


def _is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def shown_count(n: int) -> Shown:
    """Rule 1 for a lone count (not part of a table with totals)."""
    return Shown(SMALL, None, "small") if _is_small(n) else Shown(str(n), n)


def shown_share(share: Share, *, digits: int = 1) -> Shown:
    """A share as a percentage, hidden when its count or its total is 1-4 (rule 3)."""
    if share.total == 0:
        return Shown("–", None)
    if _is_small(share.count) or _is_small(share.total):
        return Shown(SMALL, None, "small")
    percent = round(100 * share.count / share.total, digits)
    return Shown(f"{percent:.{digits}f} %", percent)


def shown_mean(value: float | None, n: int, *, digits: int = 1) -> Shown:
    """An average or median of `n` values, hidden when n is 1-4 (rule 3)."""
    if value is None or n == 0:
        return Shown("–", None)
    if _is_small(n):
        return Shown(SMALL, None, "small")
    return Shown(f"{value:.{digits}f}", round(value, digits))


@dataclass(frozen=True)
class CountTable:
    """Counts by row and column, with the totals the page shows."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    row_totals: bool = True  # a total per row (the rightmost column)
    column_totals: bool = True  # a total per column (the bottom row) and the grand total

    @classmethod
    def of(cls, rows: Sequence[str], columns: Sequence[str], cells, **totals) -> CountTable:
        cells = tuple(tuple(int(n) for n in row) for row in cells)
        if len(cells) != len(rows) or any(len(row) != len(columns) for row in cells):
            raise ValueError("A table has a cell for every row and column.")
        return cls(tuple(rows), tuple(columns), cells, **totals)

    @classmethod
    def column(cls, rows: Sequence[str], counts: Sequence[int], *, heading: str = "", total=True):
        """A one-column table (counts per team, per life domain) with its total."""
        cells = [(n,) for n in counts]
        return cls.of(rows, (heading,), cells, row_totals=False, column_totals=total)


@dataclass(frozen=True)
class ShownTable:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Shown, ...], ...]
    row_totals: tuple[Shown, ...] | None
    column_totals: tuple[Shown, ...] | None
    grand_total: Shown | None


def suppress(table: CountTable) -> ShownTable:
    """The table as it may be displayed (rules 1 and 2 above)."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    # Every member of the table by a key: ("c", i, j) a cell, ("r", i) a row total, ("k", j) a
    # column total, ("g",) the grand total.
    values: dict[tuple, int] = {
        ("c", i, j): table.cells[i][j] for i in range(n_rows) for j in range(n_cols)
    }
    equations: list[list[tuple]] = []
    if table.row_totals:
        for i in range(n_rows):
            values["r", i] = sum(table.cells[i])
            equations.append([("r", i), *[("c", i, j) for j in range(n_cols)]])
    if table.column_totals:
        for j in range(n_cols):
            values["k", j] = sum(row[j] for row in table.cells)
            equations.append([("k", j), *[("c", i, j) for i in range(n_rows)]])
        values["g",] = sum(map(sum, table.cells))
        equations.append([("g",), *[("k", j) for j in range(n_cols)]])
        if table.row_totals:
            equations.append([("g",), *[("r", i) for i in range(n_rows)]])
    small = {key for key, n in values.items() if _is_small(n)}
    hidden = set(small)
    changed = True
    while changed:
        changed = False
        for members in equations:
            concealed = [key for key in members if key in hidden]
            if len(concealed) != 1:
                continue
            pick = _second(members, hidden, values, values[concealed[0]])
            if pick is not None:
                hidden.add(pick)
                changed = True

    def show(key) -> Shown:
        if key in small:
            return Shown(SMALL, None, "small")
        if key in hidden:
            return Shown(HIDDEN, None, "secondary")
        return Shown(str(values[key]), values[key])

    return ShownTable(
        rows=table.rows,
        columns=table.columns,
        cells=tuple(tuple(show(("c", i, j)) for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(show(("r", i)) for i in range(n_rows)) if table.row_totals else None,
        column_totals=(
            tuple(show(("k", j)) for j in range(n_cols)) if table.column_totals else None
        ),
        grand_total=show(("g",)) if table.column_totals else None,
    )


def _second(members, hidden, values, concealed_value: int):
    """The member to hide next to the one hidden member of an equation (rule 2)."""
    visible = [key for key in members if key not in hidden and values[key] != 0]
    cells = sorted((key for key in visible if key[0] == "c"), key=lambda key: (values[key], key))
    if cells:
        # The hidden pair must add up to 7 or more to leave a small count ambiguous.
        for key in cells:
            if concealed_value + values[key] >= THRESHOLD + 2:
                return key
        return cells[-1]
    totals = sorted((key for key in visible if key[0] != "c"), key=lambda key: (values[key], key))
    return totals[0] if totals else None
