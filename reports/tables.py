"""The dashboard's figures as the tables the page, its charts and its exports show.

Every number passes reports.suppression here and nowhere else: the page, the chart data, the
CSV, the XLSX and the PDF are all made from these `Table`s, so a file cannot hold what the
screen hides. A figure that appears in two tables is suppressed once and the same `Shown` is
used in both (a team's total in the month table is its "asked" in the teams table), so one table
cannot give away a cell that another hides.

Counts of residents' questions are suppressed (1-4 as "< 5", and a second cell where a total
would give one away). Counts of professionals and organisations (team members, experts,
sessions, hours) are about the municipality's own staffing and are shown as they are; a ratio
is shown only when the count of questions it is made of is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from consultation.models import CloseOut
from reports.compare import MunicipalityFigures
from reports.kpis import Dashboard
from reports.periods import Share
from reports.suppression import (
    SMALL,
    CountTable,
    Shown,
    ShownTable,
    shown_count,
    shown_mean,
    shown_share,
    suppress,
)
from reports.timing import ANSWERED_WITHIN_DAYS
from triage.models import RedirectTarget, TriageDecision

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
def _num(value: float, digits: int = 1) -> str:
    return number_format(value, digits)


def cell_of(shown: Shown, *, kind: str = "count", digits: int = 1) -> Cell:
    """A Shown figure in the interface's language (a decimal comma in Dutch)."""
    if shown.value is None:
        return Cell(shown.text, None, shown.suppressed)
    if kind == "percent":
        return Cell(f"{_num(shown.value, digits)} %", shown.value)
    if kind == "decimal":
        return Cell(_num(shown.value, digits), shown.value)
    return Cell(str(shown.value), shown.value)


def plain(value: int | float | Decimal | None, digits: int = 0) -> Cell:
    """A figure that is not suppressed (professionals, hours, ratios of shown counts)."""
    if value is None:
        return Cell(DASH)
    if digits == 0 and isinstance(value, int):
        return Cell(str(value), value)
    return Cell(_num(value, digits), value)


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
    return plain(round(numerator.value / denominator, digits), digits)


def days(value: float | None, n: int) -> Cell:
    return cell_of(shown_mean(value, n), kind="decimal")


def hours(minutes: int) -> Cell:
    return plain(round(minutes / 60, 1), 1)


def money(amount: Decimal | None) -> Cell:
    if amount is None:
        return Cell(DASH)
    return Cell(f"€ {number_format(amount, 2, force_grouping=True)}", amount)


def _shown_cells(table: ShownTable):
    return [[cell_of(s) for s in row] for row in table.cells]


def _chart_value(cell: Cell):
    """A chart plots a shown value only: a suppressed cell is a gap, never its real value."""
    return None if cell.value is None else float(cell.value)


def _month(day) -> str:
    return dateformat.format(day, "M Y")


# --- The report -----------------------------------------------------------------------------------
def build_report(
    figures: Dashboard, comparison: Sequence[MunicipalityFigures] = (), *, by_municipality=False
) -> Report:
    """All tables of the dashboard. `by_municipality`: a region's report, whose questions are
    split per municipality, not per team."""
    per_month, teams_table, asked_total, municipality_totals = _usage(figures, by_municipality)
    timing_tables = _timing(figures)
    triage_tables = _triage(figures)
    results_tables, escalation_total, avoided = _results(figures)
    capacity_tables, billable_minutes = _capacity(figures)
    supply_tables = _supply(figures)
    sections = [
        ("questions", _("Questions asked"), [per_month, teams_table]),
    ]
    if comparison:
        sections.append(
            (
                "municipalities",
                _("Municipalities compared"),
                [_comparison(comparison, municipality_totals)],
            )
        )
    sections += [
        ("speed", _("Speed"), timing_tables),
        ("triage", _("Triage"), triage_tables),
        ("results", _("Results of the advice"), results_tables),
        ("capacity", _("Sessions and expert hours"), capacity_tables),
        ("supply", _("Supply and demand"), supply_tables),
    ]
    silent, n_teams = figures.teams.silent_in_quarter
    timing = figures.timing
    key_figures = [
        KeyFigure(_("Questions asked"), asked_total),
        KeyFigure(
            _("Median time to first advice"),
            days(timing.first_advice.median, timing.first_advice.count),
            _("working days"),
        ),
        KeyFigure(
            _("Answered within %(days)s working days") % {"days": ANSWERED_WITHIN_DAYS},
            share(timing.answered_within),
            _("Ontario eConsult: %(percent)s %%")
            % {"percent": _num(ECONSULT_REFERENCE_PERCENT, 1)},
        ),
        KeyFigure(
            _("Escalation to specialised care avoided"),
            share_of(avoided, escalation_total),
            _("of the questions closed"),
        ),
        KeyFigure(
            _("Teams that asked nothing this quarter"),
            Cell(_("%(silent)s of %(teams)s") % {"silent": silent, "teams": n_teams}),
        ),
        KeyFigure(_("Expert hours"), hours(billable_minutes), _("billable")),
    ]
    return Report(
        key_figures=key_figures,
        sections=sections,
        notes=[
            _(
                "Counts from 1 to 4 are shown as “%(small)s”; “x” hides a second figure so that "
                "a hidden one cannot be worked out from a total."
            )
            % {"small": SMALL}
        ],
    )


