"""What the district team's close-out tells the experts back (issue 10: experts learn from
feedback): the usefulness the team gave an advice (1 to 5) and the close-out's comment.

Who reads what — decided in these queries, not in the templates:
- an advice's rating: its author, and the asking team (who gave it). Another expert on the same
  question does not see a colleague's rating, nor does triage: a rating is feedback to one
  person, not a ranking of the pool.
- the close-out's comment: the author of an advice that close-out rated, next to that advice.
  The team wrote it and has its own close-out section. The comment passes the privacy guard
  when it is written (consultation.services); it is only shown here, and beside it nothing of
  the resident but what the expert already sees (the pseudonym).

A reopened question that is closed again rates its advice anew: an advice's *current* rating is
the one no later close-out replaced.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull

from consultation.models import AdviceRating, Message


def current_ratings() -> QuerySet[AdviceRating]:
    """Ratings that no later close-out of the question replaced (one per advice)."""
    later = Q(close_out__created_at__gt=OuterRef("close_out__created_at")) | Q(
        close_out__created_at=OuterRef("close_out__created_at"),
        close_out_id__gt=OuterRef("close_out_id"),
    )
    replaced = AdviceRating.objects.filter(later, message_id=OuterRef("message_id"))
    return AdviceRating.objects.filter(~Exists(replaced))


def ratings_of_author(*, user) -> QuerySet[AdviceRating]:
    """The current ratings of `user`'s own advice."""
    return current_ratings().filter(message__author=user, message__kind=Message.Kind.ADVICE)


def with_feedback(messages: QuerySet[Message], *, user, team_ids: QuerySet) -> QuerySet[Message]:
    """Annotate a question's messages with what `user` may read of the feedback on them:
    `feedback_usefulness` (their own advice, or any advice when they are of the asking team,
    `team_ids`) and `feedback_comment` (their own rated advice only); None and "" otherwise."""
    rating = current_ratings().filter(message_id=OuterRef("pk"))
    own_advice = Q(kind=Message.Kind.ADVICE, author=user)
    return messages.annotate(
        feedback_usefulness=Case(
            When(own_advice, then=Subquery(rating.values("usefulness")[:1])),
            When(
                kind=Message.Kind.ADVICE,
                question__team_id__in=team_ids,
                then=Subquery(rating.values("usefulness")[:1]),
            ),
            default=None,
        ),
        feedback_comment=Coalesce(
            Case(When(own_advice, then=Subquery(rating.values("close_out__comment")[:1]))),
            Value(""),
            output_field=TextField(),
        ),
    )


def ratings_of_own_advice(*, user, question_ref: str = "question_id") -> ArraySubquery:
    """The current ratings of `user`'s advice on the row's question, oldest advice first."""
    mine = ratings_of_author(user=user).filter(message__question_id=OuterRef(question_ref))
    return ArraySubquery(mine.order_by("message__created_at", "message_id").values("usefulness"))


def feedback_on_question(*, user, question_ref: str = "question_id") -> dict:
    """Annotations for a row about one question that `user` advised on: `my_ratings`
    (ratings_of_own_advice) and `comment_given` (a close-out that rated their advice there has a
    comment for them to read)."""
    mine = ratings_of_author(user=user).filter(message__question_id=OuterRef(question_ref))
    commented = mine.exclude(close_out__comment="").values("pk")[:1]
    return {
        "my_ratings": ratings_of_own_advice(user=user, question_ref=question_ref),
        # A scalar subquery, not EXISTS: PostgreSQL would hash an EXISTS over all the expert's
        # ratings (planned for every advice, not for the page's 25), 180 ms at 200k questions.
        "comment_given": IsNull(Subquery(commented), False),
    }
