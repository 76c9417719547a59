# One runner for the project's chores. `make run` starts the app, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run install install-test chromium test test-fast lint bench clean

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

run: install
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: install-test chromium
	$(BIN)/python -m pytest

test-fast: install-test
	$(BIN)/python -m pytest -m "not browser"

lint: install-test
	$(BIN)/ruff check monitor tests app.py pages

bench: install
	$(BIN)/python -m monitor bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts .cache
