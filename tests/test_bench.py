"""The benchmark harness's own logic (bench/), without a benchmark run: percentiles and
figures, the report files, the database it picks, the load generator against a tiny server,
the reference views (never mounted without BENCH_REFERENCES), the query counter, and the
signed-in sessions it makes for the demo accounts."""

import importlib
import json
import math
import threading
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve

from accounts.roles import Role
from bench import load
from bench.middleware import HEADER, QueryCountMiddleware
from bench.report import render_markdown, write_report
from bench.stack import bench_database_url, with_database
from bench.stats import Sample, percentile, ratios, summarise
from tests.accounts.factories import UserFactory


# --- figures ---------------------------------------------------------------------------------
def test_percentile_interpolates_between_the_closest_ranks():
    values = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 95) == pytest.approx(3.85)
    assert percentile(values, 100) == 4.0
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_percentile_of_a_hundred_values():
    values = [float(i) for i in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)


def _sample(latencies, *, seconds=2.0, errors=0, status=200):
    statuses = Counter({status: len(latencies)})
    if errors:
        statuses[500] = errors
    return Sample(
        seconds=seconds,
        latencies=list(latencies),
        statuses=statuses,
        errors=errors,
        response_bytes=1000 * (len(latencies) + errors),
        client_cpu_seconds=0.01,
    )


def test_summary_counts_only_expected_answers_as_throughput():
    figures = summarise(_sample([0.1, 0.2, 0.3, 0.4], errors=2))
    assert figures["requests"] == 6
    assert figures["ok"] == 4
    assert figures["errors"] == 2
    assert figures["rps"] == 2.0  # 4 good answers in 2 s
    assert figures["p50"] == pytest.approx(0.25)
    assert figures["bytes_mean"] == 1000
    assert figures["statuses"] == {"200": 4, "500": 2}


def test_ratios_to_the_reference():
    page = summarise(_sample([0.2] * 10))  # 5 req/s, 200 ms
    reference = summarise(_sample([0.05] * 40))  # 20 req/s, 50 ms
    ratio = ratios(page, reference)
    assert ratio["rps"] == pytest.approx(0.25)
    assert ratio["p95"] == pytest.approx(4.0)
    assert math.isnan(ratios(page, summarise(_sample([])))["rps"])


# --- the report ------------------------------------------------------------------------------
def _report():
    minimal = summarise(_sample([0.02] * 100))
    inbox = summarise(_sample([0.5] * 4, errors=1))
    minimal["ratio"] = ratios(minimal, minimal)
    inbox["ratio"] = ratios(inbox, minimal)
    return {
        "date": "2026-12-01",
        "questions": 2000,
        "commit": "abc1234",
        "machine": {
            "cores": 2,
            "cpu": "a CPU",
            "memory_gib": 23.5,
            "load_average": [1.0, 1.0, 1.0],
            "python": "3.12.1",
            "postgresql": "15.20",
            "redis": "7.0.15",
        },
        "config": {
            "workers": 2,
            "worker_concurrency": 1,
            "duration": 5.0,
            "warmup": 1.0,
            "connections": [4],
        },
        "load_generator": {"name": "bench.load"},
        "data": {
            "expert_visible_questions": 206,
            "triage_queue": 44,
            "generalist_cases": 177,
            "questions": 2000,
        },
        "endpoints": [
            {
                "name": "minimal page",
                "role": "expert",
                "reference": True,
                "queries": [5, 5, 5],
                "runs": {"4": minimal},
            },
            {
                "name": "expert inbox",
                "role": "expert",
                "reference": False,
                "queries": [13, 12, 12],
                "runs": {"4": inbox},
            },
        ],
        "email": {
            "sent": 3,
            "p50": 0.09,
            "p95": 0.14,
            "max": 0.15,
            "row_p50": 0.05,
            "unsent": 0,
            "seconds": [0.09, 0.14, 0.15],
        },
        "notes": ["a note"],
    }


def test_the_markdown_table_gives_each_figure_with_its_ratio():
    text = render_markdown(_report())
    assert "# Benchmark, 2,000 questions (2026-12-01)" in text
    assert "PostgreSQL 15.20" in text and "Redis 7.0.15" in text and "2 cores" in text
    assert "| page | role | queries | kB | req/s | p50 ms | p95 ms | p99 ms | errors |" in text
    assert "| minimal page *(reference)* | expert | 5 | 1.0 | 50 (1.00×) | 20 (1.00×) |" in text
    # 2 req/s of 50 is 0.04×; 500 ms against 20 ms is 25×; the query counts vary 12–13.
    assert "| expert inbox | expert | 12–13 | 1.0 | 2.0 (0.040×) | 500 (25×) |" in text
    assert "| 3 | 90 | 140 | 150 | 50 | 0 |" in text
    assert "- a note" in text


