"""Small-cell suppression (reports/suppression.py): counts 1-4 as "< 5", 0 and 5+ shown, and a
second cell hidden where the first could be worked out from a total."""

from reports.periods import Share
from reports.suppression import (
    HIDDEN,
    SMALL,
    CountTable,
    shown_count,
    shown_mean,
    shown_share,
    suppress,
)


def texts(cells):
    return [[str(cell) for cell in row] for row in cells]


def test_4_is_small_5_and_0_are_shown():
    assert str(shown_count(4)) == SMALL
    assert shown_count(4).value is None
    assert str(shown_count(5)) == "5"
    assert str(shown_count(0)) == "0"
    assert str(shown_count(1)) == SMALL


def test_a_table_without_small_cells_is_shown_whole():
    shown = suppress(CountTable.of(["a", "b"], ["x", "y"], [[5, 6], [0, 9]]))
    assert texts(shown.cells) == [["5", "6"], ["0", "9"]]
    assert [str(t) for t in shown.row_totals] == ["11", "9"]
    assert [str(t) for t in shown.column_totals] == ["5", "15"]
    assert str(shown.grand_total) == "20"


def test_one_small_cell_in_a_column_hides_the_next_smallest():
    # Per team: 4, 5, 12, total 21. The 4 alone could be worked out as 21 - 5 - 12; hiding
    # the next smallest (5) leaves 9 for the two: 4 + 5, 3 + 6, 2 + 7, 1 + 8.
    shown = suppress(CountTable.column(["Noord", "Zuid", "Oost"], [4, 5, 12]))
    assert texts(shown.cells) == [[SMALL], [HIDDEN], ["12"]]
    assert str(shown.grand_total) == "21"
    assert all(cell.value is None for row in shown.cells[:2] for cell in row)


def test_5_alone_is_not_suppressed():
    shown = suppress(CountTable.column(["Noord", "Zuid"], [5, 12]))
    assert texts(shown.cells) == [["5"], ["12"]]


def test_zeros_are_not_the_second_cell():
    # 3, 0, 9: hiding the 0 would give the 3 away (12 - 9 = 3 with the 0 known to be 0 or 5+),
    # so the 9 is hidden.
    shown = suppress(CountTable.column(["a", "b", "c"], [3, 0, 9]))
    assert texts(shown.cells) == [[SMALL], ["0"], [HIDDEN]]


def test_the_second_cell_keeps_the_small_one_ambiguous():
    # 1, 5, 9 (total 15): 1 + 5 = 6 would leave only 1 + 5 (the hidden one is 0 or 5+), so the
    # 9 goes: 10 for the pair is 1 + 9, 2 + 8, 3 + 7, 4 + 6.
    shown = suppress(CountTable.column(["a", "b", "c"], [1, 5, 9]))
    assert texts(shown.cells) == [[SMALL], ["5"], [HIDDEN]]


def test_two_small_cells_need_nothing_more():
    shown = suppress(CountTable.column(["a", "b", "c"], [2, 3, 9]))
    assert texts(shown.cells) == [[SMALL], [SMALL], ["9"]]
    assert str(shown.grand_total) == "14"


def test_a_small_total_is_small_too():
    shown = suppress(CountTable.column(["a", "b"], [3, 0]))
    assert texts(shown.cells) == [[SMALL], ["0"]]
    assert str(shown.grand_total) == SMALL


def test_secondary_suppression_runs_through_rows_and_columns():
    # Rows are months, columns teams, with both totals:
    #            A    B    C  | total
    #   April    2   10    7  |  19
    #   May      8    6    9  |  23
    #   total   10   16   16  |  42
    # The 2 (April, A) is alone in its row and its column. Its row: hide the smallest that
    # makes the pair 7 or more: 7 (C). Its column: 8. Then May has one hidden (8) and C has one
    # hidden (7): May hides 9 (C), which also settles C (7 and 9 hidden); A has 2 and 8.
    table = CountTable.of(["April", "May"], ["A", "B", "C"], [[2, 10, 7], [8, 6, 9]])
    shown = suppress(table)
    assert texts(shown.cells) == [[SMALL, "10", HIDDEN], [HIDDEN, "6", HIDDEN]]
    assert [str(t) for t in shown.row_totals] == ["19", "23"]
    assert [str(t) for t in shown.column_totals] == ["10", "16", "16"]
    # No equation has exactly one hidden member left.
    hidden = [[cell.value is None for cell in row] for row in shown.cells]
    assert all(sum(row) != 1 for row in hidden)
    assert all(sum(column) != 1 for column in zip(*hidden, strict=True))


def test_shares_and_means_of_few_are_hidden():
    assert str(shown_share(Share(3, 40))) == SMALL  # 3 people
    assert str(shown_share(Share(0, 3))) == SMALL  # of 3 people
    assert str(shown_share(Share(5, 40))) == "12.5 %"
    assert str(shown_share(Share(0, 0))) == "–"
    assert str(shown_mean(4.25, 4)) == SMALL
    assert str(shown_mean(4.25, 5)) == "4.2"
    assert shown_mean(4.25, 5).value == 4.2
