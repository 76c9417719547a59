"""Period against period: events and killed by key in two date ranges, with the change and an exact test."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .core import summable
from .trends import MEASURES


def _day_range(value) -> tuple[pd.Timestamp, pd.Timestamp]:
    """An inclusive (start, end) pair of days; ValueError when it runs backwards."""
    start, end = (pd.Timestamp(v).normalize() for v in value)
    if end < start:
        raise ValueError(f"date range {start.date()} to {end.date()} runs backwards")
    return start, end


def _key_sums(events: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Events, killed_low and killed_high per key (one row for no key), events with a blank key left out."""
    keep = np.ones(len(events), dtype=bool)
    for col in by:
        keep &= events[col].notna().to_numpy()
    ready = summable(events)
    frame = pd.DataFrame({**{c: events[c].to_numpy()[keep].astype(str) for c in by},
                          "events": np.ones(int(keep.sum()), dtype="int64"),
                          **{m: ready[m][keep].astype("float64") for m in MEASURES[1:]}})
    if not by:
        return frame.sum().to_frame().T
    return frame.groupby(by, sort=True).sum()


def compare_periods(events: pd.DataFrame, a, b, by) -> pd.DataFrame:
    """Events and killed per key in inclusive date ranges a and b, b's change on a, and an exact test of the counts."""
    # The test conditions on the total: if both ranges share one daily rate, the events of `a` are
    # Binomial(events_a + events_b, days_a / (days_a + days_b)), whatever that rate is.
    (a0, a1), (b0, b1) = _day_range(a), _day_range(b)
    if a0 <= b1 and b0 <= a1:
        # An event in both ranges would be counted twice and the conditional test would no longer hold.
        raise ValueError("the two date ranges overlap")
    days_a, days_b = (a1 - a0).days + 1, (b1 - b0).days + 1
    by = list(by)
    day = events["date"].dt.normalize()
    sides = {s: _key_sums(events[((day >= lo) & (day <= hi)).to_numpy()], by)
             for s, (lo, hi) in (("a", (a0, a1)), ("b", (b0, b1)))}
    both = sides["a"].add_suffix("_a").join(sides["b"].add_suffix("_b"), how="outer").fillna(0)
    if by:
        both = both.sort_index()
    out = both.reset_index()[by] if by else pd.DataFrame(index=range(len(both)))
    for m in MEASURES:
        out[f"{m}_a"] = both[f"{m}_a"].to_numpy().round().astype("int64")
        out[f"{m}_b"] = both[f"{m}_b"].to_numpy().round().astype("int64")
        out[f"{m}_change"] = out[f"{m}_b"] - out[f"{m}_a"]
    share = days_a / (days_a + days_b)
    # No event in either range is no evidence of a change: p = 1.
    out["p_value"] = [stats.binomtest(int(ka), int(ka + kb), share).pvalue if ka + kb else 1.0
                      for ka, kb in zip(out["events_a"], out["events_b"], strict=True)]
    out["q_value"] = stats.false_discovery_control(out["p_value"].to_numpy(), method="bh") if len(out) else []
    return out.reset_index(drop=True)
