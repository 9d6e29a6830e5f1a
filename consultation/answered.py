"""The expert's answered questions (issue 10: experts learn from feedback): reads.

Read from the expert's own advice (index message_advice_by_author), never from the questions:
an expert gives some thousands of advices over the years where a region holds hundreds of
thousands of questions. Each row is still scoped through the visibility chokepoint
(questions_visible_to), tested for that row on the expert's keys read once (keys_read).
"""

from __future__ import annotations

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from consultation.feedback import current_ratings, feedback_on_question
from consultation.models import Message
from consultation.selectors import Keys, question_prefetches, questions_visible_to
from wijkteam.selectors import AgeInYears

# The long texts that the list does not show.
NOT_SHOWN = ("body", "question__situation", "question__tried", "question__question")
# The summary is over the expert's newest advices: what they learn from is their recent work,
# and the line costs the same after ten years of advising.
SUMMARY_ADVICES = 100
NEWEST_FIRST = ("-created_at", "-pk")


def _advice_of(*, user, keys: Keys) -> QuerySet[Message]:
    """The expert's advice on questions they may see, newest first."""
    visible = questions_visible_to(user=user, keys=keys).filter(pk=OuterRef("question_id"))
    return Message.objects.filter(Exists(visible), author=user, kind=Message.Kind.ADVICE).order_by(
        *NEWEST_FIRST
    )


class AnsweredPages:
    """The list as config.pagination.paginate reads it, `rows[start:stop]`, in one query: the
    window's ids from the lean query (the index, "their newest advice there", visibility), and
    only those rows joined and annotated. At 200,000 questions the last of the demo expert's
    240 pages took 510 ms read in one go, 190 ms so."""

    def __init__(self, lean: QuerySet[Message], rows: QuerySet[Message]):
        self.lean = lean
        self.rows = rows

    def __getitem__(self, window: slice) -> list[Message]:
        ids = self.lean.values("pk")[window]
        return list(self.rows.filter(pk__in=ids).order_by(*NEWEST_FIRST))


def expert_answered(*, user, keys: Keys) -> AnsweredPages:
    """Per question the expert advised on, their newest advice there, newest first, with the
    question as the inbox shows it and the feedback on their advice (consultation.feedback).
    Read a page at a time: 1 query + the page's life domains and target groups (2)."""
    newer_advice_there = Message.objects.filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk")),
        question_id=OuterRef("question_id"),
        author=user,
        kind=Message.Kind.ADVICE,
    )
    rows = (
        Message.objects.select_related("question")
        .defer(*NOT_SHOWN)
        .annotate(
            case_pseudonym=F("question__case__pseudonym"),
            resident_age=AgeInYears("question__case__resident__date_of_birth"),
            **feedback_on_question(user=user),
        )
        .prefetch_related(
            *(
                Prefetch(f"question__{p.prefetch_through}", p.queryset, to_attr=p.to_attr)
                for p in question_prefetches(experts=False)
            )
        )
    )
    lean = _advice_of(user=user, keys=keys).filter(~Exists(newer_advice_there))
    return AnsweredPages(lean, rows)


def expert_feedback_summary(*, user, keys: Keys) -> dict:
    """Over the expert's newest SUMMARY_ADVICES advices (fewer when they gave fewer): how many
    (`advices`), how many have a rating (`rated`), and the average rating (`average`, None when
    none has). One query."""
    rating = current_ratings().filter(message_id=OuterRef("pk")).values("usefulness")[:1]
    newest = _advice_of(user=user, keys=keys).annotate(usefulness=Subquery(rating))
    return newest[:SUMMARY_ADVICES].aggregate(
        advices=Count("pk"), rated=Count("usefulness"), average=Avg("usefulness")
    )
