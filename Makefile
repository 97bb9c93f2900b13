# Pressroom: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
STOREFRONT := storefront-example
NODE_STAMP := $(STOREFRONT)/node_modules/.installed

.PHONY: run test test-unit test-integration test-api test-e2e lint format schema migrate migration bench install clean-data storefront

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The example storefront (needs Node.js and npm): `npm ci` from the lock file, then types
# generated from schema/schema.graphql, a type check and the Vite build into dist/, which
# the API serves under /storefront/ in development.
$(NODE_STAMP): $(STOREFRONT)/package.json $(STOREFRONT)/package-lock.json
	cd $(STOREFRONT) && npm ci --no-audit --no-fund
	@touch $@

storefront:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(NODE_STAMP) && cd $(STOREFRONT) && npm run --silent build; \
	else \
		echo "npm not found: the storefront is not built (its e2e test will skip)"; \
	fi

run: $(STAMP) storefront
	$(BIN)/pressroom migrate
	$(BIN)/pressroom seed-demo
	$(BIN)/pressroom serve --port $(PORT)

test: $(STAMP) storefront
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/mypy domain schema resolvers server adapters
	$(BIN)/pytest -q

test-unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

test-integration: $(STAMP)
	$(BIN)/pytest -q tests/integration

test-api: $(STAMP)
	$(BIN)/pytest -q tests/api

test-e2e: $(STAMP) storefront
	$(BIN)/pytest -q tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain schema resolvers server adapters
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(STAMP)
	$(BIN)/pressroom export-schema --output schema/schema.graphql

migrate: $(STAMP)
	$(BIN)/pressroom migrate

migration: $(STAMP)
	$(BIN)/python migrations/autogen.py "$(m)"

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean-data:
	rm -rf .data
