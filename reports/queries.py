"""Small query builders the report modules share."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from consultation.models import Status
from consultation.workflow import FINAL

# A question still running: submitted and not closed, withdrawn or redirected.
OPEN_NOW = frozenset(set(Status.values) - FINAL - {Status.DRAFT})


def count_of(queryset: QuerySet, field: str, outer: str = "pk") -> Coalesce:
    """A correlated count for an annotation: the rows of `queryset` whose `field` is the outer
    row's `outer`, distinct (joins through many-to-many fields would count a row twice), 0 if
    none. A subquery per figure keeps several counts of one row from multiplying each other."""
    counted = (
        queryset.filter(**{field: OuterRef(outer)})
        .order_by()
        .values(field)
        .annotate(n=Count("pk", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
