"""The code stays in rooms of a readable size: no Python file over 450 lines, except
migrations and the demo's fictional data (demo/data/), which are data, not code."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 450


def _tracked_python_files():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        path = ROOT / name
        if "migrations" in path.parts or path.is_relative_to(ROOT / "demo" / "data"):
            continue
        if path.exists():
            yield path


def test_no_python_file_is_over_the_limit():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _tracked_python_files()
        if (lines := len(path.read_text().splitlines())) > LIMIT
    }
    assert too_long == {}


def test_the_walk_sees_the_code():
    names = {str(p.relative_to(ROOT)) for p in _tracked_python_files()}
    assert "consultation/workflow.py" in names
    assert "tests/test_layout.py" in names
    assert not any(name.startswith("demo/data/") for name in names)
