# Wijkexpert: `make run` starts everything with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV_PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: run test deps assets chromium lint format messages

run: deps assets
	$(VENV_PY) -m config.launcher run

test: deps assets chromium
	$(VENV_PY) -m config.launcher test $(PYTEST_ARGS)

# Python dependencies, exactly as pinned in uv.lock. uv comes from pip when missing.
deps:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

# Front-end assets from npm (NL Design System, htmx, axe-core), copied into static/vendor.
assets: static/vendor/.copied

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.copied: node_modules/.package-lock.json scripts/copy_assets.sh
	scripts/copy_assets.sh
	@touch $@

# Browser tests drive Debian's chromium (Playwright cannot download a browser here).
chromium:
	@scripts/ensure_chromium.sh

lint:
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .

format:
	$(VENV_PY) -m ruff check --fix .
	$(VENV_PY) -m ruff format .

# Regenerate and compile the Dutch translations (needs GNU gettext: apt-get install gettext).
messages:
	$(VENV_PY) manage.py makemessages --locale nl --ignore 'node_modules/*' --ignore '.venv/*' --ignore 'tests/*' --no-obsolete
	$(UV) run --with polib python scripts/translations_nl.py
