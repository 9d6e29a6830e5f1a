# Wijkexpert: `make run` starts everything with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
# A working `uv` on PATH, else the one pip installs for this Python (pyenv shims may point at
# another Python's uv, hence the --version probe).
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo "$(PYTHON) -m uv")
VENV_PY := .venv/bin/python
# `make test` runs the suite in parallel (pytest-xdist): PYTEST_WORKERS processes, each with its
# own test database, Celery queue and Chromium; --dist loadfile keeps a file on one worker, so
# module-scoped fixtures are built once. PYTEST_ARGS come last and win, e.g.
#   make test PYTEST_ARGS="-n0 tests/api -x --pdb"     serially, to debug
#   make test PYTEST_ARGS="--durations=30"             the 30 slowest tests instead of 15
#   make test PYTEST_WORKERS=4                         more workers
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: run test bench bench-dashboard deps assets chromium pdflibs bytecode lint layers typecheck mypy-baseline format messages

run: deps assets
	@scripts/ensure_pdf_libs.sh || echo "Without Pango the monthly PDF report cannot be made; the rest runs." >&2
	$(VENV_PY) -m config.launcher run

test: deps assets chromium pdflibs bytecode
	$(VENV_PY) -m config.launcher test -n $(PYTEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

# The benchmark (bench/, docs/performance.md): builds or reuses a data set of BENCH_QUESTIONS
# questions in BENCH_DATABASE_URL (default: database wijkexpert_bench on DATABASE_URL's server,
# else the embedded PostgreSQL), serves it with gunicorn + a Celery worker + a Redis of its own,
# measures, writes bench/results/<date>-<N>.md and .json, and stops all it started. E.g.
#   make bench BENCH_QUESTIONS=2000 BENCH_DURATION=5
BENCH_QUESTIONS ?= 50000
BENCH_SEED ?= 1
BENCH_DURATION ?= 10
BENCH_WARMUP ?= 2
BENCH_CONNECTIONS ?= 4,20
BENCH_WORKERS ?= 2
BENCH_EMAILS ?= 20
BENCH_ARGS ?=

bench: deps assets bytecode
	$(VENV_PY) -m bench --questions $(BENCH_QUESTIONS) --seed $(BENCH_SEED) \
	  --duration $(BENCH_DURATION) --warmup $(BENCH_WARMUP) --connections $(BENCH_CONNECTIONS) \
	  --workers $(BENCH_WORKERS) --emails $(BENCH_EMAILS) $(BENCH_ARGS)

# The municipality dashboard (issue 12) timed in one process on the same kind of data set
# (bench/dashboard.py): the busiest municipality over 12 months and a quarter, its region over 12
# months; writes bench/results/<date>-dashboard-<N>.md and .json. E.g.
#   make bench-dashboard BENCH_QUESTIONS=500000
bench-dashboard: deps bytecode
	$(VENV_PY) -m bench.dashboard --questions $(BENCH_QUESTIONS) --seed $(BENCH_SEED) $(BENCH_ARGS)

# Python dependencies, exactly as pinned in uv.lock. uv comes from pip when missing.
deps:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
	  || $(PYTHON) -m pip install --quiet --user --break-system-packages uv \
	  || { echo "Install uv first: https://docs.astral.sh/uv/ (or: pipx install uv)" >&2; exit 1; }
	@$(UV) sync --frozen --quiet

# The installed packages compiled to bytecode once (uv does not by default), so that the test
# processes (xdist workers, the manage.py subprocesses of tests/test_settings.py) do not each
# compile Django & co. from source again: with PYTHONDONTWRITEBYTECODE set that is 5-7 s per process.
bytecode: .venv/.bytecode-compiled

.venv/.bytecode-compiled: uv.lock
	@$(VENV_PY) -m compileall -q -j 0 $(wildcard .venv/lib/python*/site-packages) >/dev/null || true
	@touch $@

# Front-end assets from npm (NL Design System, htmx, axe-core), copied into static/vendor.
assets: static/vendor/.copied

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js and npm (e.g. sudo apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.copied: node_modules/.package-lock.json scripts/copy_assets.sh
	scripts/copy_assets.sh
	@touch $@

# Browser tests drive Debian's chromium (Playwright cannot download a browser here).
chromium:
	@scripts/ensure_chromium.sh

# The monthly report PDF (WeasyPrint) needs Debian's Pango libraries.
pdflibs:
	@scripts/ensure_pdf_libs.sh

lint: typecheck layers
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .

# The layers of DESIGN §6 and no import circles inside an app ([tool.importlinter] in
# pyproject.toml). No cache: a stale one has reported old imports.
layers: deps
	.venv/bin/lint-imports --no-cache

# mypy (django-stubs, DRF stubs) held to mypy-baseline.txt: no new errors, and fixed ones must
# leave the baseline, so it only shrinks.
typecheck: deps
	$(VENV_PY) scripts/mypy_check.py

# Rewrite mypy-baseline.txt from a fresh mypy run (after fixing errors, or after a merge).
mypy-baseline: deps
	$(VENV_PY) scripts/mypy_check.py --write

format:
	$(VENV_PY) -m ruff check --fix .
	$(VENV_PY) -m ruff format .

# Regenerate and compile the Dutch translations (needs GNU gettext: apt-get install gettext).
messages:
	$(VENV_PY) manage.py makemessages --locale nl --ignore 'node_modules/*' --ignore '.venv/*' --ignore 'tests/*' --no-obsolete
	$(UV) run --with polib python scripts/translations_nl.py
