# Two commands do all set-up on a fresh machine:
#   make demo   - create .venv, install papermath, run `papermath demo`
#   make test   - create .venv, install papermath with dev tools, run ruff, mypy and pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit clean docs system-deps vendor

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,torch]'
	touch $@

# Graphviz (diagrams) and Chromium (browser tests of the report) come from Debian; installed
# here when missing and we are root, as on CI. Without them those tests skip off CI.
system-deps:
	@if ! command -v dot >/dev/null || ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium >/dev/null; \
	  else echo "note: install graphviz and chromium for the diagram and browser tests"; fi; \
	fi

demo: $(BIN)/.installed
	@command -v dot >/dev/null || [ "$$(id -u)" != 0 ] || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null) || true
	$(BIN)/papermath demo

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

unit: $(BIN)/.installed system-deps
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

test: lint typecheck unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

docs: $(BIN)/.installed
	$(BIN)/python scripts/regenerate_docs.py

# The workbench's editor (CodeMirror 6) bundled into one file with esbuild, from the npm
# packages pinned in web/package-lock.json; the bundle is committed, so installing papermath
# needs no npm. Run after changing web/.
vendor:
	cd web && npm ci --no-audit --no-fund && npx esbuild editor.js --bundle --minify \
	  --format=iife --outfile=../src/papermath/serve/static/vendor/codemirror.js
