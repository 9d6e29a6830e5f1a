"""consultation.workflow is the only writer of a question's status and history, and its table
holds every move the services make (tests/demo/test_consultation.py plays the demo's journeys
against it)."""

import ast
from pathlib import Path

from consultation.models import Status
from consultation.workflow import MOVES, TRANSITIONS, By

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "wijkteam", "expertise", "consultation", "triage", "reports", "api", "demo"]
WORKFLOW = ROOT / "consultation" / "workflow.py"
GUARDED_FIELDS = {"status", "status_before_clarification"}
# Where `.status =` is a case's own status (open / closed), not a question's: closing a case.
CASE_STATUS_WRITERS = {("consultation/services/cases.py", ".status =")}
# The demo's year of history is a past written in bulk as rows (as demo/scale writes its COPY
# files), never a live question moved; tests/demo/test_history.py checks that its recorded
# moves are the workflow's.
BULK_HISTORY = {"demo/history.py", "demo/history_journeys.py"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == WORKFLOW:
                continue
            yield path, ast.parse(path.read_text(), filename=str(path))


def _writes(tree: ast.AST):
    """Assignments to `<x>.status` / `<x>.status_before_clarification`, `.update(status=…)`,
    and QuestionTransition created by hand."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(element, ast.Attribute) and element.attr in GUARDED_FIELDS:
                        yield node.lineno, f".{element.attr} ="
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            keywords = {k.arg for k in node.keywords}
            if node.func.attr in {"update", "bulk_update"} and keywords & GUARDED_FIELDS:
                yield node.lineno, f".{node.func.attr}(status…)"
            owner = node.func.value
            if (
                node.func.attr in {"create", "bulk_create", "get_or_create"}
                and isinstance(owner, ast.Attribute)
                and isinstance(owner.value, ast.Name)
                and owner.value.id == "QuestionTransition"
            ):
                yield node.lineno, "QuestionTransition.objects.create"


def test_only_workflow_writes_status_and_history():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path, tree in _sources()
        for line, what in _writes(tree)
        if (str(path.relative_to(ROOT)), what) not in CASE_STATUS_WRITERS
        and str(path.relative_to(ROOT)) not in BULK_HISTORY
    ]
    assert found == [], "status or history written outside consultation/workflow.py"


def test_the_scan_finds_what_it_looks_for():
    """The scan above is not vacuous: it sees each kind of write."""
    tree = ast.parse(
        "q.status = 'x'\n"
        "q.status_before_clarification, y = 'x', 1\n"
        "Question.objects.filter(pk=1).update(status='x')\n"
        "QuestionTransition.objects.create(question=q)\n"
    )
    assert [what for _line, what in _writes(tree)] == [
        ".status =",
        ".status_before_clarification =",
        ".update(status…)",
        "QuestionTransition.objects.create",
    ]


def test_every_move_is_declared_once_with_who_makes_it():
    pairs = [(m.source, m.target) for m in MOVES]
    assert len(pairs) == len(set(pairs))
    assert all(isinstance(m.by, By) for m in MOVES)
    assert set(TRANSITIONS) == set(Status.values)
