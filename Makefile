# Two-command quick start: `make run` (set up, run the main job) and `make test` (set up, run the tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast setup bench regions clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

## The main job on the embedded Netherlands: what it holds, who is beyond 45 minutes of an
## SEH at night (2025), and the most sensitive SEHs.
run: setup
	$(BIN)/zorglandschap data
	$(BIN)/zorglandschap reach --sites 2025 --block night --by roaz
	$(BIN)/zorglandschap sensitive --sites 2025 --block night --top 10

## The whole test suite, national runs (marked slow) included.
test: setup
	$(BIN)/python -m pytest

## The fast tests only (a regional extract; no national runs).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

## Benchmarks (on demand; results in bench/RESULTS.md).
bench: setup
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

## Rebuild regions/ from ../shared/data (needs the shared source data).
regions: setup
	$(BIN)/python regions/build.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
