# The two commands: `make run` and `make test`. Everything else helps them.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
OUT     ?= out
START   ?= $(shell python3 -c "import datetime as d; t=d.date.today(); print(t + d.timedelta(days=(6 - t.weekday()) % 7 or 7))")
WEEKS   ?= 4

.PHONY: run pipeline test lint pytest browser postgres db screenshots bench bench-quick bench-curtois fuzz clean venv

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install --disable-pip-version-check -q -r requirements-dev.txt
	rm -f .venv/.installed-*
	touch $(STAMP)

## make run: the dashboard on http://127.0.0.1:8501 with the sample data and demo sign-in:
## creates and seeds var/planner.db on first start, starts the local sign-in provider (no
## [auth] configured), the run worker, and a first forecast + short solve published as version 1
run: venv
	$(PY) -m planner dashboard --data data

## make pipeline: the command-line pipeline on data/ (forecast, staff, solve, check) with KPIs
pipeline: venv
	$(PY) -m planner pipeline --data data --out $(OUT) --start $(START) --weeks $(WEEKS)

## make test: lint, types and every test, browser and PostgreSQL tests included
test: venv browser postgres lint pytest

lint: venv
	$(PY) -m ruff check planner constraints tests bench app.py server.py pages
	$(PY) -m ruff format --check planner constraints tests bench app.py server.py pages
	$(PY) -m mypy

# The whole suite runs inside pg_virtualenv (a throwaway PostgreSQL cluster, torn down after;
# about 3 s; fsync off: nothing in it needs to survive a crash), so the store's tests run on
# SQLite and on PostgreSQL alike.
pytest: venv
	@for d in /etc/postgresql/*/regress; do \
		[ -f "$$d/.by_pg_virtualenv" ] || continue; \
		if ! pgrep -f '^/bin/bash /usr/bin/pg_virtualenv' >/dev/null; then \
			v=$$(basename "$$(dirname "$$d")"); \
			echo "dropping throw-away cluster $$v/regress left by an interrupted run"; \
			pg_ctlcluster --mode immediate "$$v" regress stop 2>/dev/null || true; \
			pg_dropcluster "$$v" regress; \
		fi; \
	done
	@if command -v pg_virtualenv >/dev/null 2>&1; then \
		pg_virtualenv -o fsync=off $(PY) -m pytest -q; \
	else \
		$(PY) -m pytest -q; \
	fi

# Debian's chromium for the browser tests: installed when missing and we are root.
# Under CI=true a browser that cannot be had is a failure, never a skip.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		elif [ "$$CI" = "true" ]; then \
			echo "chromium is missing and cannot be installed (not root)"; exit 1; \
		else \
			echo "chromium is missing: browser tests will fail"; \
		fi; \
	fi

# Debian's PostgreSQL (with pg_virtualenv) for the store tests: installed when missing and we
# are root. Under CI=true a PostgreSQL that cannot be had is a failure, never a skip.
postgres:
	@if ! command -v pg_virtualenv >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		elif [ "$$CI" = "true" ]; then \
			echo "PostgreSQL is missing and cannot be installed (not root)"; exit 1; \
		else \
			echo "PostgreSQL is missing: the store's PostgreSQL tests will be skipped"; \
		fi; \
	fi

## make db: the shared database (planner.toml: var/planner.db) with the sample team and the
## demo users, when it does not exist yet
db: venv
	@if [ -f var/planner.db ]; then echo "var/planner.db exists: nothing changed"; else \
		$(PY) -m planner db init && $(PY) -m planner db seed data --team demo --demo-users; \
	fi

## make screenshots: the browser tests alone, refreshing the README's pictures of each role
screenshots: venv browser
	UPDATE_README_SCREENSHOTS=1 $(PY) -m pytest -q tests/e2e

## make bench: speed and quality benchmarks (not part of make test)
bench: venv browser
	$(PY) -m bench.run_all

## make fuzz: 500 generated data sets through validate, staff, solve and check (about 30
## minutes on 2 cores; every failing case is listed with the command that rebuilds it)
fuzz: venv
	PLANNER_FUZZ_CASES=500 PLANNER_FUZZ_MAX_AGENT_WEEKS=240 $(PY) -m pytest -q tests/test_generated.py

## make bench-quick: every bench as a short smoke run (a few minutes)
bench-quick: venv browser
	$(PY) -m bench.run_all --quick

## make bench-curtois: the Curtois & Qu tables alone (60 s and 600 s per instance, hours)
bench-curtois: venv
	$(PY) -m bench.curtois_bench

clean:
	rm -rf .venv .venv-peer out artifacts .pytest_cache .mypy_cache .ruff_cache
