# The two commands: `make run` and `make test`. Everything else helps them.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
OUT     ?= out
START   ?= $(shell python3 -c "import datetime as d; t=d.date.today(); print(t + d.timedelta(days=(6 - t.weekday()) % 7 or 7))")
WEEKS   ?= 4

.PHONY: run test lint pytest browser bench bench-quick bench-curtois clean venv

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install --disable-pip-version-check -q -r requirements-dev.txt
	rm -f .venv/.installed-*
	touch $(STAMP)

## make run: the pipeline on data/ (forecast, staff, solve, check) with progress and KPIs
run: venv
	$(PY) -m planner pipeline --data data --out $(OUT) --start $(START) --weeks $(WEEKS)

## make test: lint, types and every test, browser tests included
test: venv browser lint pytest

lint: venv
	$(PY) -m ruff check planner constraints tests app.py bench
	$(PY) -m ruff format --check planner constraints tests app.py bench
	$(PY) -m mypy

pytest: venv
	$(PY) -m pytest -q

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

## make bench: speed and quality benchmarks (not part of make test)
bench: venv
	$(PY) -m bench.run_all

## make bench-quick: every bench as a short smoke run (a few minutes)
bench-quick: venv
	$(PY) -m bench.run_all --quick

## make bench-curtois: the Curtois & Qu tables alone (60 s and 600 s per instance, hours)
bench-curtois: venv
	$(PY) -m bench.curtois_bench

clean:
	rm -rf .venv .venv-peer out .pytest_cache .mypy_cache .ruff_cache
