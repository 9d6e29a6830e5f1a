"""The dashboard's figures as the tables the page, its charts and its exports show.

Every number passes reports.suppression here and in reports.sections, nowhere else: the page,
the chart data, the CSV, the XLSX and the PDF are all made from these `Table`s, so a file
cannot hold what the screen hides. A figure that appears in two tables is suppressed once and
the same cell is used in both (a team's total in the month table is its "asked" in the teams
table), so one table cannot give away a cell that another hides.

Counts of residents' questions are suppressed (1-4 as "< 5", and a second cell where a total
would give one away). Counts of professionals and organisations (team members, experts,
sessions, hours) are about the municipality's own staffing and are shown as they are; a ratio
is shown only when the count of questions it is made of is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import dateformat
from django.utils.translation import gettext as _

from reports.cells import (
    ECONSULT_REFERENCE_PERCENT,
    Cell,
    KeyFigure,
    Report,
    Table,
    cell_of,
    chart_value,
    count,
    days,
    hours,
    month_label,
    num,
    plain,
    ratio,
    share,
    share_of,
    shown_cells,
)
from reports.compare import MunicipalityFigures
from reports.kpis import Dashboard
from reports.sections import capacity, results, supply, timing_tables, triage
from reports.suppression import SMALL, CountTable, suppress
from reports.timing import ANSWERED_WITHIN_DAYS


# --- The report -----------------------------------------------------------------------------------
def build_report(
    figures: Dashboard, comparison: Sequence[MunicipalityFigures] = (), *, by_municipality=False
) -> Report:
    """All tables of the dashboard. `by_municipality`: a region's report, whose questions are
    split per municipality, not per team."""
    per_month, teams_table, asked_total, municipality_totals = _usage(figures, by_municipality)
    speed_tables = timing_tables(figures)
    triage_tables = triage(figures)
    results_tables, escalation_total, avoided = results(figures)
    capacity_tables, billable_minutes = capacity(figures)
    supply_tables = supply(figures)
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
        ("speed", _("Speed"), speed_tables),
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
            _("Ontario eConsult: %(percent)s %%") % {"percent": num(ECONSULT_REFERENCE_PERCENT, 1)},
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
    months = [month_label(m) for m in questions.months]
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
    grid = shown_cells(shown)
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
                {"label": _("Questions asked"), "data": [chart_value(c) for c in month_totals]}
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
                    "data": [chart_value(share(m.answered_within)) for m in rows],
                }
            ],
        },
    )
