"""The dashboard's sections after the questions: speed, triage, results of the advice, sessions
and hours, supply and demand; each a list of reports.cells.Table, suppressed through
reports.suppression (see reports.tables)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from consultation.models import CloseOut
from reports.cells import (
    DASH,
    ECONSULT_REFERENCE_PERCENT,
    Cell,
    Table,
    cell_of,
    chart_value,
    count,
    days,
    hours,
    money,
    month_label,
    num,
    plain,
    ratio,
    share,
    share_of,
    shown_cells,
)
from reports.kpis import Dashboard
from reports.suppression import CountTable, shown_mean, suppress
from reports.timing import ANSWERED_WITHIN_DAYS
from triage.models import RedirectTarget, TriageDecision


def timing_tables(figures: Dashboard) -> list[Table]:
    t = figures.timing
    overview = Table(
        slug="speed",
        title=_("Time to advice and to closing"),
        description=_(
            "In working days: weekends and public holidays do not count. Ontario's eConsult "
            "regions publish %(percent)s %% answered within a week."
        )
        % {"percent": num(ECONSULT_REFERENCE_PERCENT, 1)},
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
    months = [month_label(m) for m, _d in t.first_advice_by_month]
    counts = suppress(CountTable.column(months, [d.count for _m, d in t.first_advice_by_month]))
    medians = [days(d.median, d.count) for _m, d in t.first_advice_by_month]
    p90s = [days(d.p90, d.count) for _m, d in t.first_advice_by_month]
    count_cells = [row[0] for row in shown_cells(counts)]
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
                {"label": _("Median (working days)"), "data": [chart_value(c) for c in medians]},
                {
                    "label": _("90th percentile (working days)"),
                    "data": [chart_value(c) for c in p90s],
                },
            ],
        },
    )
    return [overview, by_month]


def _column_table(slug, title, heading, labels, counts, *, description="", chart="bar"):
    """Counts with their total and each one's share of it, suppressed as one table."""
    shown = suppress(CountTable.column(labels, counts))
    cells = [row[0] for row in shown_cells(shown)]
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
            "datasets": [{"label": _("Number"), "data": [chart_value(c) for c in cells]}],
        },
    )


def triage(figures: Dashboard) -> list[Table]:
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


def results(figures: Dashboard):
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
    avoided, total = escalation.rows[0][1][0], escalation.footer[1][0]
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
                        chart_value(cell_of(shown_mean(r.average, r.ratings), kind="decimal"))
                        for r in ratings
                    ],
                }
            ],
        },
    )
    return [escalation, usefulness], total, avoided


def capacity(figures: Dashboard):
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
            f"{num(round(100 * billable / cap, 1), 1)} %", round(100 * billable / cap, 1)
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
                {"label": _("Questions asked"), "data": [chart_value(c) for c in asked_cells]},
                {"label": _("Experts available"), "data": [r.experts for r in rows]},
            ],
        },
    )


def supply(figures: Dashboard) -> list[Table]:
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
