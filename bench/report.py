"""The report of a run: bench/results/<date>-<N>.md (tables) and .json (every figure)."""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from pathlib import Path

from bench.stats import PERCENTILES

RESULTS = Path(__file__).resolve().parent / "results"


def machine_facts(*, postgres_version: str, redis_version: str) -> dict:
    cpu = "?"
    memory_gib = math.nan
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory_gib, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres_version,
        "redis": redis_version,
    }


def git_commit(base: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=base, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    # Earlier reports in bench/results are not changes to the code measured.
    changed = git("status", "--porcelain", "--", ".", ":(exclude)bench/results")
    return commit + (" (with uncommitted changes)" if changed else "")


# --- rendering -------------------------------------------------------------------------------
def _ms(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "–"
    value = seconds * 1000
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def _rps(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    if value >= 10:
        return f" ({value:.0f}×)"
    return f" ({value:.2f}×)" if value >= 0.1 else f" ({value:.3f}×)"


def _queries(counts: list[int]) -> str:
    if not counts:
        return "–"
    low, high = min(counts), max(counts)
    return str(high) if low == high else f"{low}–{high}"


def render_markdown(report: dict) -> str:
    config, machine = report["config"], report["machine"]
    lines = [
        f"# Benchmark, {report['questions']:,} questions ({report['date']})",
        "",
        f"Commit {report['commit']}; {machine['cores']} cores ({machine['cpu']}), "
        f"{machine['memory_gib']} GiB, PostgreSQL {machine['postgresql']}, "
        f"Redis {machine['redis']}, Python {machine['python']}; load average at the start "
        f"{' / '.join(str(v) for v in machine['load_average'])}.",
        f"gunicorn {config['workers']} sync workers, production settings "
        f"(bench.settings), Celery worker concurrency {config['worker_concurrency']}; "
        f"{config['duration']:g} s per figure after {config['warmup']:g} s warm-up; "
        f"load generator: {report['load_generator']['name']}.",
        "",
    ]
    data = report.get("data") or {}
    if data:
        lines += [
            "Seen by the signed-in users: the expert "
            f"{data['expert_visible_questions']:,} questions, the triage queue "
            f"{data['triage_queue']:,}, the generalist {data['generalist_cases']:,} cases.",
            "",
        ]
    against = (
        "the minimal page measured right before it (paired; the references: to the minimal "
        "page at the start)"
        if config.get("paired", True)
        else "the minimal page measured at the start of the run"
    )
    lines += [
        f"Each figure with its ratio to {against}: req/s as a share of its throughput, "
        "latencies as a multiple of its latency.",
        "",
    ]
    for connections in config["connections"]:
        key = str(connections)
        lines += [
            f"## {connections} concurrent connections",
            "",
            "| page | role | queries | kB | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for endpoint in report["endpoints"]:
            run = endpoint["runs"].get(key)
            if run is None:
                continue
            ratio = run.get("ratio", {})
            cells = [
                endpoint["name"] + (" *(reference)*" if endpoint["reference"] else ""),
                endpoint["role"],
                _queries(endpoint["queries"]),
                f"{run['bytes_mean'] / 1000:.1f}",
                _rps(run["rps"]) + _ratio(ratio.get("rps")),
                *(_ms(run[f"p{p}"]) + _ratio(ratio.get(f"p{p}")) for p in PERCENTILES),
                str(run["errors"]),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    email = report.get("email")
    if email:
        lines += [
            "## Submit → e-mail sent (through the Celery worker)",
            "",
            "| e-mails | p50 ms | p95 ms | max ms | row → sent p50 ms | not sent |",
            "|---|---|---|---|---|---|",
            f"| {email['sent']} | {_ms(email['p50'])} | {_ms(email['p95'])} | "
            f"{_ms(email['max'])} | {_ms(email['row_p50'])} | {email['unsent']} |",
            "",
        ]
    notes = report.get("notes") or []
    if notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in notes] + [""]
    return "\n".join(lines)


def _plain(value):
    """JSON without NaN (not JSON): null instead."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def write_report(report: dict, directory: Path = RESULTS) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{report['date']}-{report['questions']}"
    markdown, data = directory / f"{stem}.md", directory / f"{stem}.json"
    markdown.write_text(render_markdown(report))
    data.write_text(json.dumps(_plain(report), indent=2, ensure_ascii=False) + "\n")
    return markdown, data
