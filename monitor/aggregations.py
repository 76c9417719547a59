"""Aggregations behind every chart and table: pure functions from events to small DataFrames."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import casualties
from .core import summable

FREQUENCIES = {"month": "M", "quarter": "Q", "year": "Y"}
SUMS = casualties.COLUMNS
TOP_TARGETS = 3


def category_codes(series: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes and their labels (categories for a categorical column, else factorized)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy().astype("int64"), list(series.cat.categories)
    codes, labels = pd.factorize(series, sort=True)
    return codes.astype("int64"), list(labels)


def _period_codes(dates: pd.Series, freq: str) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Period codes counted from the first period present, and the start date of every period in the range."""
    unit = "datetime64[Y]" if freq == "year" else "datetime64[M]"
    raw = dates.to_numpy().astype(unit).astype("int64")
    return _codes_from_units(raw, unit, freq)


def _codes_from_units(raw: np.ndarray, unit: str, freq: str) -> tuple[np.ndarray, pd.DatetimeIndex]:
    if freq == "quarter":
        raw = raw - raw % 3
    step = 3 if freq == "quarter" else 1
    first, last = int(raw.min()), int(raw.max())
    starts = np.arange(first, last + 1, step).astype(unit).astype("datetime64[ns]")
    return (raw - first) // step, pd.DatetimeIndex(starts)


def _periods(events: pd.DataFrame, freq: str) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Period codes from the precomputed month column when the frame has one, else from the dates."""
    if "_month" not in events.columns:
        return _period_codes(events["date"], freq)
    months = events["_month"].to_numpy().astype("int64")
    if freq == "year":
        return _codes_from_units(months // 12, "datetime64[Y]", freq)
    return _codes_from_units(months, "datetime64[M]", freq)


def _dense_sums(codes: np.ndarray, size: int, events: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per cell: number of events, casualty sums (unknown as 0) and events with no death toll."""
    ready = summable(events)
    out = {"events": np.bincount(codes, minlength=size)}
    for col in SUMS:
        out[col] = np.bincount(codes, weights=ready[col], minlength=size).round().astype("int64")
    out["killed_unknown"] = np.bincount(codes, weights=ready["killed_unknown"], minlength=size).astype("int64")
    return out


