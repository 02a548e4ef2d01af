# Two commands: `make run` and `make test`. Everything else is a step they depend on.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres assets system-deps lint bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

.stamp-python: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.package-lock.json .stamp-python
	scripts/vendor-assets
	$(BIN)/pybabel compile --statistics -d app/translations 2>&1 | tail -1

# Debian packages the tests need: a PostgreSQL server, Chromium, poppler (pdftoppm,
# pdftotext), what WeasyPrint draws the Report PDF with (Pango, HarfBuzz, fonts), and an
# OpenLDAP server with its client tools for the directory sign-in tests. slapd is told
# not to create its default database: the tests run their own throwaway server.
system-deps:
	@missing=""; \
	[ -x /usr/sbin/slapd ] || missing="$$missing slapd"; \
	command -v ldapsearch >/dev/null || missing="$$missing ldap-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do \
	  dpkg -s $$lib >/dev/null 2>&1 || missing="$$missing $$lib"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "slapd slapd/no_configuration boolean true" | $$SUDO debconf-set-selections; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: .stamp-python assets
	$(BIN)/flask db upgrade
	$(BIN)/flask engine deploy
	$(BIN)/flask demo load-if-empty
	$(BIN)/flask demo users
	@echo "Serving on http://127.0.0.1:5000 (beside it: flask jobs work for the background jobs, flask engine tick --loop for timers, reminders and mail)"
	$(BIN)/flask jobs work & worker=$$!; \
	$(BIN)/flask engine tick --loop > instance/tick.log 2>&1 & ticker=$$!; \
	trap 'kill $$worker $$ticker' EXIT; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The SQLite and PostgreSQL halves run side by side, one per core; each writes its own log
# and its own test-output folder, and both logs are printed when both have ended.
test: .stamp-python assets system-deps
	@mkdir -p test-output; \
	echo "=== test suite on SQLite and on PostgreSQL, side by side ==="; \
	TEST_OUTPUT_DIR=test-output/sqlite $(BIN)/python -m pytest $(PYTEST_ARGS) \
	  > test-output/sqlite.log 2>&1 & sqlite=$$!; \
	TEST_OUTPUT_DIR=test-output/postgresql scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS) \
	  > test-output/postgresql.log 2>&1 & postgresql=$$!; \
	status=0; wait $$sqlite || status=1; wait $$postgresql || status=1; \
	echo "=== test suite on SQLite ==="; cat test-output/sqlite.log; \
	echo "=== test suite on PostgreSQL ==="; cat test-output/postgresql.log; \
	exit $$status

test-sqlite: .stamp-python assets
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: .stamp-python assets system-deps
	scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: .stamp-python
	$(BIN)/ruff check app forms tests bench

bench: .stamp-python
	$(BIN)/python bench/scoring_bench.py
	$(BIN)/python bench/engine_bench.py
	scripts/with-postgres $(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/cycle_bench.py --people 1000
	$(BIN)/python bench/cycle_bench.py --people 1000 --database postgresql
	$(BIN)/python bench/load_bench.py --people 1000
	$(BIN)/python bench/cluster_bench.py

clean:
	rm -rf $(VENV) node_modules app/static/vendor .stamp-python instance/*.db
