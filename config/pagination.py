"""Pages of a list, without counting the list (issue 9: every list that can grow is paginated).

A page is fetched as `per_page + 1` rows from the query's own order: the extra row only says
whether there is a next page. No COUNT(*) over a region's hundreds of thousands of questions,
and a page never materialises more rows than it shows. Where a page shows "how many", it uses
`count_upto`, which stops counting at a bound ("meer dan 500").

    page = paginate(request, questions_visible_to(user=request.user).order_by(...))
    {% include "includes/pagination.html" with page=page %}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, QueryDict

PER_PAGE = 25
# Beyond this a list is searched or filtered, not paged through: deep offsets are slow.
MAX_PAGE = 400
PARAM = "pagina"


@dataclass
class Page:
    items: list
    number: int
    has_next: bool
    per_page: int
    param: str = PARAM
    query: QueryDict = field(default_factory=QueryDict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def _link(self, number: int) -> str:
        query = self.query.copy()
        if number == 1:
            query.pop(self.param, None)
        else:
            query[self.param] = str(number)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def previous_link(self) -> str:
        return self._link(self.number - 1)

    @property
    def next_link(self) -> str:
        return self._link(self.number + 1)

    @property
    def first_item_number(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_item_number(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def page_number(request: HttpRequest, param: str = PARAM) -> int:
    """The requested page: a positive whole number up to MAX_PAGE; anything else is page 1."""
    raw = request.GET.get(param, "")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


def paginate(
    request: HttpRequest, rows: Any, *, per_page: int = PER_PAGE, param: str = PARAM
) -> Page:
    """One page of `rows` (an ordered queryset, or a sequence already bounded)."""
    number = page_number(request, param)
    start = (number - 1) * per_page
    window = list(rows[start : start + per_page + 1])
    return Page(
        items=window[:per_page],
        number=number,
        has_next=len(window) > per_page,
        per_page=per_page,
        param=param,
        query=request.GET,
    )


class OrderedUnion:
    """The rows of several querysets of one model as one list in one order, read a slice at a
    time (as paginate and the API's pagination do): `rows[50:76]`.

    An OR of the sources in one WHERE ("my team's questions, or open to me, or granted to me")
    makes PostgreSQL walk the whole table and sort what is left; here each source is read in the
    list's order up to the slice's end, each with its own index (a LIMIT per source), and only
    those few ids are merged, deduplicated (UNION) and read again through `rows`, which adds
    what the page shows (annotations, select_related, prefetches). One query, however many
    sources; a source must give each row at most once (filter through unique joins only).
    """

    def __init__(self, sources: Sequence[Any], *, rows: Any, order: Sequence[str]):
        self.sources = list(sources)
        self.rows = rows
        self.order = tuple(order)

    def filter(self, *args: Any, **kwargs: Any) -> OrderedUnion:
        """The same list with a filter on every source."""
        return OrderedUnion(
            [source.filter(*args, **kwargs) for source in self.sources],
            rows=self.rows,
            order=self.order,
        )

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice) or window.stop is None or window.step is not None:
            raise TypeError("An OrderedUnion is read in slices with an end, e.g. rows[0:26].")
        return list(self.window(window.start or 0, window.stop))

    def window(self, start: int, stop: int) -> Any:
        """The queryset of rows[start:stop], not yet run (for EXPLAIN: docs/performance.md)."""
        if not self.sources:
            return self.rows.none()
        heads = [
            source.order_by(*self.order).values_list("pk", flat=True)[:stop]
            for source in self.sources
        ]
        ids = heads[0].union(*heads[1:]) if len(heads) > 1 else heads[0]
        return self.rows.filter(pk__in=ids).order_by(*self.order)[start:stop]


def count_upto(rows: Any, bound: int = 500) -> tuple[int, bool]:
    """How many rows, counted up to `bound`: (count, True) means "more than bound"."""
    counted = rows[: bound + 1].count() if hasattr(rows, "count") else len(rows[: bound + 1])
    return min(counted, bound), counted > bound


def page_of(items: Sequence, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """A Page around items that are already one page (for templates shared with paged lists)."""
    return Page(items=list(items), number=number, has_next=False, per_page=per_page)
