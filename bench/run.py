"""`make bench` (`python -m bench`): build or reuse the data set, start the production shape,
measure every page as its signed-in users, write the report, stop everything it started.

1. The database: BENCH_DATABASE_URL, else `wijkexpert_bench` on DATABASE_URL's server, else the
   embedded PostgreSQL; migrated, and `generate_scale_data --questions N` (a no-op when it holds
   that data set already).
2. A Redis of its own (never the machine's), gunicorn with bench.settings (production plus the
   reference views and the query counter), one Celery worker; e-mail to files.
3. Sessions for the demo accounts; per endpoint the queries of one request, then req/s and
   latency at each concurrency; then submit → e-mail through the worker.
4. What the run wrote is removed again; the report goes to bench/results/.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import load
from bench.report import git_commit, machine_facts, render_markdown, write_report
from bench.stack import BASE_DIR, PYTHON, Processes, free_port, resolve_database, wait_until
from bench.stats import percentile, ratios, summarise

MINIMAL = "minimal page"
QUERY_SAMPLES = 3


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="rebuild the data set")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per figure")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each figure")
    parser.add_argument("--connections", default="4,20", help="concurrencies, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-concurrency", type=int, default=1, help="Celery processes")
    parser.add_argument("--emails", type=int, default=20, help="submits timed to the e-mail")
    parser.add_argument("--only", default="", help="measure only these endpoints (names, comma)")
    parser.add_argument(
        "--unpaired",
        dest="paired",
        action="store_false",
        help="compare with the minimal page of the start only (half the time; drifts)",
    )
    return parser.parse_args(argv)


def manage(env: dict[str, str], *args: str) -> None:
    import subprocess

    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def bench_env(base: dict[str, str], *, database: str, redis: str, port: int, workdir: Path):
    """What gunicorn, the worker and this process run with: production settings over plain
    HTTP on 127.0.0.1, a fresh secret, queue and cache prefix of their own, e-mail to files."""
    tag = secrets.token_hex(4)
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "CELERY_QUEUE": f"bench-{tag}",
        "CACHE_KEY_PREFIX": f"bench-{tag}",
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "BENCH_REFERENCES": "1",
        "BENCH_QUERY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        # The sessions are made once, before the first figure; a long run must not outlive them.
        "SESSION_IDLE_MINUTES": "240",
        "PYTHONUNBUFFERED": "1",
    }


def endpoints(setup) -> list[load.Endpoint]:
    """In the order they are measured: the references first; pages that the submits make
    longer (inbox, notifications, team home) before the submits."""
    from bench import targets

    triage = setup.users["triage"]
    Endpoint = load.Endpoint
    return [
        Endpoint("bare view", "expert", paths=["/bench/bare/"], reference=True),
        Endpoint(MINIMAL, "expert", paths=["/bench/minimal/"], reference=True),
        Endpoint("expert inbox", "expert", paths=["/expert/"]),
        Endpoint("question detail", "expert", paths=setup.detail_paths),
        Endpoint("notifications", "expert", paths=["/vragen/meldingen/"]),
        Endpoint("API questions", "expert", paths=["/api/v1/questions/"]),
        Endpoint("API notifications", "expert", paths=["/api/v1/notifications/"]),
        Endpoint("triage home", "triage", paths=["/triage/"]),
        Endpoint(
            "claim next (POST)",
            "triage",
            method="POST",
            paths=["/triage/volgende/"],
            expect=frozenset({302}),
            body=partial(targets.claim_body, setup),
            check=lambda response: targets.release_claim(
                response.headers.get("location", ""), triage
            ),
            note="each claimed question is put back in the queue at once (in the database)",
        ),
        Endpoint("team home", "generalist", paths=["/wijkteam/"]),
        Endpoint("API cases", "generalist", paths=["/api/v1/cases/"]),
        Endpoint(
            "submit a question (POST)",
            "generalist",
            method="POST",
            paths=[setup.submit_path],
            expect=frozenset({302}),
            body=partial(targets.submit_body, setup),
        ),
    ]


def count_queries(endpoint: load.Endpoint, *, port: int, cookie: str) -> list[int]:
    counts = []
    for _ in range(QUERY_SAMPLES):
        raw = load.build_request(
            host="127.0.0.1",
            port=port,
            method=endpoint.method,
            path=endpoint.paths[0],
            cookie=cookie,
            body=endpoint.body() if endpoint.body else None,
            extra={"X-Bench-Queries": "1"},
        )
        response = load.send("127.0.0.1", port, raw)
        if endpoint.check:
            endpoint.check(response)
        if response.status not in endpoint.expect:
            raise RuntimeError(
                f"{endpoint.name}: {endpoint.method} {endpoint.paths[0]} answered "
                f"{response.status}, expected {sorted(endpoint.expect)} "
                f"(Location: {response.headers.get('location', '–')})"
            )
        counts.append(int(response.headers.get("x-bench-queries", "-1")))
    return counts


def measure_emails(setup, *, port: int, count: int) -> dict:
    """Submit `count` questions one after another (a quarter second apart) and time each one
    to the expert's e-mail being sent by the worker."""
    from bench import targets

    waiting = targets.wait_for_outbox(setup, timeout=120)
    submitted: dict[int, float] = {}
    for _ in range(count):
        raw = load.build_request(
            host="127.0.0.1",
            port=port,
            method="POST",
            path=setup.submit_path,
            cookie=setup.cookies["generalist"][0],
            body=targets.submit_body(setup),
        )
        response = load.send("127.0.0.1", port, raw)
        question = targets.question_id(response.headers.get("location", ""))
        if response.status == 302 and question:
            submitted[question] = response.sent_at
        time.sleep(0.25)
    from_submit, from_row, unsent = targets.email_times(setup, submitted, timeout=60)
    return {
        "submitted": len(submitted),
        "sent": len(from_submit),
        "unsent": unsent + (count - len(submitted)),
        "backlog_before": waiting,
        "p50": percentile(from_submit, 50),
        "p95": percentile(from_submit, 95),
        "max": max(from_submit) if from_submit else float("nan"),
        "row_p50": percentile(from_row, 50),
        "row_p95": percentile(from_row, 95),
        "seconds": from_submit,
    }


