"""What came of the questions: the triage worker's decisions, and the close-out form (after
Champlain BASE eConsult): the advice's usefulness per discipline, "new direction", and the
headline figure, escalation to specialised care avoided / still needed / newly triggered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q

from consultation.models import AdviceRating, CloseOut, Status
from reports.periods import Share
from reports.scope import ReportFilter
from triage.models import RedirectTarget, TriageDecision

# The decisions that send a question somewhere; sharpening a question is work on it, not an
# outcome, and is left out.
TRIAGE_OUTCOMES = (
    TriageDecision.Kind.ANSWER,
    TriageDecision.Kind.CLARIFY,
    TriageDecision.Kind.ASSIGN,
    TriageDecision.Kind.SESSION,
    TriageDecision.Kind.REDIRECT,
)


@dataclass(frozen=True)
class TriageOutcomes:
    # (decision kind, how many) for every outcome kind, in TRIAGE_OUTCOMES order, zeros too.
    counts: tuple[tuple[str, int], ...]
    # (redirect target, how many) for every target, zeros too.
    redirects: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def share(self, kind: str) -> Share:
        return Share(dict(self.counts).get(kind, 0), self.total)


def triage_outcomes(f: ReportFilter) -> TriageOutcomes:
    """The triage decisions taken in the period on questions of the teams, per kind (a question
    asked for clarification and then assigned counts in both). 1 query."""
    rows = (
        TriageDecision.objects.filter(
            f.questions_q("question__"), f.within("created_at"), kind__in=TRIAGE_OUTCOMES
        )
        .order_by()
        .values_list("kind", "redirect_target")
        .annotate(n=Count("pk"))
    )
    kinds = dict.fromkeys(TRIAGE_OUTCOMES, 0)
    targets = dict.fromkeys(RedirectTarget.values, 0)
    for kind, target, n in rows:
        kinds[kind] += n
        if kind == TriageDecision.Kind.REDIRECT and target in targets:
            targets[target] += n
    return TriageOutcomes(
        counts=tuple((str(kind), n) for kind, n in kinds.items()),
        redirects=tuple(targets.items()),
    )


# --- Close-outs -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CloseOutResults:
    total: int  # closed questions with their current close-out given in the period
    new_direction: int
    avoided: int
    still_needed: int
    newly_triggered: int
    not_considered: int

    @property
    def new_direction_share(self) -> Share:
        return Share(self.new_direction, self.total)

    def escalation_share(self, escalation: str) -> Share:
        return Share(getattr(self, escalation), self.total)


def current_close_outs(f: ReportFilter):
    """The close-outs that count: the newest of each question (a reopened question keeps its
    earlier ones), of a question closed now, given in the period."""
    newer = CloseOut.objects.filter(
        question=OuterRef("question"), created_at__gt=OuterRef("created_at")
    )
    return CloseOut.objects.filter(
        f.questions_q("question__"), f.within("created_at"), question__status=Status.CLOSED
    ).filter(~Exists(newer))


def close_out_results(f: ReportFilter) -> CloseOutResults:
    """1 query."""
    escalation = CloseOut.Escalation

    def counted(**condition):
        return Count("pk", filter=Q(**condition))

    totals = current_close_outs(f).aggregate(
        total=Count("pk"),
        new_direction=counted(direction=CloseOut.Direction.NEW_DIRECTION),
        avoided=counted(escalation=escalation.AVOIDED),
        still_needed=counted(escalation=escalation.STILL_NEEDED),
        newly_triggered=counted(escalation=escalation.NEWLY_TRIGGERED),
        not_considered=counted(escalation=escalation.NOT_CONSIDERED),
    )
    return CloseOutResults(**totals)


@dataclass(frozen=True)
class DisciplineRating:
    discipline: str  # the expert's discipline when writing ("" when not known), never a name
    ratings: int
    average: float  # usefulness 1-5, to two decimals


def usefulness_per_discipline(f: ReportFilter) -> tuple[DisciplineRating, ...]:
    """The average usefulness the generalists gave the advice, per discipline of its author,
    over the current close-outs (above). 1 query."""
    rows = (
        AdviceRating.objects.filter(close_out__in=current_close_outs(f).values("pk"))
        .order_by()
        .values_list("message__author_discipline")
        .annotate(n=Count("pk"), average=Avg("usefulness"))
        .order_by("message__author_discipline")
    )
    return tuple(
        DisciplineRating(discipline, n, round(float(average), 2)) for discipline, n, average in rows
    )
