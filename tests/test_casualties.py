"""The casualty rules, from their one home: which column a figure reads, how a missing bound counts, how ranges read."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor import casualties, totals
from monitor.core import core_frame, for_figure


@pytest.mark.parametrize("measure,figure,column", [
    ("killed", "range", "killed_low"),  # a range sorts and filters by its low figure
    ("killed", "low", "killed_low"),
    ("killed", "high", "killed_high"),
    ("wounded", "high", "wounded_high"),
    ("killed", "civilians", "killed_low"),  # civilians is a range over the swapped-in civilian columns
])
def test_which_column_a_figure_reads(measure, figure, column):
    assert casualties.column(measure, figure) == column


@pytest.mark.parametrize("low,high,figure,text", [
    (5, 9, "range", "5–9"),
    (5, 9, "low", "at least 5"),
    (5, 9, "high", "up to 9"),
    (1200, 1200, "range", "1,200"),
])
def test_figure_text(low, high, figure, text):
    assert casualties.figure_text(low, high, figure) == text


def test_a_missing_high_counts_as_the_low():
    frame = pd.DataFrame({"killed_low": pd.array([3, None, 4], dtype="Int32"),
                          "killed_high": pd.array([None, None, 6], dtype="Int32")})
    assert casualties.fill_high(frame)["killed_high"].tolist() == [3, pd.NA, 6]
    assert np.array_equal(casualties.arrays(frame)["killed_high"], [3.0, np.nan, 6.0], equal_nan=True)


def test_civilians_only_counts_the_civilians_among_the_dead(small_events):
    events = small_events.copy()
    events["civilians_killed_low"] = pd.array([2] + [None] * (len(events) - 1), dtype="Int32")
    events["civilians_killed_high"] = pd.array([3] + [None] * (len(events) - 1), dtype="Int32")
    base = core_frame(events)
    before = base["killed_low"].copy()
    core = for_figure(base, "civilians")
    sums = totals.totals(core)
    # One event has a civilian split (2-3); every other event's civilian toll is unknown, not zero.
    assert (sums.killed_low, sums.killed_high, sums.killed_unknown) == (2, 3, len(events) - 1)
    # The swap makes a new frame: the shared core that other figure choices read keeps every killed figure.
    assert base["killed_low"].equals(before) and for_figure(base, "range") is base


@pytest.mark.parametrize("events,low,high,unknown,text", [
    (3, 0, 0, 3, "unknown"),  # once shown as "0–0"
    (3, 0, 0, 2, "0"),  # one event said none
    (3, 4, 9, 1, "4–9"),
])
def test_an_unknown_total_is_never_shown_as_zero(events, low, high, unknown, text):
    sums = totals.Totals(events=events, killed_low=0, killed_high=0, wounded_low=low, wounded_high=high,
                        killed_unknown=0, wounded_unknown=unknown, claimed=0)
    assert sums.toll("wounded") == casualties.total_text(low, high, events, unknown) == text