def measure(options, setup, *, port: int, processes: Processes) -> tuple[list[dict], list[str]]:
    """Every endpoint at every concurrency. Paired (the default): the minimal page is measured
    again right before each page, and the page's ratios are to that measurement, so that a
    neighbour's load on the shared machine weighs on both sides of a ratio alike."""
    connections = [int(value) for value in options.connections.split(",")]
    wanted = {name.strip() for name in options.only.split(",") if name.strip()}
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    every = endpoints(setup)
    if unknown := wanted - {e.name for e in every}:
        known = ", ".join(e.name for e in every)
        raise SystemExit(f"--only: no endpoint {', '.join(sorted(unknown))} (there are: {known})")
    chosen = [e for e in every if not wanted or e.name in wanted or e.reference]
    minimal = next(e for e in chosen if e.name == MINIMAL)

    def figures_of(endpoint: load.Endpoint, concurrency: int) -> dict:
        sample = load.run(
            endpoint,
            host="127.0.0.1",
            port=port,
            cookies=setup.cookies[endpoint.role],
            connections=concurrency,
            duration=options.duration,
            warmup=options.warmup,
        )
        processes.check()
        figures = summarise(sample)
        print(
            f"  {endpoint.name:<26} c={concurrency:<3} {figures['rps']:8.1f} req/s  "
            f"p50 {figures['p50'] * 1000:8.1f} ms  p95 {figures['p95'] * 1000:8.1f} ms  "
            f"errors {figures['errors']}",
            flush=True,
        )
        return figures

    start: dict[str, dict] = {}  # the minimal page at the start, per concurrency
    minimal_rps: dict[str, list[float]] = {str(c): [] for c in connections}
    for endpoint in chosen:
        queries = count_queries(endpoint, port=port, cookie=setup.cookies[endpoint.role][0])
        entry: dict[str, Any] = {
            "name": endpoint.name,
            "role": endpoint.role,
            "method": endpoint.method,
            "path": endpoint.paths[0]
            + (f" (+{len(endpoint.paths) - 1})" * (len(endpoint.paths) > 1)),
            "reference": endpoint.reference,
            "queries": queries,
            "runs": {},
        }
        for concurrency in connections:
            key = str(concurrency)
            paired = options.paired and not endpoint.reference
            reference = figures_of(minimal, concurrency) if paired else None
            figures = figures_of(endpoint, concurrency)
            if endpoint is minimal:
                start[key] = figures
            if reference is not None:
                figures["reference"] = reference
                minimal_rps[key].append(reference["rps"])
            entry["runs"][key] = figures
        if endpoint.note:
            notes.append(f"{endpoint.name}: {endpoint.note}.")
        results.append(entry)
    for entry in results:
        for key, figures in entry["runs"].items():
            figures["ratio"] = ratios(figures, figures.get("reference") or start[key])
    for key, values in minimal_rps.items():
        if values:
            notes.append(
                f"Paired ratios: at {key} connections the minimal page, measured before each "
                f"page, served {min(values):.0f}–{max(values):.0f} req/s during the run "
                f"({start[key]['rps']:.0f} at the start): the machine is shared."
            )
    if not options.paired:
        notes.append("Ratios to the minimal page as measured at the start (--unpaired).")
    return results, notes


