"""Shared test fixtures: paths to the project's data, its small fixtures and the optional shared reference."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"
# The frozen "today" of every test: no test reads the real clock (tests/test_clock.py checks the code does not).
# It must not precede the curated data's `last_checked` dates.
TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="session", autouse=True)
def frozen_today():
    """Freeze the project's clock for the whole run, servers started by browser tests included (they inherit it)."""
    from monitor import clock

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(clock.ENV, TODAY.isoformat())
        yield TODAY


@pytest.fixture
def small_events_path() -> Path:
    """Seven synthetic events in the curated schema (not real data)."""
    return FIXTURES / "events_small.csv"


@pytest.fixture
def small_events(small_events_path):
    """The synthetic fixture loaded and typed, with the dataset column the app adds."""
    from monitor import load_events

    events = load_events(small_events_path, today=TODAY)
    events.insert(0, "dataset", pd.Categorical(["curated"] * len(events)))
    return events


@pytest.fixture
def fixture_text(small_events_path) -> pd.DataFrame:
    """The synthetic fixture as text cells, as the validator sees a file."""
    from monitor.load import read_text_table

    return read_text_table(small_events_path)


def reference(name: str) -> Path:
    """A file of ../shared/reference, or skip the test with the reason."""
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"shared reference file not present: {path}")
    return path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module; the test is skipped where it is missing."""
    from browser import CHROMIUM, CHROMIUM_ARGS, SHOTS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def tab(browser):
    """One reused browser tab per test module (see `browser.Tab`)."""
    from browser import Tab

    shared = Tab(browser)
    yield shared
    shared.close()


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    """The curated table as the app loads it, with its dataset column (a module may define its own `events`)."""
    from monitor import load_events

    frame = load_events()
    frame.insert(0, "dataset", pd.Categorical(["curated"] * len(frame)))
    return frame


@pytest.fixture(scope="module")
def server():
    """The app on a free local port, one per browser test module (a module may define its own `server`)."""
    from browser import streamlit_server

    with streamlit_server() as base:
        yield base
