"""The API's lists are paged without counting them (as the HTML lists: config/pagination.py).

`?page=N&page_size=M` (M at most MAX_PAGE_SIZE); the answer has `next` and `previous` links
and `results`, but no `count`: counting a region's questions for every page was most of the
time of a list request. A page is fetched as page_size + 1 rows: the extra one says whether
there is a next page.
"""

from __future__ import annotations

from collections import OrderedDict

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.pagination import MAX_PAGE

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class UncountedPagination(BasePagination):
    page_query_param = "page"
    page_size_query_param = "page_size"

    def _positive(self, request, name: str, default: int, ceiling: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({name: [f"A whole number from 1 to {ceiling}."]})
        return min(int(raw), ceiling)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self._positive(
            request, self.page_size_query_param, PAGE_SIZE, MAX_PAGE_SIZE
        )
        self.page_number = self._positive(request, self.page_query_param, 1, MAX_PAGE)
        start = (self.page_number - 1) * self.page_size
        window = list(queryset[start : start + self.page_size + 1])
        self.has_next = len(window) > self.page_size
        return window[: self.page_size]

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self._link(self.page_number + 1) if self.has_next else None),
                    (
                        "previous",
                        self._link(self.page_number - 1) if self.page_number > 1 else None,
                    ),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number (from 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, at most {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
