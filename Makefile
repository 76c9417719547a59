# One runner for the project's chores. `make run` starts the app, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
WORKERS ?= 2

.PHONY: run serve install install-test chromium faketime haproxy test test-fast test-clock lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt

install-test: install
	$(BIN)/pip install -q -r tests/requirements.txt

# Browser tests drive Debian's Chromium; install it when missing and we are allowed to (root with apt-get).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing: install Debian's 'chromium' package for the browser tests"; fi; \
	fi

# The clock runs (see test-clock) need Debian's faketime; installed the same way as chromium.
faketime:
	@if ! command -v faketime >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; \
		else echo "faketime is missing: install Debian's 'faketime' package for the clock runs"; exit 1; fi; \
	fi

# The team server (see README, "Deployment"): HAProxy from Debian, installed the same way as chromium.
haproxy:
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
		else echo "haproxy is missing: install Debian's 'haproxy' package for make serve and its tests"; fi; \
	fi

run: install
	$(BIN)/streamlit run app.py --server.port $(PORT)

# WORKERS Streamlit workers behind HAProxy on PORT (workers on PORT+1...); Ctrl-C stops them all.
serve: install haproxy
	$(BIN)/python -m monitor.devtools.serve --workers $(WORKERS) --port $(PORT)

test: install-test chromium faketime haproxy
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-clock

# The fast suite again with the system clock a year ahead and in a time zone east of UTC: no test may depend on either.
test-clock: install-test faketime
	faketime -f '+365d' $(BIN)/python -m pytest -m "not browser" -q -p no:cacheprovider
	TZ=Asia/Kabul $(BIN)/python -m pytest -m "not browser" -q -p no:cacheprovider

test-fast: install-test
	$(BIN)/python -m pytest -m "not browser"

lint: install-test
	$(BIN)/ruff check monitor tests app.py pages

bench: install
	$(BIN)/python -m monitor bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts .cache
