"""The monthly brief: its figures are the dashboard's, its events exactly the period's, and it loads nothing."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import TODAY

from monitor import brief, cli, filters, load_events, totals
from monitor.boundaries import FILES, read
from monitor.filters import FilterState
from monitor.load import DATA_DIR


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    frame = load_events(DATA_DIR / "events.csv")
    frame.insert(0, "dataset", "curated")
    return frame


@pytest.mark.parametrize("period,state", [
    ("2026-02", FilterState(country=("Pakistan",))),
    ("2026-Q1", FilterState(group=("Pakistan Armed Forces",))),
    ("2024", FilterState()),
])
def test_the_brief_shows_the_dashboards_figures_and_exactly_the_periods_events(events, period, state):
    target = pd.Period(period.replace("-Q", "Q"), freq=period[5] if "Q" in period else ("M" if "-" in period else "Y"))
    made = brief.build(filters.apply(events, state), state, target, covered_from=events["date"].min())
    same_view = state.with_(start=target.start_time.date(), end=target.end_time.date())
    dashboard = filters.apply(events, same_view)
    assert made.head.current == totals.totals(dashboard)  # what the Overview shows for this view and dates
    assert list(made.events["event_id"]) == list(dashboard.sort_values(["date", "event_id"])["event_id"])


def test_the_html_loads_nothing_from_outside(events):
    made = brief.build(filters.apply(events, FilterState()), FilterState(), pd.Period("2026-02", "M"))
    page = brief.to_html(made, {n: read(n) for n in FILES}, {}, "abc", dt.date(2026, 12, 2))
    assert not re.search(r"<(script|img|link|iframe|object|embed)\b|\bsrc=|@import|url\(", page, flags=re.I)
    assert "<svg" in page and "How to cite" in page
    assert all(href.startswith(("http://", "https://")) for href in re.findall(r'href="([^"]+)"', page))


def test_the_command_writes_the_brief(tmp_path, capsys):
    out = tmp_path / "brief.html"
    assert cli.main(["brief", "--period", "2026-02", "--query", "country=Pakistan", "--out", str(out)]) == 0
    page = out.read_text()
    assert "<h1>Brief: 2026-02</h1>" in page and f"generated {TODAY.isoformat()}" in page
    assert "wrote the brief for 2026-02" in capsys.readouterr().out


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="PDF is printed by Debian's chromium")
def test_the_pdf_is_printed_on_this_machine(events):
    made = brief.build(filters.apply(events, FilterState()), FilterState(), pd.Period("2026-02", "M"))
    pdf = brief.to_pdf(brief.to_html(made, {n: read(n) for n in FILES}, {}, "abc", dt.date(2026, 12, 2)))
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf and len(pdf) > 10_000
