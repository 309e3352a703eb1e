# TenantHawk: `make demo` runs the app with demo data, `make test` runs the test suite.
# Both create .venv and install the pinned dependencies first. With DATABASE_URL / REDIS_URL
# unset they start an embedded PostgreSQL and Redis under .data/ (see config/embedded.py).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: help install chromium demo test lint typecheck check messages migrate bench load stop clean

help:
	@echo "make demo       run the app with demo data on http://127.0.0.1:8000"
	@echo "make test       run the test suite"
	@echo "make lint       ruff;  make typecheck  mypy;  make check  all of CI"
	@echo "make bench      provisioning benchmark (loadtest/bench_provisioning.py)"
	@echo "make stop       stop the embedded PostgreSQL and Redis"

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found: install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py demo

test: $(STAMP) chromium
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium (never a downloaded browser). As root with apt, install
# it when missing; elsewhere the browser tests skip with a message saying how to get it.
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "note: /usr/bin/chromium is missing: browser tests will be skipped (apt-get install chromium)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

check: test lint typecheck

migrate: $(STAMP)
	$(BIN)/python manage.py migrate

# The catalog (locale/*/LC_MESSAGES/django.po) and its compiled .mo are committed: `make demo` and
# `make test` use the .mo as it is, so they need no GNU gettext. `make messages` needs it (msgfmt):
# it re-extracts the strings, then recompiles. Translate the new entries in between (docs/i18n.md).
MESSAGES_IGNORE := --ignore=.venv --ignore=.data --ignore=modules/_templates --ignore=test-output --ignore=staticfiles
LOCALES ?= it

messages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { echo "error: msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	$(BIN)/python manage.py makemessages $(foreach l,$(LOCALES),-l $(l)) $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python loadtest/bench_provisioning.py --tenants 20

# Modest defaults: a short dashboard run on 127.0.0.1 (loadtest/README.md has the other scenarios).
load: $(STAMP)
	$(BIN)/python loadtest/run_load.py --scenario dashboard --users 20 --spawn-rate 5 --run-time 20s

stop:
	-$(BIN)/python -m config.embedded stop

clean: stop
	rm -rf .data staticfiles .pytest_cache .mypy_cache .ruff_cache
