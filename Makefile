# One runner for the project's chores. `make run` starts the app, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
WORKERS ?= 2

.PHONY: run serve install install-test system-deps haproxy test test-fast test-clock lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt

install-test: install
	$(BIN)/pip install -q -r tests/requirements.txt

# What the tests need from Debian, each checked by the program it provides: Chromium (browser tests), faketime (the
# clock runs), LibreOffice (the download test reads CSV bytes as a spreadsheet does) and HAProxy (the team-server
# tests). Missing ones are installed in one apt-get call when we may (root with apt-get); otherwise the affected tests
# say what to install.
SYSTEM_DEPS := /usr/bin/chromium:chromium faketime:faketime soffice:libreoffice-calc-nogui /usr/sbin/haproxy:haproxy

system-deps:
	@missing=""; for pair in $(SYSTEM_DEPS); do cmd=$${pair%%:*}; pkg=$${pair##*:}; \
		command -v $$cmd >/dev/null || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing from Debian:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "missing Debian packages:$$missing (install them for the full suite)"; fi; \
	fi

# The team server (README, "Deployment") needs only Debian's haproxy, installed the same way when missing.
haproxy:
	@if [ ! -x /usr/sbin/haproxy ] && ! command -v haproxy >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
		else echo "haproxy is missing: install Debian's 'haproxy' package for make serve"; fi; \
	fi

run: install
	$(BIN)/streamlit run app.py --server.port $(PORT)

# WORKERS Streamlit workers behind HAProxy on PORT (workers on PORT+1...); Ctrl-C stops them all.
serve: install haproxy
	$(BIN)/python -m monitor.devtools.serve --workers $(WORKERS) --port $(PORT)

# The fast suite runs in parallel processes, one test module to a process (it is 40% quicker on two cores). The browser
# suite runs in one: it is bound by Chromium drawing in software, and parallel processes made it no quicker.
PARALLEL := -n auto --maxprocesses 4 --dist loadfile

test: install-test system-deps
	$(BIN)/python -m pytest -m "not browser" $(PARALLEL)
	$(BIN)/python -m pytest -m browser
	$(MAKE) --no-print-directory test-clock

# The fast suite again with the system clock a year ahead and in a time zone east of UTC: no test may depend on either.
test-clock: install-test system-deps
	faketime -f '+365d' $(BIN)/python -m pytest -m "not browser" -q -p no:cacheprovider $(PARALLEL)
	TZ=Asia/Kabul $(BIN)/python -m pytest -m "not browser" -q -p no:cacheprovider $(PARALLEL)

test-fast: install-test
	$(BIN)/python -m pytest -m "not browser" $(PARALLEL)

lint: install-test
	$(BIN)/ruff check monitor tests app.py pages

bench: install
	$(BIN)/python -m monitor bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts .cache