def _usage(figures: Dashboard, by_municipality: bool):
    """The questions per month (per team for a municipality, in total for a region) and per
    team. A region's teams are suppressed in one table with their municipalities' totals (a
    team's cell sits in its municipality's column), so that neither a team's figure nor a
    municipality's can be worked out from the others and the grand total."""
    questions, teams = figures.questions, figures.teams.teams
    months = [_month(m) for m in questions.months]
    municipality_totals: dict[str, Cell] = {}
    if by_municipality or not teams:
        columns, cells = [_("Questions asked")], [[n] for n in questions.per_month]
    else:
        columns = [t.name for t in teams]
        cells = [
            [questions.per_team.get(t.team_id, (0,) * len(months))[i] for t in teams]
            for i in range(len(months))
        ]
    shown = suppress(CountTable.of(months, columns, cells, row_totals=len(columns) > 1))
    grid = _shown_cells(shown)
    column_totals = [cell_of(s) for s in shown.column_totals or ()]
    grand = cell_of(shown.grand_total) if shown.grand_total else count(questions.total)
    if len(columns) > 1:
        month_totals = [cell_of(s) for s in shown.row_totals or ()]
        rows = [
            (m, [*row, total]) for m, row, total in zip(months, grid, month_totals, strict=True)
        ]
        footer = (_("Total"), [*column_totals, grand])
        header = [_("Month"), *columns, _("Total")]
    else:
        month_totals = [row[0] for row in grid]
        rows = [(m, row) for m, row in zip(months, grid, strict=True)]
        footer = (_("Total"), [grand])
        header = [_("Month"), *columns]
    if by_municipality:
        names = sorted({t.municipality for t in teams})
        sparse = suppress(
            CountTable.of(
                [t.name for t in teams],
                names,
                [[t.asked if t.municipality == name else 0 for name in names] for t in teams],
                row_totals=False,
            )
        )
        team_asked = [
            cell_of(row[names.index(t.municipality)])
            for row, t in zip(sparse.cells, teams, strict=True)
        ]
        municipality_totals = {
            name: cell_of(total)
            for name, total in zip(names, sparse.column_totals or (), strict=True)
        }
    else:
        team_asked = column_totals if teams else []
    per_month = Table(
        slug="questions-per-month",
        title=_("Questions asked per month and team")
        if len(columns) > 1
        else _("Questions asked per month"),
        header=header,
        rows=rows,
        footer=footer,
        chart={
            "type": "bar",
            "labels": months,
            "datasets": [
                {"label": _("Questions asked"), "data": [_chart_value(c) for c in month_totals]}
            ],
        },
    )
    quarter = f"{dateformat.format(figures.teams.quarter_start, 'j M')} – " + dateformat.format(
        figures.teams.quarter_end, "j M Y"
    )
    teams_table = Table(
        slug="teams",
        title=_("Questions per district team, relative to its size"),
        description=_(
            "Team members are the active generalists and team leads now. Who hardly asks? "
            "The last column counts the calendar quarter the period ends in (%(quarter)s)."
        )
        % {"quarter": quarter},
        header=[
            _("District team"),
            *([_("Municipality")] if by_municipality else []),
            _("Team members"),
            _("Questions asked"),
            _("Per team member"),
            _("Asked nothing this quarter"),
        ],
        numeric=[*([False] if by_municipality else []), True, True, True, False],
        rows=[
            (
                t.name,
                [
                    *([Cell(t.municipality)] if by_municipality else []),
                    plain(t.members),
                    asked,
                    ratio(asked, t.members),
                    Cell(_("yes") if t.asked_in_quarter == 0 else _("no")),
                ],
            )
            for t, asked in zip(teams, team_asked, strict=True)
        ],
        footer=(
            _("Total"),
            [
                *([Cell("")] if by_municipality else []),
                plain(sum(t.members for t in teams)),
                grand,
                ratio(grand, sum(t.members for t in teams)),
                Cell(
                    _("%(silent)s of %(teams)s")
                    % dict(zip(("silent", "teams"), figures.teams.silent_in_quarter, strict=True))
                ),
            ],
        ),
    )
    return per_month, teams_table, grand, municipality_totals


