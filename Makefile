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

## The main job on the embedded Netherlands: a worked scenario run end to end (data, travel
## times, reach and sensitive SEHs, a concentration solve, maps, figures, the report). A round
## table in ROAZ Noord-Nederland: Sneek and Heerenveen close their SEH at night, pancreatic
## surgery at norm 20 with a centre per ROAZ region at 24/7 SEH hospitals, population 2026.
## The report: results/round-table-friesland/report.html. Then the round table's national
## question on pancreatic surgery: which of today's teams continue at the norm of 20 a year with
## at least one centre per ROAZ region, who stops, which patients change hospital (and its map).
run: setup
	$(BIN)/zorglandschap run scenarios/round-table-friesland.toml
	$(BIN)/zorglandschap concentrate --intervention pancreas --norm 20 --per-roaz 1 \
	  --map maps/concentration-pancreas-20-per-roaz.html

## The whole test suite, national runs (marked slow) included.
test: setup
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

## Leaflet and jQuery for the self-contained maps, from the npm registry. The files in
## src/zorglandschap/maps/assets/ are committed (versions and licences in its README.md): this
## target re-takes them from the registry and checks them against assets/SHA256SUMS.
ASSETS := src/zorglandschap/maps/assets
browser-assets:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent leaflet@1.9.3 jquery@3.7.1 >/dev/null \
	  && mkdir leaflet jquery && tar xzf leaflet-1.9.3.tgz -C leaflet --strip-components=1 \
	  && tar xzf jquery-3.7.1.tgz -C jquery --strip-components=1 \
	  && cp leaflet/dist/leaflet.js leaflet/dist/leaflet.css leaflet/dist/images/layers.png \
	    leaflet/dist/images/layers-2x.png leaflet/dist/images/marker-icon.png \
	    jquery/dist/jquery.min.js $(CURDIR)/$(ASSETS)/ \
	  && cp leaflet/LICENSE $(CURDIR)/$(ASSETS)/LICENSE-leaflet.txt \
	  && cp jquery/LICENSE.txt $(CURDIR)/$(ASSETS)/LICENSE-jquery.txt \
	  && cd $(CURDIR)/$(ASSETS) && sha256sum -c SHA256SUMS && rm -rf $$tmp

## Benchmarks (on demand; results in bench/RESULTS.md).
bench: setup
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

## Rebuild regions/ from ../shared/data (needs the shared source data).
regions: setup
	$(BIN)/python regions/build.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