def test_the_report_is_written_as_markdown_and_json(tmp_path):
    report = _report()
    report["endpoints"][1]["runs"]["4"]["p99"] = math.nan
    markdown, data = write_report(report, tmp_path)
    assert markdown.name == "2026-12-01-2000.md" and data.name == "2026-12-01-2000.json"
    assert markdown.read_text() == render_markdown(report)
    loaded = json.loads(data.read_text())  # NaN is not JSON: it is written as null
    assert loaded["endpoints"][1]["runs"]["4"]["p99"] is None
    assert loaded["endpoints"][0]["runs"]["4"]["rps"] == 50.0


# --- the database ----------------------------------------------------------------------------
def test_the_benchmark_database():
    server = "postgres://postgres@127.0.0.1:5432/wijkexpert"
    assert bench_database_url({"BENCH_DATABASE_URL": "postgres://x/y", "DATABASE_URL": server}) == (
        "postgres://x/y"
    )
    assert bench_database_url({"DATABASE_URL": server}) == (
        "postgres://postgres@127.0.0.1:5432/wijkexpert_bench"
    )
    assert bench_database_url({}) is None  # the embedded PostgreSQL
    embedded = "postgres://postgres@/wijkexpert?host=/tmp/pg"
    assert with_database(embedded, "wijkexpert_bench") == (
        "postgres://postgres@/wijkexpert_bench?host=/tmp/pg"
    )