def _comparison(rows: Sequence[MunicipalityFigures], totals: dict[str, Cell]) -> Table:
    return Table(
        slug="municipalities",
        title=_("Municipalities side by side"),
        header=[
            _("Municipality"),
            _("District teams"),
            _("Team members"),
            _("Questions asked"),
            _("Per team member"),
            _("Median time to first advice (working days)"),
            _("Answered within %(days)s working days") % {"days": ANSWERED_WITHIN_DAYS},
        ],
        rows=[
            (
                m.name,
                [
                    plain(m.teams),
                    plain(m.members),
                    asked,
                    ratio(asked, m.members),
                    days(m.first_advice.median, m.first_advice.count),
                    share(m.answered_within),
                ],
            )
            for m in rows
            # A municipality without teams in the report asked nothing.
            for asked in [totals.get(m.name, count(m.asked))]
        ],
        chart={
            "type": "bar",
            "labels": [m.name for m in rows],
            "datasets": [
                {
                    "label": _("Answered within %(days)s working days (%%)")
                    % {"days": ANSWERED_WITHIN_DAYS},
                    "data": [_chart_value(share(m.answered_within)) for m in rows],
                }
            ],
        },
    )


def _timing(figures: Dashboard) -> list[Table]:
    t = figures.timing
    overview = Table(
        slug="speed",
        title=_("Time to advice and to closing"),
        description=_(
            "In working days: weekends and public holidays do not count. Ontario's eConsult "
            "regions publish %(percent)s %% answered within a week."
        )
        % {"percent": _num(ECONSULT_REFERENCE_PERCENT, 1)},
        header=[_("Figure"), _("Value")],
        rows=[
            (_("Questions with a first advice"), [count(t.first_advice.count)]),
            (
                _("Median time to first advice (working days)"),
                [days(t.first_advice.median, t.first_advice.count)],
            ),
            (
                _("90th percentile time to first advice (working days)"),
                [days(t.first_advice.p90, t.first_advice.count)],
            ),
            (
                _("Answered within %(days)s working days") % {"days": ANSWERED_WITHIN_DAYS},
                [share(t.answered_within)],
            ),
            (_("Questions closed"), [count(t.close.count)]),
            (_("Median time to close (working days)"), [days(t.close.median, t.close.count)]),
            (
                _("90th percentile time to close (working days)"),
                [days(t.close.p90, t.close.count)],
            ),
            (_("Out of the triage queue on time"), [share(t.triage_on_time)]),
        ],
    )
    months = [_month(m) for m, _d in t.first_advice_by_month]
    counts = suppress(CountTable.column(months, [d.count for _m, d in t.first_advice_by_month]))
    medians = [days(d.median, d.count) for _m, d in t.first_advice_by_month]
    p90s = [days(d.p90, d.count) for _m, d in t.first_advice_by_month]
    count_cells = [row[0] for row in _shown_cells(counts)]
    by_month = Table(
        slug="first-advice-per-month",
        title=_("Time to first advice per month of asking"),
        header=[
            _("Month"),
            _("Questions with a first advice"),
            _("Median (working days)"),
            _("90th percentile (working days)"),
        ],
        rows=[
            (label, [n, median, p90])
            for label, n, median, p90 in zip(months, count_cells, medians, p90s, strict=True)
        ],
        footer=(
            _("Total"),
            [
                cell_of(counts.grand_total) if counts.grand_total else Cell(DASH),
                days(t.first_advice.median, t.first_advice.count),
                days(t.first_advice.p90, t.first_advice.count),
            ],
        ),
        chart={
            "type": "line",
            "labels": months,
            "datasets": [
                {"label": _("Median (working days)"), "data": [_chart_value(c) for c in medians]},
                {
                    "label": _("90th percentile (working days)"),
                    "data": [_chart_value(c) for c in p90s],
                },
            ],
        },
    )
    return [overview, by_month]


