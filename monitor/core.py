"""The core frame: the columns filters and charts read, made cheap to aggregate, and its ready-to-sum arrays."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import casualties
from .schema import CORE_COLUMNS

SUMS = casualties.COLUMNS


def core_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The columns filters and charts read, made cheap to aggregate: casualties as floats (NaN = unknown) and the
    month of each event (months since 1970). Built once per dataset, at the UI boundary."""
    # No copy: under copy-on-write the untouched columns stay shared with `events`; only the derived ones are new.
    core = events[[c for c in CORE_COLUMNS if c in events.columns]]
    for col, values in casualties.arrays(events).items():
        core[col] = values
    for col, values in _ready({c: core[c] for c in SUMS}).items():
        core[col] = values
    core["_month"] = events["date"].to_numpy().astype("datetime64[M]").astype("int64").astype("int32")
    return core


def _ready(tolls: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """Ready-to-sum copies of casualty columns (unknown as 0; float32 is exact for casualty counts, and bincount sums
    in float64), and for each measure whether its toll is unknown: the one rule for what a sum counts."""
    out = {f"_{col}0": values.fillna(0).astype("float32") for col, values in tolls.items()}
    for measure in casualties.MEASURES:
        if f"{measure}_low" in tolls:
            out[f"_{measure}_unknown"] = tolls[f"{measure}_low"].isna()
    return out


def summable(events: pd.DataFrame) -> dict[str, np.ndarray]:
    """Casualty columns with unknown as 0, and the unknown-toll flags: from the core's ready columns when present."""
    if "_killed_unknown" in events.columns:
        ready = {col: events[col] for col in events.columns if col.startswith("_")}
    else:
        ready = _ready({col: pd.Series(values) for col, values in casualties.arrays(events).items()})
    out = {col: ready[f"_{col}0"].to_numpy() for col in SUMS if f"_{col}0" in ready}
    out.update({f"{m}_unknown": ready[f"_{m}_unknown"].to_numpy()
                for m in casualties.MEASURES if f"_{m}_unknown" in ready})
    return out


def for_figure(core: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The core as a figure choice counts it: for `civilians`, the civilian columns stand in for the killed ones, so
    every filter, sum and chart counts civilians only (events with no civilian split count as unknown)."""
    if figure != "civilians" or "civilians_killed_low" not in core.columns:
        return core
    swapped = {k: core[v] for k, v in casualties.CIVILIAN_COLUMNS.items()}
    return core.assign(**swapped, **_ready(swapped))
