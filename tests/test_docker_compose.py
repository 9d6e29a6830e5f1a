"""docker-compose.yml and the Dockerfile describe the production shape (DESIGN §5).

There is no Docker engine in the test environment, so these tests check what can be checked
without one: the compose file's structure, and that every command the containers run exists in
this project (executables installed from uv.lock, the WSGI target, the Celery app, management
commands, scripts the image build runs). No database is needed.
"""

import ast
import contextlib
import importlib.util
import io
import json
import re
import shlex
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.bin.base import CLIContext
from celery.bin.celery import celery as celery_cli
from django.core.management import get_commands
from gunicorn.config import Config as GunicornConfig

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
VENV_BIN = ROOT / ".venv" / "bin"
PRODUCTION_SETTINGS = "config.settings.production"


def _load_compose() -> dict:
    if not COMPOSE_FILE.exists():
        return {}
    return yaml.safe_load(COMPOSE_FILE.read_text()) or {}


COMPOSE = _load_compose()
SERVICES: dict[str, dict] = COMPOSE.get("services") or {}
# App services run this project's image; the others are stock images.
APP_SERVICES = sorted(name for name, service in SERVICES.items() if "build" in service)


def argv(command) -> list[str]:
    """A compose/Dockerfile command (string or exec list) as an argument vector."""
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    return [str(part) for part in command]


def environment(service: dict) -> dict[str, str]:
    """A service's environment (mapping or KEY=VALUE list) as a dict."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def is_celery_beat(args: list[str]) -> bool:
    return bool(args) and Path(args[0]).name == "celery" and "beat" in args


def runs_migrate(args: list[str]) -> bool:
    return "manage.py" in args and "migrate" in args


def depends_on(service: dict) -> dict[str, str]:
    """depends_on as {service: condition} (the list form means service_started)."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def project_dependencies() -> set[str]:
    """Normalised names of the runtime (non-dev) dependencies: what `uv sync --no-dev` installs."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    names = set()
    for requirement in pyproject["project"]["dependencies"]:
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert match, f"unreadable requirement {requirement!r}"
        names.add(re.sub(r"[-_.]+", "-", match.group(0)).lower())
    return names


# --- Checking that a command exists in this project ----------------------------------------------
def check_executable(args: list[str]) -> None:
    executable = Path(args[0]).name
    assert (VENV_BIN / executable).exists(), (
        f"{executable!r} is not installed in .venv/bin (is it in uv.lock?)"
    )
    if executable.startswith("python"):
        return
    scripts = [ep for ep in entry_points(group="console_scripts") if ep.name == executable]
    assert scripts, f"no installed distribution provides the {executable!r} command"
    dist = scripts[0].dist
    assert dist is not None, f"{executable!r} has no distribution"
    distribution = re.sub(r"[-_.]+", "-", dist.name).lower()
    assert distribution in project_dependencies(), (
        f"{executable!r} comes from {distribution!r}, which is not a runtime dependency in "
        "pyproject.toml: the image installs with `uv sync --no-dev`"
    )


def module_defines(module: str, attribute: str) -> bool:
    """Whether `module`'s source assigns `attribute` at top level (read, not imported)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin, f"module {module!r} not found"
    tree = ast.parse(Path(spec.origin).read_text())
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == attribute:
            return True
        if any(isinstance(target, ast.Name) and target.id == attribute for target in targets):
            return True
    return False


def check_gunicorn(args: list[str]) -> None:
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            options = GunicornConfig().parser().parse_args(args[1:])
    except SystemExit:  # argparse reports bad options by exiting
        message = errors.getvalue().strip().splitlines()[-1:]
        pytest.fail(f"gunicorn rejects {shlex.join(args)}: {' '.join(message)}")
    assert len(options.args) == 1, f"expected one module:attr target, got {options.args}"
    module, _, attribute = options.args[0].partition(":")
    attribute = attribute or "application"
    # Importing config.wsgi would reconfigure Django; reading its source is enough.
    assert module_defines(module, attribute), f"{module} does not define {attribute!r}"
    assert options.bind, "gunicorn must --bind 0.0.0.0:<port> to be reachable from outside"


