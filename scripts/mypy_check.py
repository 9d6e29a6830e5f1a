"""Hold mypy to a committed baseline that only shrinks (standard library only).

    python scripts/mypy_check.py           # `make typecheck`: compare with mypy-baseline.txt
    python scripts/mypy_check.py --write   # `make mypy-baseline`: rewrite mypy-baseline.txt

Each error becomes one line, `path: [code] message`, without its line number, so an edit that
moves code around does not churn the baseline; an error that occurs twice in a file is listed
twice. The check fails on any error that is not in the baseline, and also on baseline lines that
no longer occur: whoever fixes an error removes it from the baseline in the same commit, so the
baseline only ever shrinks.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
CACHE = ROOT / ".mypy_cache"
HEADER = """\
# mypy errors accepted for now, one line per error: `path: [code] message` (no line numbers).
# `make typecheck` fails on any error not listed here, and on listed errors that are gone.
# Regenerate with `make mypy-baseline`: after fixing errors, or after a merge. Never add by hand.
"""


def normalise(error: dict) -> str:
    path = error["file"].replace("\\", "/").removeprefix("./")
    # One line per error; numbers that point into the file ("defined on line 12") would churn.
    message = " ".join(error["message"].split())
    message = re.sub(r"\bline \d+\b", "line N", message)
    return f"{path}: [{error.get('code') or 'misc'}] {message}"


def run_mypy(*, fresh: bool) -> tuple[Counter[str], dict[str, list[str]]]:
    """Errors as a multiset of normalised lines, plus where each one is (for the report)."""
    if fresh:
        # The django-stubs plugin can leave stale results in the incremental cache (a changed
        # settings module does not invalidate its users), so a verdict is always confirmed from
        # an empty cache.
        shutil.rmtree(CACHE, ignore_errors=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--output", "json", "--cache-dir", str(CACHE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    errors: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    unreadable = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            error = json.loads(line)
        except json.JSONDecodeError:
            unreadable.append(line)
            continue
        if error.get("severity") != "error":
            continue  # notes belong to the error before them
        entry = normalise(error)
        errors[entry] += 1
        where.setdefault(entry, []).append(f"{error['file']}:{error['line']}")
    # 0: clean, 1: type errors; anything else (2) is a crash or a configuration error.
    if proc.returncode not in (0, 1) or unreadable:
        sys.stderr.write(proc.stderr)
        sys.stderr.write("\n".join(unreadable) + "\n")
        sys.exit(f"mypy did not run cleanly (exit code {proc.returncode})")
    return errors, where


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def write_baseline(errors: Counter[str]) -> None:
    body = "".join(f"{entry}\n" for entry in sorted(errors.elements()))
    BASELINE.write_text(HEADER + body, encoding="utf-8")


def compare(errors: Counter[str], baseline: Counter[str]) -> tuple[Counter[str], Counter[str]]:
    return errors - baseline, baseline - errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite mypy-baseline.txt")
    args = parser.parse_args()

    if args.write:
        errors, _ = run_mypy(fresh=True)
        write_baseline(errors)
        print(f"{BASELINE.name}: {sum(errors.values())} errors")
        return 0

    baseline = read_baseline()
    errors, where = run_mypy(fresh=False)
    new, gone = compare(errors, baseline)
    if new or gone:
        errors, where = run_mypy(fresh=True)
        new, gone = compare(errors, baseline)

    if new:
        print(f"mypy: {sum(new.values())} error(s) not in {BASELINE.name}:")
        for entry in sorted(new):
            places = ", ".join(where[entry])
            print(f"  {entry}\n      at {places}")
        print("Fix them (the baseline is for old errors only).")
    if gone:
        print(f"mypy: {sum(gone.values())} error(s) in {BASELINE.name} no longer occur:")
        for entry in sorted(gone):
            print(f"  {entry}")
        # Rewriting the baseline while new errors exist would accept them too.
        after = " once the new errors above are fixed" if new else ""
        print(f"Good: run `make mypy-baseline`{after} and commit {BASELINE.name}, so it shrinks.")
    if new or gone:
        return 1
    print(f"mypy: no new errors ({sum(baseline.values())} in {BASELINE.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