# --- the load generator ----------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        status = 500 if self.path == "/broken/" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(body)
        self.send_response(302)
        self.send_header("Location", "/done/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_load_generator_counts_answers_in_the_window(tiny_server):
    port = tiny_server.server_address[1]
    endpoint = load.Endpoint("ok", "expert", paths=["/a/", "/b/"])
    sample = load.run(
        endpoint,
        host="127.0.0.1",
        port=port,
        cookies=["sessionid=1", "sessionid=2"],
        connections=2,
        duration=0.3,
        warmup=0.05,
    )
    assert sample.requests > 0
    assert sample.errors == 0
    assert set(sample.statuses) == {200}
    assert len(sample.latencies) == sample.requests
    assert all(0 < latency < 1 for latency in sample.latencies)


def test_unexpected_answers_are_errors_and_posts_get_a_fresh_body(tiny_server):
    port = tiny_server.server_address[1]
    broken = load.Endpoint("broken", "expert", paths=["/broken/"])
    sample = load.run(
        broken, host="127.0.0.1", port=port, cookies=["c"], connections=1, duration=0.2, warmup=0
    )
    assert sample.errors == sample.requests > 0 and sample.latencies == []

    bodies = iter(range(10_000))
    seen = []
    post = load.Endpoint(
        "post",
        "generalist",
        method="POST",
        paths=["/p/"],
        expect=frozenset({302}),
        body=lambda: f"token={next(bodies)}".encode(),
        check=lambda response: seen.append(response.headers["location"]) or "made",
    )
    sample = load.run(
        post, host="127.0.0.1", port=port, cookies=["c"], connections=1, duration=0.2, warmup=0
    )
    assert sample.errors == 0 and sample.outcomes["made"] == sample.requests > 0
    assert len(set(tiny_server.bodies)) == len(tiny_server.bodies)  # a fresh token each time
    assert set(seen) == {"/done/"}


def test_a_request_carries_its_cookie_and_headers():
    raw = load.build_request(
        host="127.0.0.1",
        port=80,
        method="POST",
        path="/x/",
        cookie="sessionid=abc; csrftoken=def",
        body=b"a=1",
        extra={HEADER: "1"},
    )
    head, body = raw.split(b"\r\n\r\n")
    assert head.startswith(b"POST /x/ HTTP/1.1\r\n")
    assert b"\r\nCookie: sessionid=abc; csrftoken=def" in head
    assert b"\r\nX-Bench-Queries: 1" in head
    assert b"\r\nContent-Length: 3" in head and body == b"a=1"
    status, headers = load.parse_head(b"HTTP/1.1 302 Found\r\nLocation: /y/\r\n\r\n")
    assert status == 302 and headers["location"] == "/y/"


# --- the reference views and the query counter -----------------------------------------------
def test_the_reference_views_are_not_mounted_in_the_application():
    assert settings.ROOT_URLCONF == "config.urls"
    for path in ("/bench/bare/", "/bench/minimal/"):
        with pytest.raises(Resolver404):
            resolve(path)


def _bench_settings(monkeypatch, **env):
    monkeypatch.setenv("SECRET_KEY", "bench-test-key")
    for name in ("BENCH_REFERENCES", "BENCH_QUERY_COUNT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(importlib.import_module("bench.settings"))


def test_bench_settings_mount_them_only_with_the_variable(monkeypatch):
    plain = _bench_settings(monkeypatch)
    assert plain.ROOT_URLCONF == "config.urls"
    assert "bench.middleware.QueryCountMiddleware" not in plain.MIDDLEWARE
    assert plain.DEBUG is False and plain.DEMO_MODE is False  # production underneath

    switched = _bench_settings(monkeypatch, BENCH_REFERENCES="1", BENCH_QUERY_COUNT="1")
    assert switched.ROOT_URLCONF == "bench.urls"
    assert switched.MIDDLEWARE[0] == "bench.middleware.QueryCountMiddleware"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_the_references_answer_signed_in_users_only(client, verified_client, make_user):
    assert client.get("/bench/bare/").status_code == 302  # to the sign-in page
    signed_in = verified_client(make_user(Role.EXPERT))
    bare = signed_in.get("/bench/bare/")
    assert bare.status_code == 200 and bare.content == b"ok"
    minimal = signed_in.get("/bench/minimal/")
    assert minimal.status_code == 200 and b"<table>" in minimal.content
    assert signed_in.get("/expert/").status_code == 200  # the application is still there


@pytest.mark.django_db
def test_the_query_counter_answers_only_when_asked():
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    middleware = QueryCountMiddleware(view)
    factory = RequestFactory()
    assert middleware(factory.get("/", headers={HEADER: "1"}))[HEADER] == "2"
    assert HEADER not in middleware(factory.get("/"))


# --- the signed-in sessions ------------------------------------------------------------------
@pytest.mark.django_db
def test_the_session_helper_signs_in_with_a_verified_second_factor(client, make_user):
    from bench.targets import signed_in_session

    expert = make_user(Role.EXPERT)
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(expert)
    response = client.get("/expert/")
    assert response.status_code == 200
    assert response.wsgi_request.user == expert
    assert response.wsgi_request.user.is_verified()
    # A second session of the same person is another session on the same device.
    assert signed_in_session(expert) != client.cookies[settings.SESSION_COOKIE_NAME].value
    assert expert.totpdevice_set.count() == 1


@pytest.mark.django_db
def test_without_the_helper_the_same_user_meets_the_second_factor(client):
    client.force_login(UserFactory())
    assert client.get("/vragen/meldingen/").status_code == 302


def test_a_claim_is_put_back_only_when_one_was_made():
    from bench.targets import release_claim

    assert release_claim("/triage/", worker=None) == "queue empty"
    assert release_claim("", worker=None) is None


# --- the dashboard scenario (bench.dashboard) --------------------------------------------------
@pytest.mark.django_db
def test_the_dashboard_scenario_times_every_query_and_renders_a_table():
    from bench.dashboard import measure, render
    from reports.kpis import DASHBOARD_QUERIES
    from reports.periods import Period
    from reports.scope import ReportFilter
    from tests.reports.data import NOW, build_world

    world = build_world()
    q2 = Period(date(2025, 4, 1), date(2025, 6, 30))
    municipality = ReportFilter.for_municipality(world.municipality, q2, now=NOW)
    region = ReportFilter.for_region(world.region, Period.year(2025), now=NOW)
    result = measure(municipality, repeat=2, explain=True)
    assert result["queries"] == result["dashboard_queries"] == DASHBOARD_QUERIES
    assert len(result["per_query_ms"]) == len(result["plans"]) == DASHBOARD_QUERIES
    assert all("Execution Time" in plan for plan in result["plans"])
    assert result["asked"] > 0 and result["total_ms"]["min"] <= result["total_ms"]["max"]
    regional = measure(region, repeat=1, explain=False)
    assert "comparison_ms" in regional and "plans" not in regional
    report = {
        "date": "2026-12-03",
        "questions": 12,
        "repeat": 2,
        "commit": "abc1234",
        "machine": {
            "cores": 2,
            "cpu": "test",
            "memory_gib": 1.0,
            "postgresql": "15",
            "python": "3.12",
            "load_average": [0.1, 0.2, 0.3],
        },
        "load_average_end": [0.1, 0.2, 0.3],
        "scenarios": {"M, Q2": result, "R (region), 2025": regional},
    }
    text = render(report)
    assert "| M, Q2 |" in text and "| 11. hours per care provider |" in text
    assert "comparison of its municipalities" in text