def check_celery(args: list[str]) -> None:
    app_name, subcommand, rest = None, None, []
    tokens = iter(enumerate(args[1:], start=1))
    for index, token in tokens:
        if token in ("-A", "--app"):
            app_name = next(tokens)[1]
        elif token.startswith("--app="):
            app_name = token.removeprefix("--app=")
        elif token in celery_cli.commands:
            subcommand, rest = token, args[index + 1 :]
            break
        else:
            pytest.fail(f"unexpected celery argument {token!r} in {shlex.join(args)}")
    assert app_name, "celery needs -A <app>"
    assert subcommand in ("worker", "beat"), f"unexpected celery subcommand {subcommand!r}"
    # The same lookup `celery -A` does: module attribute `app`/`celery`, or a `.celery` submodule.
    app = find_app(app_name)
    assert isinstance(app, Celery), f"-A {app_name} does not resolve to a Celery app"
    # Parse the subcommand's options the way the celery CLI does (raises on unknown options).
    context = CLIContext(app=app, no_color=True, workdir=None, quiet=True)
    celery_cli.commands[subcommand].make_context(subcommand, list(rest), obj=context)


def check_manage_py(args: list[str]) -> None:
    assert (ROOT / "manage.py").exists()
    position = args.index("manage.py")
    assert len(args) > position + 1, "manage.py without a command"
    command = args[position + 1]
    assert command in get_commands(), f"there is no management command {command!r}"


def check_command(args: list[str]) -> None:
    assert args, "no command"
    check_executable(args)
    executable = Path(args[0]).name
    if executable == "gunicorn":
        check_gunicorn(args)
    elif executable == "celery":
        check_celery(args)
    elif executable.startswith("python") and "manage.py" in args:
        check_manage_py(args)
    else:
        pytest.fail(f"no check for the command {shlex.join(args)}; add one")


