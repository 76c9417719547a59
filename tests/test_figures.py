"""Figure builders: the right traces, milestones inside the period, group colours, and text made inert."""
from __future__ import annotations

import pandas as pd
import pytest

from monitor import aggregations as agg
from monitor import figures

COLORS = {"ISKP": "#D55E00", "TTP": "#0072B2"}


@pytest.fixture
def milestones():
    return pd.DataFrame({"date": pd.to_datetime(["2010-01-01", "2021-08-15"]), "label": ["Too early", "Fall of Kabul"],
                         "description": ["x", "<b>y</b>"]})


@pytest.mark.parametrize("metric,mode,types", [
    ("events", "stack", ["bar"] * 5),
    ("killed", "stack", ["bar"] * 5 + ["scatter", "scatter"]),
    ("killed", "split", ["scatter"] * 15),
    ("events", "split", ["scatter"] * 5),
])
def test_timeline_traces(small_events, milestones, metric, mode, types):
    ts = agg.timeline(small_events, "year")
    fig = figures.timeline_figure(ts, metric, "range", mode, "year", COLORS, milestones)
    assert [t.type for t in fig.data] == types


TOLLS = [
    # Hover labels once read "0–0" when no event of a bar reported a toll, and "5–5" for a single number.
    ("no event reported one", {"events": 2, "killed_low": 0, "killed_high": 0, "killed_unknown": 2}, "unknown"),
    ("one event said none", {"events": 2, "killed_low": 0, "killed_high": 0, "killed_unknown": 1}, "0"),
    ("one number", {"events": 1, "killed_low": 5, "killed_high": 5, "killed_unknown": 0}, "5"),
    ("a range", {"events": 3, "killed_low": 2, "killed_high": 4, "killed_unknown": 1}, "2–4"),
    ("no unknown count kept: the sums", {"events": 3, "killed_low": 1200, "killed_high": 1500}, "1,200–1,500"),
]


@pytest.mark.parametrize("reason,row,text", TOLLS, ids=[t[0] for t in TOLLS])
def test_toll_texts(reason, row, text):
    assert figures.toll_texts(pd.DataFrame([row]), "killed") == [text]


def test_timeline_hover_reads_the_toll_as_text(small_events):
    fig = figures.timeline_figure(agg.timeline(small_events, "year"), "events", "range", "stack", "year", COLORS)
    iskp = next(t for t in fig.data if t.name == "ISKP")
    assert "killed: %{customdata[1]}<br>" in iskp.hovertemplate
    assert [row[1] for row in iskp.customdata] == figures.toll_texts(
        agg.timeline(small_events, "year").query("group == 'ISKP'"), "killed")


def test_timeline_colours_and_milestones(small_events, milestones):
    fig = figures.timeline_figure(agg.timeline(small_events, "year"), "events", "range", "stack", "year", COLORS,
                                  milestones)
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours["ISKP"] == "#D55E00" and colours["TTP"] == "#0072B2"
    assert [a.text for a in fig.layout.annotations] == ["Fall of Kabul"]
    assert len(fig.layout.shapes) == 1
    assert fig.layout.yaxis.title.text == "Events (count)"


def test_small_multiples_svg_escapes_names():
    table = pd.DataFrame({"year": [2020, 2021], "group": ["<script>x</script>", "<script>x</script>"],
                          "events": [1, 3]})
    svg = figures.small_multiples_svg(table, "group", {})
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2 and "2021: 3 events" in svg


def test_plotly_labels_are_escaped():
    assert figures.safe("<img src=x>") == "&lt;img src=x&gt;"


def test_milestone_labels_close_in_time_get_their_own_lines():
    # Five war milestones within a month once printed on top of each other.
    dates = pd.to_datetime(pd.Series(["2015-01-26", "2026-02-17", "2026-02-22", "2026-02-27", "2026-02-27",
                                      "2026-03-18", "2021-08-15"]).sort_values(ignore_index=True))
    levels = figures.label_levels(dates, pd.Timestamp("2015-01-01"), pd.Timestamp("2026-12-31"))
    close = [lv for d, lv in zip(dates, levels, strict=True) if d.year == 2026]
    assert len(set(close)) == len(close)
    assert levels[0] == 0 and levels[1] == 0  # far apart: both on the first line