def timeline(events: pd.DataFrame, freq: str = "month", by_group: bool = True) -> pd.DataFrame:
    """Events, killed and wounded per period (and group), with empty periods filled with zeros."""
    cols = ["period"] + (["group"] if by_group else []) + ["events", *SUMS, "killed_unknown"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    pcodes, starts = _periods(events, freq)
    if not by_group:
        sums = _dense_sums(pcodes, len(starts), events)
        return pd.DataFrame({"period": starts, **sums})[cols]
    gcodes, labels = category_codes(events["group"])
    sums = _dense_sums(pcodes * len(labels) + gcodes, len(starts) * len(labels), events)
    present = sums["events"].reshape(len(starts), len(labels)).sum(axis=0) > 0
    keep = np.tile(present, len(starts))
    out = pd.DataFrame({"period": np.repeat(starts, len(labels)), "group": np.tile(np.array(labels, dtype=object),
                                                                                   len(starts)),
                        **sums})
    out = out[keep].reset_index(drop=True)
    out["group"] = out["group"].astype(str)
    return out[cols]


def _crosstab(gcodes: np.ndarray, ngroups: int, series: pd.Series) -> tuple[np.ndarray, list]:
    """Counts per (group, value of a column) as a dense matrix, and the column's labels."""
    codes, labels = category_codes(series)
    ok = codes >= 0
    table = np.bincount(gcodes[ok] * len(labels) + codes[ok], minlength=ngroups * len(labels))
    return table.reshape(ngroups, len(labels)), labels


def group_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per group: events, casualty ranges, claim and suicide shares, targets, places and first/last dates."""
    cols = ["group", "events", "killed_low", "killed_high", "wounded_low", "wounded_high", "killed_per_attack_low",
            "killed_per_attack_high", "share_claimed", "share_suicide", "main_targets", "countries", "provinces",
            "first_event", "last_event"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    gcodes, labels = category_codes(events["group"])
    n = len(labels)
    sums = _dense_sums(gcodes, n, events)
    ready = summable(events)
    known = ~ready["killed_unknown"].astype(bool)
    n_known = np.bincount(gcodes, weights=known, minlength=n)
    low_known = sums["killed_low"]
    high_known = np.bincount(gcodes, weights=ready["killed_high"] * known, minlength=n)
    claimed = np.bincount(gcodes, weights=(events["attribution"] == "claimed").to_numpy(dtype=bool), minlength=n)
    suicide = np.bincount(gcodes, weights=events["suicide"].fillna(False).to_numpy(dtype=bool), minlength=n)
    days = events["date"].to_numpy().astype("datetime64[D]").astype("int64")
    span = pd.Series(days).groupby(gcodes).agg(["min", "max"]).reindex(range(n))
    first, last = span["min"].to_numpy(), span["max"].to_numpy()
    targets, target_labels = _crosstab(gcodes, n, events["target_type"])
    countries, country_labels = _crosstab(gcodes, n, events["country"])
    provinces, province_labels = _crosstab(gcodes, n, events["admin1"])
    rows = []
    for i in np.flatnonzero(sums["events"]):
        count = int(sums["events"][i])
        order = sorted(range(len(target_labels)), key=lambda j: (-targets[i, j], str(target_labels[j])))
        rows.append({
            "group": str(labels[i]), "events": count, **{c: int(sums[c][i]) for c in SUMS},
            "killed_per_attack_low": round(low_known[i] / n_known[i], 1) if n_known[i] else None,
            "killed_per_attack_high": round(high_known[i] / n_known[i], 1) if n_known[i] else None,
            "share_claimed": round(claimed[i] / count, 3), "share_suicide": round(suicide[i] / count, 3),
            "main_targets": ", ".join(str(target_labels[j]) for j in order[:TOP_TARGETS] if targets[i, j]),
            "countries": ", ".join(sorted(str(c) for c, k in zip(country_labels, countries[i], strict=True) if k)),
            "provinces": ", ".join(sorted(str(p) for p, k in zip(province_labels, provinces[i], strict=True) if k)),
            "first_event": str(np.datetime64(int(first[i]), "D")), "last_event": str(np.datetime64(int(last[i]), "D")),
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["events", "group"], ascending=[False, True], ignore_index=True)


def breakdown(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """Events and killed per group and value of `by` (e.g. attack_type), most frequent first."""
    cols = ["group", by, "events", "killed_low", "killed_high"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    gcodes, labels = category_codes(events["group"])
    vcodes, values = category_codes(events[by])
    ok = vcodes >= 0
    size = len(labels) * len(values)
    sums = _dense_sums(gcodes[ok] * len(values) + vcodes[ok], size, events[ok])
    out = pd.DataFrame({"group": np.repeat(np.array(labels, dtype=object), len(values)).astype(str),
                        by: np.tile(np.array(values, dtype=object), len(labels)).astype(str),
                        "events": sums["events"], "killed_low": sums["killed_low"],
                        "killed_high": sums["killed_high"]})
    out = out[out["events"] > 0]
    return out.sort_values(["group", "events", by], ascending=[True, False, True], ignore_index=True)[cols]


def yearly(events: pd.DataFrame) -> pd.DataFrame:
    """Events, killed and wounded per group and year."""
    out = timeline(events, "year", by_group=True)
    if out.empty:
        return out.rename(columns={"period": "year"})
    out = out.assign(year=out["period"].dt.year).drop(columns="period")
    return out[["year", "group", "events", *SUMS, "killed_unknown"]]


def deadliest(events: pd.DataFrame, n: int = 10, figure: str = "range") -> pd.DataFrame:
    """The n deadliest events by the chosen figure (ties by the other figure, then date), shown in date order."""
    arrays = casualties.arrays(events)
    key = casualties.killed_column(figure)
    other = "killed_low" if key == "killed_high" else "killed_high"
    primary = arrays[key]
    known = np.flatnonzero(~np.isnan(primary))
    if len(known) > n * 4:
        cut = np.partition(primary[known], len(known) - n)[len(known) - n]
        known = known[primary[known] >= cut]
    dates = events["date"].to_numpy()[known]
    others = arrays[other][known]
    order = np.lexsort((dates, -np.where(np.isnan(others), -1.0, others), -primary[known]))[:n]
    return events.iloc[known[order]].sort_values("date", kind="stable")


def newest(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """The n newest events, newest first (ties by event id), without sorting the whole table."""
    days = events["date"].to_numpy().astype("datetime64[s]").astype("int64")
    if len(days) > n:
        cut = np.partition(days, len(days) - n)[len(days) - n]
        pick = np.flatnonzero(days >= cut)
    else:
        pick = np.arange(len(days))
    ids = events["event_id"].to_numpy().astype(str)[pick]
    order = pick[np.lexsort((ids, -days[pick]))][:n]
    return events.iloc[order]


def counts_by(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Events per value of one column, most frequent first, ties in alphabetical order."""
    counts = events[column].value_counts(sort=False)  # on the category codes: no text copy of a million rows
    counts = counts[counts > 0]
    table = pd.DataFrame({column: counts.index.astype(str), "events": counts.to_numpy()})
    return table.sort_values(["events", column], ascending=[False, True], kind="stable").reset_index(drop=True)


def coverage(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year and country: the table's coverage at a glance."""
    if events.empty:
        return pd.DataFrame(columns=["year"])
    frame = events.assign(year=events["date"].dt.year, country=events["country"].astype(str))
    table = frame.pivot_table(index="year", columns="country", values="date", aggfunc="size", fill_value=0)
    table["total"] = table.sum(axis=1)
    return table.reset_index().rename_axis(columns=None)
