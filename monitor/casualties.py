"""The casualty rules, in one place: which column a figure choice reads, how a missing bound counts, how a range reads."""
from __future__ import annotations

import numpy as np
import pandas as pd

# The casualty figure a user chooses: the conservative low figure, the high one, or both as a range.
# `civilians` is a range too, over the civilians among the dead (core.for_figure swaps those columns in).
FIGURES = ("range", "low", "high", "civilians")
FIGURE_LABELS = {"range": "Range (low–high)", "low": "Conservative (low)", "high": "High",
                 "civilians": "Civilians only (low–high)"}
CIVILIAN_COLUMNS = {"killed_low": "civilians_killed_low", "killed_high": "civilians_killed_high"}
MEASURES = ("killed", "wounded")
COLUMNS = ("killed_low", "killed_high", "wounded_low", "wounded_high")


def column(measure: str, figure: str) -> str:
    """The column a figure reads for a measure: the high one for `high`, the low one otherwise (ranges sort by low)."""
    return f"{measure}_high" if figure == "high" else f"{measure}_low"


def killed_column(figure: str) -> str:
    """The killed column a casualty figure reads."""
    return column("killed", figure)


def fill_high(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every missing high figure set to the low one: a source that gives one number gives both bounds."""
    filled = {f"{m}_high": frame[f"{m}_high"].fillna(frame[f"{m}_low"])
              for m in MEASURES if f"{m}_high" in frame.columns and f"{m}_low" in frame.columns}
    return frame.assign(**filled)


def arrays(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The casualty columns as float arrays (NaN = unknown), with the same missing-high rule as fill_high."""
    out = {c: frame[c].to_numpy(dtype="float64", na_value=np.nan) for c in COLUMNS if c in frame.columns}
    for m in MEASURES:
        if f"{m}_high" in out and f"{m}_low" in out:
            out[f"{m}_high"] = np.where(np.isnan(out[f"{m}_high"]), out[f"{m}_low"], out[f"{m}_high"])
    return out


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def range_text(low, high) -> str:
    """A range as people read it: '5', '5–9', 'up to 9', 'at least 5', or 'unknown' (never '0–0' for unknown)."""
    low, high = _int_or_none(low), _int_or_none(high)
    if low is None and high is None:
        return "unknown"
    if low is None:
        return f"up to {high:,}"
    if high is None:
        return f"at least {low:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def who(figure: str) -> str:
    """Who the killed figures count under a figure choice."""
    return "civilians" if figure == "civilians" else "people"


def total_text(low, high, events: int, unknown: int = 0) -> str:
    """A summed range over `events` events, or 'unknown' when none of them reported it (never '0–0' for unknown)."""
    if events and unknown >= events:
        return "unknown"
    return range_text(low, high)


def figure_text(low: int, high: int, figure: str) -> str:
    """A total as the chosen figure shows it: 'at least 5' (low), 'up to 9' (high) or the range."""
    if figure == "low":
        return f"at least {low:,}"
    if figure == "high":
        return f"up to {high:,}"
    return range_text(low, high)