def _column_table(slug, title, heading, labels, counts, *, description="", chart="bar"):
    """Counts with their total and each one's share of it, suppressed as one table."""
    shown = suppress(CountTable.column(labels, counts))
    cells = [row[0] for row in _shown_cells(shown)]
    total = cell_of(shown.grand_total) if shown.grand_total else count(sum(counts))
    return Table(
        slug=slug,
        title=title,
        description=description,
        header=[heading, _("Number"), _("Share")],
        rows=[(label, [c, share_of(c, total)]) for label, c in zip(labels, cells, strict=True)],
        footer=(_("Total"), [total, share_of(total, total)]),
        chart={
            "type": chart,
            "labels": list(labels),
            "datasets": [{"label": _("Number"), "data": [_chart_value(c) for c in cells]}],
        },
    )


def _triage(figures: Dashboard) -> list[Table]:
    triage = figures.triage
    kinds = [str(TriageDecision.Kind(kind).label).capitalize() for kind, _n in triage.counts]
    outcomes = _column_table(
        "triage-outcomes",
        _("Triage decisions"),
        _("Decision"),
        kinds,
        [n for _k, n in triage.counts],
        description=_(
            "The triage worker's decisions in the period; a question asked for clarification "
            "and then assigned counts in both. Out of the queue on time: %(share)s."
        )
        % {"share": share(figures.timing.triage_on_time).text},
    )
    redirects = _column_table(
        "redirects",
        _("Redirected to"),
        _("Redirected to"),
        [str(RedirectTarget(target).label).capitalize() for target, _n in triage.redirects],
        [n for _t, n in triage.redirects],
    )
    return [outcomes, redirects]


def _results(figures: Dashboard):
    c = figures.close_outs
    escalations = [
        CloseOut.Escalation.AVOIDED,
        CloseOut.Escalation.STILL_NEEDED,
        CloseOut.Escalation.NEWLY_TRIGGERED,
        CloseOut.Escalation.NOT_CONSIDERED,
    ]
    escalation = _column_table(
        "escalation",
        _("Escalation to specialised care"),
        _("Escalation"),
        [str(e.label).capitalize() for e in escalations],
        [getattr(c, str(e)) for e in escalations],
        description=_(
            "As the generalist said when closing the question (the eConsult headline figure). "
            "The advice gave a new direction in %(share)s of the questions closed."
        )
        % {"share": share(c.new_direction_share).text},
    )
    avoided, total = escalation.rows[0][1][0], escalation.footer[1][0]  # type: ignore[index]
    ratings = figures.usefulness
    rating_counts = [count(r.ratings) for r in ratings]
    usefulness = Table(
        slug="usefulness",
        title=_("Usefulness of the advice per discipline"),
        description=_("The generalists' rating of each advice when closing, from 1 to 5."),
        header=[_("Discipline"), _("Ratings"), _("Average usefulness (1–5)")],
        rows=[
            (
                r.discipline or _("Not known"),
                [n, cell_of(shown_mean(r.average, r.ratings, digits=1), kind="decimal")],
            )
            for r, n in zip(ratings, rating_counts, strict=True)
        ],
        chart={
            "type": "bar",
            "labels": [r.discipline or _("Not known") for r in ratings],
            "datasets": [
                {
                    "label": _("Average usefulness (1–5)"),
                    "data": [
                        _chart_value(cell_of(shown_mean(r.average, r.ratings), kind="decimal"))
                        for r in ratings
                    ],
                }
            ],
        },
    )
    return [escalation, usefulness], total, avoided


