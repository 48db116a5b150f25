# Two-command quick start: `make run` (set up, run the main job) and `make test` (set up, run the tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint setup bench regions browser-assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

## The main job on the embedded Netherlands: what it holds, who is beyond 45 minutes of an
## SEH at night (2025), the most sensitive SEHs, their map, and where pancreatic surgery
## should be concentrated at the norm of 20 a year with at least one centre per ROAZ region
## (and its map).
run: setup
	$(BIN)/zorglandschap data
	$(BIN)/zorglandschap reach --sites 2025 --block night --by roaz
	$(BIN)/zorglandschap sensitive --sites 2025 --block night --top 10
	$(BIN)/zorglandschap map --sites 2025 --block night
	$(BIN)/zorglandschap concentrate --intervention pancreas --norm 20 --per-roaz 1 \
	  --map maps/concentration-pancreas-20-per-roaz.html

## The whole test suite, national runs (marked slow) included.
test: setup browser-assets
	$(BIN)/python -m pytest

## Lint, format check and types (ruff and mypy from the dev extra); .ci/run runs it.
lint: setup
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	$(BIN)/ruff check src tests bench regions
	$(BIN)/ruff format --check src tests bench regions
	$(BIN)/mypy

## The fast tests only (a regional extract; no national runs).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

## Leaflet and jQuery from the npm registry, for the offline map test in headless Chromium
## (best effort: without npm or chromium that one test is skipped and says why).
ASSETS := .cache/browser
browser-assets: $(ASSETS)/leaflet/dist/leaflet.js
$(ASSETS)/leaflet/dist/leaflet.js:
	-mkdir -p $(ASSETS)/leaflet $(ASSETS)/jquery && cd $(ASSETS) \
	  && npm pack --silent leaflet@1.9.3 jquery@3.7.1 >/dev/null \
	  && tar xzf leaflet-1.9.3.tgz -C leaflet --strip-components=1 \
	  && tar xzf jquery-3.7.1.tgz -C jquery --strip-components=1

## Benchmarks (on demand; results in bench/RESULTS.md).
bench: setup
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

## Rebuild regions/ from ../shared/data (needs the shared source data).
regions: setup
	$(BIN)/python regions/build.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
