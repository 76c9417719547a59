"""The calendar is read in one place only (monitor/clock.py), so every "today" can be frozen."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from conftest import ROOT, TODAY

from monitor import clock, export
from monitor.filters import FilterState

# Calls that read the wall clock as a date. perf_counter/monotonic measure durations and are allowed.
CLOCK_READS = re.compile(r"\b(?:date|datetime|Timestamp)\.(?:today|now|utcnow)\(|\btime\.(?:time|localtime|gmtime)\("
                         r"|Timestamp\(\s*[\"'](?:today|now)[\"']|to_datetime\(\s*[\"'](?:today|now)[\"']")
SCANNED = [*sorted((ROOT / "monitor").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_reads_the_clock_but_clock_py(path):
    hits = [f"{n}: {line.strip()}" for n, line in enumerate(path.read_text().splitlines(), 1) if CLOCK_READS.search(line)]
    if path.name == "clock.py" and path.parent.name == "monitor":
        assert len(hits) == 1, "clock.py is the one place that reads the clock"
    else:
        assert hits == [], f"{path.relative_to(ROOT)} reads the clock directly; use monitor.clock.today()"


def test_the_guard_catches_the_usual_ways_of_reading_the_clock():
    # Without this, a regex typo would make the guard above pass on everything.
    for line in ("dt.date.today()", "pd.Timestamp.today()", "datetime.now(tz)", "pd.Timestamp('now')",
                 "time.time()", "dt.datetime.utcnow()"):
        assert CLOCK_READS.search(line), line
    assert not CLOCK_READS.search("time.perf_counter()")


def test_the_suite_runs_under_the_frozen_date():
    assert clock.today() == TODAY


@pytest.mark.parametrize(("env", "expected"), [
    ("2031-02-03", dt.date(2031, 2, 3)),   # a named date wins over the real clock
    (" 2030-01-01 ", dt.date(2030, 1, 1)),  # surrounding spaces from a shell are tolerated
])
def test_a_named_date_freezes_the_clock(monkeypatch, env, expected):
    monkeypatch.setenv(clock.ENV, env)
    assert clock.today() == expected


def test_without_a_named_date_the_clock_is_utc_whatever_the_time_zone(monkeypatch):
    monkeypatch.delenv(clock.ENV)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: its local date is a day ahead of UTC for 14 h a day
    time.tzset()
    try:
        before = dt.datetime.now(dt.UTC).date()
        got = clock.today()
        assert got in (before, dt.datetime.now(dt.UTC).date())  # both ends, in case midnight UTC passes between
    finally:
        monkeypatch.undo()
        time.tzset()


def test_downloads_and_citations_are_stamped_with_the_frozen_date():
    assert export.file_name("events", FilterState()).endswith(f"_{TODAY.isoformat()}.csv")
    assert f"accessed {TODAY.isoformat()}" in export.citation("http://x/", "abc")
