# Case reviews for safeguarding children partnerships.
# `make help` lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
BROKER ?= amqp://guest:guest@localhost:5672//
# The browser the tests in tests/browser drive (Debian's package; Playwright's own download is not used).
CHROMIUM ?= /usr/bin/chromium

export PYTHONPATH := $(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help install system-packages css run run-services test test-unit test-integration test-e2e test-browser test-faults lint format bench clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml package.json package-lock.json shared/static/scss/lscb.scss
	@$(MAKE) --no-print-directory system-packages
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build:css
	touch $(STAMP)

install: $(STAMP) ## Install everything into .venv (done by run and test when needed)

system-packages: ## Install LibreOffice (Word to PDF), poppler (PDF checks), Chromium (browser tests) and nginx (the proxy) from Debian if missing
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing libreoffice-writer-nogui and poppler-utils from Debian"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui poppler-utils >/dev/null) \
	      || echo "Could not install them: PDF conversion will be unavailable"; \
	  else \
	    echo "LibreOffice or poppler is missing: install libreoffice-writer-nogui and poppler-utils for PDF documents"; \
	  fi; \
	fi
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium from Debian (the browser tests drive it)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium: the browser tests will fail"; \
	  else \
	    echo "Chromium is missing: install Debian's chromium package (as root) for the browser tests"; \
	  fi; \
	fi
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing nginx from Debian (the one address of make run-services)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
	      || echo "Could not install nginx: make run-services will serve each service on its own port only"; \
	  else \
	    echo "nginx is missing: install Debian's nginx package (as root) for make run-services's single address"; \
	  fi; \
	fi

run: $(STAMP) ## Run the whole product in one process on http://127.0.0.1:$(PORT); data kept in ./var (FRESH=1: start empty)
	PORT=$(PORT) FRESH=$(FRESH) $(BIN)/python -m services

run-services: $(STAMP) ## Run each service in its own process over RabbitMQ (BUS_URL) behind nginx on http://127.0.0.1:$(PORT) (services on PORT+1..PORT+5), sharing ./var
	BUS_URL=$${BUS_URL:-$(BROKER)} FRESH=$(FRESH) $(BIN)/python -m services.separate --base-port $(PORT)

test: $(STAMP) ## Run every test but the fault suite (RabbitMQ tests included; they fail if the broker is down)
	$(BIN)/pytest

test-unit: $(STAMP) ## Unit tests only
	$(BIN)/pytest tests/unit

test-integration: $(STAMP) ## Tests against the real broker and store
	$(BIN)/pytest tests/integration

test-e2e: $(STAMP) ## Tests that start the product and drive it over HTTP
	$(BIN)/pytest tests/e2e

test-browser: $(STAMP) ## Journeys in Chromium, every page checked with axe-core (SCREENSHOTS=1: refresh docs/screenshots)
	$(BIN)/pytest tests/browser

css: ## Build the product's stylesheet (the Design System's Sass, without GOV.UK's font) into shared/static/css
	npm run --silent build:css

test-faults: $(STAMP) ## Fault injection: own RabbitMQ node; broker, services and SMTP broken; prints the figures
	$(BIN)/pytest tests/faults -m faults

lint: $(STAMP) ## Check style with ruff and types with mypy (strict on shared/ and each domain)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared services

format: $(STAMP) ## Format with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## Run the benchmarks (they print ratios against a baseline)
	$(BIN)/python bench/bus.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/overload.py
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/chronology.py
	$(BIN)/python bench/learning.py
	$(BIN)/python bench/dashboard.py

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache *.egg-info