def _capacity(figures: Dashboard):
    s = figures.sessions
    sessions = Table(
        slug="sessions",
        title=_("Expertise sessions"),
        header=[_("Figure"), _("Number")],
        rows=[
            (_("Sessions held"), [plain(s.held)]),
            (_("Sessions that discussed a question of the teams"), [plain(s.with_questions)]),
            (_("Questions discussed"), [count(s.questions_discussed)]),
        ],
    )
    rows = figures.hours
    with_cost = any(r.hourly_rate is not None for r in rows)
    billable = sum(r.billable_minutes for r in rows)
    cost_total = sum((r.cost for r in rows if r.cost is not None), Decimal("0"))
    header = [
        _("Care provider"),
        _("Experts"),
        _("Billable hours"),
        _("Of which beyond the cap"),
        _("Awaiting approval"),
        _("Cap (hours)"),
        _("Cap used"),
    ]
    if with_cost:
        header.append(_("Cost"))

    def line(r) -> list[Cell]:
        used = plain(round(100 * r.cap_used, 1), 1) if r.cap_used is not None else Cell(DASH)
        if used.value is not None:
            used = Cell(f"{used.text} %", used.value)
        cells = [
            plain(r.experts),
            hours(r.billable_minutes),
            hours(r.beyond_cap_minutes),
            hours(r.awaiting_minutes),
            hours(r.cap_minutes),
            used,
        ]
        return [*cells, money(r.cost)] if with_cost else cells

    cap = sum(r.cap_minutes for r in rows)
    total_used = Cell(DASH)
    if cap:
        total_used = Cell(
            f"{_num(round(100 * billable / cap, 1), 1)} %", round(100 * billable / cap, 1)
        )
    footer = [
        plain(sum(r.experts for r in rows)),
        hours(billable),
        hours(sum(r.beyond_cap_minutes for r in rows)),
        hours(sum(r.awaiting_minutes for r in rows)),
        hours(cap),
        total_used,
    ]
    if with_cost:
        footer.append(money(cost_total))
    hours_table = Table(
        slug="hours",
        title=_("Expert hours per care provider"),
        description=_(
            "Hours of the pools serving the teams, against the pools' monthly caps; a team "
            "filter does not narrow them (a pool's hours are shared)."
        )
        + (
            " " + _("The cost is shown for care providers with an hourly rate.")
            if with_cost
            else ""
        ),
        header=header,
        rows=[(r.organisation, line(r)) for r in rows],
        footer=(_("Total"), footer) if rows else None,
        chart={
            "type": "bar",
            "labels": [r.organisation for r in rows],
            "datasets": [
                {
                    "label": _("Billable hours"),
                    "data": [round(r.billable_minutes / 60, 1) for r in rows],
                },
                {"label": _("Cap (hours)"), "data": [round(r.cap_minutes / 60, 1) for r in rows]},
            ],
        },
    )
    return [sessions, hours_table], billable


def _supply_table(slug, title, heading, rows, description=""):
    lines = []
    asked_cells = []
    for r in rows:
        asked, running = count(r.asked), count(r.open)
        asked_cells.append(asked)
        lines.append(
            (
                r.name,
                [
                    asked,
                    plain(r.experts),
                    running,
                    ratio(running, r.experts),
                    Cell(_("expertise missing") if r.missing else ""),
                ],
            )
        )
    return Table(
        slug=slug,
        title=title,
        description=description,
        header=[
            heading,
            _("Questions asked"),
            _("Experts available"),
            _("Open questions now"),
            _("Open per expert"),
            _("Signal"),
        ],
        numeric=[True, True, True, True, False],
        rows=lines,
        chart={
            "type": "bar",
            "labels": [r.name for r in rows],
            "datasets": [
                {"label": _("Questions asked"), "data": [_chart_value(c) for c in asked_cells]},
                {"label": _("Experts available"), "data": [r.experts for r in rows]},
            ],
        },
    )


def _supply(figures: Dashboard) -> list[Table]:
    load = figures.expert_load

    def bucket(low, high) -> str:
        if high is None:
            return _("%(low)s or more") % {"low": low}
        return str(low) if low == high else f"{low}–{high}"

    running = count(load.running)
    return [
        _supply_table(
            "life-domains",
            _("Life domains: questions and experts"),
            _("Life domain"),
            figures.life_domains,
            _(
                "Experts available now in the pools serving the teams; a question may touch "
                "several life domains. Asked about and nobody to answer: expertise is missing."
            ),
        ),
        _supply_table(
            "target-groups",
            _("Target groups: questions and experts"),
            _("Target group"),
            figures.target_groups,
        ),  # fmt: skip
        Table(
            slug="expert-load",
            title=_("Open questions per expert"),
            description=_(
                "%(experts)s experts available, working on %(running)s open questions: "
                "%(per)s per expert. Where is overload?"
            )
            % {
                "experts": load.experts,
                "running": running.text,
                "per": ratio(running, load.experts).text,
            },
            header=[_("Open questions"), _("Experts")],
            rows=[(bucket(low, high), [plain(n)]) for low, high, n in load.buckets],
            footer=(_("Total"), [plain(load.experts)]),
            chart={
                "type": "bar",
                "labels": [bucket(low, high) for low, high, _n in load.buckets],
                "datasets": [{"label": _("Experts"), "data": [n for _l, _h, n in load.buckets]}],
            },
        ),
    ]
