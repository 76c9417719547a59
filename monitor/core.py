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
    for col in SUMS:
        # Ready-to-sum copies (unknown = 0; float32 is exact for casualty counts, and bincount sums in float64).
        core[f"_{col}0"] = core[col].fillna(0).astype("float32")
    core["_killed_unknown"] = core["killed_low"].isna()
    core["_wounded_unknown"] = core["wounded_low"].isna()
    core["_month"] = events["date"].to_numpy().astype("datetime64[M]").astype("int64").astype("int32")
    return core


def _zeroed(values: np.ndarray) -> np.ndarray:
    """Unknown (NaN) figures as 0 for summing."""
    return np.where(np.isnan(values), 0.0, values)


def summable(events: pd.DataFrame) -> dict[str, np.ndarray]:
    """Casualty columns with unknown as 0, and the unknown-toll flags: from the core's ready columns when present."""
    if "_killed_unknown" in events.columns:
        out = {col: events[f"_{col}0"].to_numpy() for col in SUMS if f"_{col}0" in events.columns}
        out["killed_unknown"] = events["_killed_unknown"].to_numpy()
        if "_wounded_unknown" in events.columns:
            out["wounded_unknown"] = events["_wounded_unknown"].to_numpy()
        return out
    arrays = casualties.arrays(events)
    out = {col: _zeroed(values) for col, values in arrays.items()}
    out["killed_unknown"] = np.isnan(arrays["killed_low"])
    if "wounded_low" in arrays:
        out["wounded_unknown"] = np.isnan(arrays["wounded_low"])
    return out


def for_figure(core: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The core as a figure choice counts it: for `civilians`, the civilian columns stand in for the killed ones, so
    every filter, sum and chart counts civilians only (events with no civilian split count as unknown)."""
    if figure != "civilians" or "civilians_killed_low" not in core.columns:
        return core
    swapped = {k: core[v] for k, v in casualties.CIVILIAN_COLUMNS.items()}
    swapped.update({f"_{k}0": core[v].fillna(0).astype("float32") for k, v in casualties.CIVILIAN_COLUMNS.items()})
    swapped["_killed_unknown"] = core["civilians_killed_low"].isna()
    return core.assign(**swapped)
