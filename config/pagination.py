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


def count_upto(rows: Any, bound: int = 500) -> tuple[int, bool]:
    """How many rows, counted up to `bound`: (count, True) means "more than bound"."""
    counted = rows[: bound + 1].count() if hasattr(rows, "count") else len(rows[: bound + 1])
    return min(counted, bound), counted > bound


def page_of(items: Sequence, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """A Page around items that are already one page (for templates shared with paged lists)."""
    return Page(items=list(items), number=number, has_next=False, per_page=per_page)