# --- Dockerfile parsing --------------------------------------------------------------------------
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = DOCKERFILE.read_text()
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        logical.append(current)
        current = ""
    instructions = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_cmd() -> list[str]:
    cmds = [rest for keyword, rest in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "the Dockerfile has no CMD"
    cmd = cmds[-1]
    return json.loads(cmd) if cmd.startswith("[") else shlex.split(cmd)


# --- docker-compose.yml --------------------------------------------------------------------------
def test_compose_file_is_compose_spec():
    assert COMPOSE_FILE.exists()
    assert "version" not in COMPOSE, "the top-level `version:` key is obsolete"
    assert SERVICES, "no services"
    assert "x-app" in COMPOSE, "shared app configuration lives in the `x-app` anchor"


def test_postgres():
    postgres = SERVICES["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert postgres.get("volumes"), "PostgreSQL data must live on a volume"
    assert "pg_isready" in " ".join(argv(postgres["healthcheck"]["test"]))


def test_redis():
    redis = SERVICES["redis"]
    assert redis["image"].startswith("redis:7")
    command = " ".join(argv(redis["command"]))
    assert "--appendonly yes" in command, "the Celery broker must persist queued tasks"
    assert "--maxmemory-policy noeviction" in command, "the Celery broker must never evict tasks"
    assert any(str(volume).endswith(":/data") for volume in redis.get("volumes", []))
    assert "healthcheck" in redis


def test_mail_catcher_receives_the_apps_mail():
    catchers = [
        name
        for name, service in SERVICES.items()
        if re.search(r"mailpit|mailhog|mailcatcher", str(service.get("image", "")))
    ]
    assert len(catchers) == 1, f"expected one mail catcher, found {catchers}"
    for name in ("web", "worker"):
        env = environment(SERVICES[name])
        assert env["EMAIL_HOST"] == catchers[0]
        assert env["EMAIL_PORT"] == "1025"
        assert env["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_web_and_worker_services():
    assert "gunicorn" in argv(SERVICES["web"]["command"])
    assert any("8000" in str(port) for port in SERVICES["web"].get("ports", []))
    worker = argv(SERVICES["worker"]["command"])
    assert worker[0] == "celery" and "worker" in worker
    # An embedded beat (`worker -B`) would multiply the schedule by the number of workers.
    assert "-B" not in worker and "--beat" not in worker


def test_exactly_one_beat():
    beats = [
        name for name, service in SERVICES.items() if is_celery_beat(argv(service.get("command")))
    ]
    assert len(beats) == 1, f"expected exactly one celery beat service, found {beats}"
    beat = SERVICES[beats[0]]
    assert beat.get("deploy", {}).get("replicas", 1) == 1, "beat must never be scaled"
    assert "scale" not in beat
    schedule = argv(beat["command"])[argv(beat["command"]).index("--schedule") + 1]
    directory = str(Path(schedule).parent)
    assert any(str(volume).endswith(f":{directory}") for volume in beat.get("volumes", [])), (
        "the beat schedule must live on a volume"
    )


def test_no_development_server():
    for name, service in SERVICES.items():
        assert "runserver" not in json.dumps(service), f"{name} runs the development server"


def test_migrations_run_once_before_the_app_starts():
    migrators = [
        name for name, service in SERVICES.items() if runs_migrate(argv(service.get("command")))
    ]
    assert len(migrators) == 1, f"expected one service running migrate, found {migrators}"
    (migrator,) = migrators
    for name in ("web", "worker", "beat"):
        assert depends_on(SERVICES[name]).get(migrator) == "service_completed_successfully", (
            f"{name} must wait for {migrator} to finish"
        )


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_depends_on_existing_services(name):
    for dependency in depends_on(SERVICES[name]):
        assert dependency in SERVICES, f"{name} depends on unknown service {dependency!r}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_environment(name):
    env = environment(SERVICES[name])
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", env.get("SECRET_KEY", "")), (
        "SECRET_KEY must be required from the environment (${SECRET_KEY:?...}), never defaulted"
    )
    # config/celery.py defaults to the dev settings, so the containers must say production.
    assert env.get("DJANGO_SETTINGS_MODULE") == PRODUCTION_SETTINGS
    assert importlib.util.find_spec(PRODUCTION_SETTINGS) is not None
    for variable in ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        assert env.get(variable), f"{variable} is not set"
    assert "@postgres:" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env.get("SECURE_SSL_REDIRECT", "").lower() in ("false", "0", "no", "off"), (
        "there is no TLS proxy in compose, so the HTTPS redirect must be off"
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_command_exists(name):
    check_command(argv(SERVICES[name].get("command")) or dockerfile_cmd())


def test_app_services_are_present():
    assert {"web", "worker"} <= set(APP_SERVICES)


# --- Dockerfile and .dockerignore ----------------------------------------------------------------
def test_dockerfile_runtime_image():
    instructions = dockerfile_instructions()
    stages = [rest.split()[0] for keyword, rest in instructions if keyword == "FROM"]
    assert stages, "the Dockerfile has no FROM"
    assert stages[-1].startswith("python:3.12"), f"runtime base image is {stages[-1]}"
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")
    assert "uv sync --frozen --no-dev" in runs
    assert "manage.py collectstatic --noinput" in runs
    assert "npm ci" in runs
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0"), "the image must run as a non-root user"
    assert any(keyword == "EXPOSE" and "8000" in rest for keyword, rest in instructions)


def test_dockerfile_cmd_exists():
    check_command(dockerfile_cmd())


def test_dockerfile_management_commands_exist():
    runs = [rest for keyword, rest in dockerfile_instructions() if keyword == "RUN"]
    commands = [match for run in runs for match in re.findall(r"manage\.py\s+(\w+)", run)]
    assert commands
    for command in commands:
        assert command in get_commands(), f"the Dockerfile runs unknown command {command!r}"


def test_dockerfile_paths_exist():
    """Every script the build runs and every file it copies from the context is in the repo."""
    ignored = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for keyword, rest in dockerfile_instructions():
        if keyword == "RUN":
            for script in re.findall(r"(?:\./)?((?:scripts|bin)/[\w./-]+)", rest):
                assert (ROOT / script).is_file(), f"RUN uses missing {script}"
        elif keyword == "COPY" and "--from=" not in rest:
            sources = [part for part in shlex.split(rest) if not part.startswith("--")][:-1]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY of missing {source}"
                assert source not in ignored, f"COPY of {source}, which .dockerignore excludes"


def test_dockerignore():
    assert DOCKERIGNORE.exists()
    entries = {
        line.strip().removeprefix("**/").rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
    }
    for required in (".venv", "node_modules", ".data", ".git", "staticfiles", "test-artifacts"):
        assert required in entries, f".dockerignore must exclude {required}"
    assert "__pycache__" in entries