def main(argv: list[str]) -> int:
    options = arguments(argv)
    # Ctrl-C and SIGTERM both end in the `finally` below. SIGINT explicitly: a shell that starts
    # us in the background hands it down ignored, and then nothing could interrupt the run.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    workdir = Path(tempfile.mkdtemp(prefix="wijkexpert-bench-"))
    processes = Processes(workdir, {})
    setup = None
    ok = False
    try:
        print(f"Benchmark with {options.questions:,} questions (logs in {workdir})", flush=True)
        database = resolve_database(dict(os.environ))
        redis = processes.start_redis()
        port = free_port()
        env = bench_env(
            dict(os.environ), database=database, redis=redis, port=port, workdir=workdir
        )
        processes.env = env
        build = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
        manage(build, "migrate", "--no-input", "-v0")
        generate = ["--questions", str(options.questions), "--seed", str(options.seed)]
        manage(build, "generate_scale_data", *generate, *(["--reset"] * options.reset))
        manage(env, "collectstatic", "--no-input", "-v0")
        processes.start_web(port=port, workers=options.workers)
        processes.start_worker(concurrency=options.worker_concurrency)

        def ready() -> bool:
            processes.check()  # a web or worker that died says why, instead of a timeout
            health = load.send("127.0.0.1", port, _get("/health/", port), timeout=10)
            return health.status == 200

        wait_until(ready, timeout=120, what="/health/ (gunicorn, Redis and the Celery worker)")
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        from bench import targets

        started = datetime.now(UTC)
        setup = targets.prepare(
            connections=max(int(c) for c in options.connections.split(",")), started=started
        )
        removed = targets.undo_earlier_runs(setup.last_generated_question)
        if removed:
            print(f"  removed {removed} rows left by an earlier run", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres_version = cursor.fetchone()[0]
        import redis as redis_client

        redis_version = redis_client.Redis.from_url(redis).info("server")["redis_version"]
        facts = machine_facts(postgres_version=postgres_version, redis_version=redis_version)
        data = targets.visible_counts(setup)
        print("Measuring", flush=True)
        results, notes = measure(options, setup, port=port, processes=processes)
        print("Submit → e-mail", flush=True)
        email = measure_emails(setup, port=port, count=options.emails)
        report = {
            "date": started.astimezone().date().isoformat(),
            "started": started.isoformat(),
            "questions": options.questions,
            "seed": options.seed,
            "commit": git_commit(BASE_DIR),
            "machine": facts,
            "config": {
                "workers": options.workers,
                "worker_concurrency": options.worker_concurrency,
                "duration": options.duration,
                "warmup": options.warmup,
                "connections": [int(c) for c in options.connections.split(",")],
                "paired": options.paired,
            },
            "load_generator": {
                "name": "bench.load (Python threads, one connection per request)",
                "client_cpu_ms_per_request": {
                    entry["name"]: {
                        key: run["client_cpu_ms_per_request"] for key, run in entry["runs"].items()
                    }
                    for entry in results
                },
            },
            "data": data,
            "endpoints": results,
            "email": email,
            "notes": notes,
        }
        markdown, data_file = write_report(report)
        print("\n" + render_markdown(report))
        print(f"Written: {markdown.relative_to(BASE_DIR)} and {data_file.relative_to(BASE_DIR)}")
        ok = True
        return 0
    except KeyboardInterrupt:
        print("\nInterrupted.", flush=True)
        return 130
    finally:
        print("Stopping what the benchmark started...", flush=True)
        if setup is not None:
            from bench import targets

            try:
                print(f"  undone: {targets.undo(setup)}", flush=True)
            except Exception as error:  # noqa: BLE001 - stopping the processes comes first
                print(f"  could not undo the run's writes: {error}", flush=True)
        processes.stop_all()
        if ok:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"  logs kept in {workdir}", flush=True)


def _get(path: str, port: int) -> bytes:
    return load.build_request(
        host="127.0.0.1", port=port, method="GET", path=path, cookie="", body=None
    )
