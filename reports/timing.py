"""How fast: time to first advice (median, 90th percentile, share within 7 working days), time
to close, and the triage clock's on-time share. All in working days (reports.periods, the
triage clock's calendar), from ONE query: per question asked in the period its submission,
first advice, first moment out of the triage queue and closing, as timestamps; the working days
between them are counted in Python (holidays are a calendar, not a column)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery

from consultation.models import Message, Question, QuestionTransition, Status
from expertise.models import ExpertPool
from reports.periods import Distribution, Share, working_days_between
from reports.scope import ReportFilter
from triage.clock import AMSTERDAM

# The eConsult KPI (Ontario publishes 94.6 % answered within a week): 7 working days.
ANSWERED_WITHIN_DAYS = 7
# A question that ended this way without advice was not waiting for an answer from the pool.
ENDED_ELSEWHERE = frozenset({Status.WITHDRAWN, Status.REDIRECTED})


@dataclass(frozen=True)
class Timing:
    # Questions asked in the period that got advice: working days to the first advice.
    first_advice: Distribution
    # Answered within 7 working days, out of the questions answered or waiting longer than that.
    answered_within: Share
    # Asked, no advice yet, and younger than 7 working days: not counted in answered_within.
    still_young: int
    # Closed questions (closed now): working days from submission to closing.
    close: Distribution
    # Questions of triage pools out of the queue within the pool's triage target, out of those
    # out of the queue or whose clock ran out in it.
    triage_on_time: Share
    # The first advice per month of submission: (first day of the month, distribution).
    first_advice_by_month: tuple[tuple[date, Distribution], ...]


def _first(queryset, field: str = "created_at") -> Subquery:
    return Subquery(queryset.filter(question=OuterRef("pk")).order_by(field).values(field)[:1])


def timing(f: ReportFilter) -> Timing:
    """1 query."""
    advice = Message.objects.filter(kind=Message.Kind.ADVICE)
    out_of_triage = QuestionTransition.objects.filter(from_status=Status.IN_TRIAGE)
    rows = (
        Question.objects.filter(f.asked_q())
        .annotate(first_advice_at=_first(advice), triaged_at=_first(out_of_triage))
        .order_by()
        .values_list(
            "submitted_at",
            "first_advice_at",
            "closed_at",
            "status",
            "triaged_at",
            "pool__collaboration_model",
            "pool__triage_target_days",
        )
    )
    to_advice: list[float] = []
    by_month: dict[date, list[float]] = defaultdict(list)
    to_close: list[float] = []
    within = waited = young = 0
    triage_ok = triage_counted = 0
    for submitted, advised, closed, status, triaged, model, triage_days in rows:
        if submitted is None:  # the query selects submitted questions only
            continue
        if advised is not None:
            days = working_days_between(submitted, advised)
            to_advice.append(days)
            month = submitted.astimezone(AMSTERDAM).date().replace(day=1)
            by_month[month].append(days)
            waited += 1
            within += days <= ANSWERED_WITHIN_DAYS
        elif status not in ENDED_ELSEWHERE:
            if working_days_between(submitted, f.now) > ANSWERED_WITHIN_DAYS:
                waited += 1
            else:
                young += 1
        if status == Status.CLOSED and closed is not None:
            to_close.append(working_days_between(submitted, closed))
        if model == ExpertPool.CollaborationModel.TRIAGE:
            ended = triaged or f.now
            on_time = working_days_between(submitted, ended) <= triage_days
            if triaged is not None or not on_time:
                triage_counted += 1
                triage_ok += triaged is not None and on_time
    return Timing(
        first_advice=Distribution.of(to_advice),
        answered_within=Share(within, waited),
        still_young=young,
        close=Distribution.of(to_close),
        triage_on_time=Share(triage_ok, triage_counted),
        first_advice_by_month=tuple(
            (month, Distribution.of(by_month.get(month, []))) for month in f.period.months()
        ),
    )
