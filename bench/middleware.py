"""Queries per request, for the report: a request that carries `X-Bench-Queries: 1` gets the
number of database queries it made back in the header of the same name. Other requests pass
through untouched (one header lookup), so the timed runs measure the application as it is.
Only in bench/settings.py, with BENCH_QUERY_COUNT=1."""

from __future__ import annotations

from django.db import connections

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get(HEADER) != "1":
            return self.get_response(request)
        counted = [0]

        def count(execute, sql, params, many, context):
            counted[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        response[HEADER] = str(counted[0])
        return response
