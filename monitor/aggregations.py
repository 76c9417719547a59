"""Aggregations behind every chart and table: pure functions from events to small DataFrames."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

FREQUENCIES = {"month": "M", "quarter": "Q", "year": "Y"}
SUMS = ("killed_low", "killed_high", "wounded_low", "wounded_high")
TOP_TARGETS = 3


def with_ranges(events: pd.DataFrame) -> pd.DataFrame:
    """Casualty columns ready to sum: a missing high figure is at least the low one (a missing low one counts 0)."""
    return events.assign(killed_high=events["killed_high"].fillna(events["killed_low"]),
                         wounded_high=events["wounded_high"].fillna(events["wounded_low"]))


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of the month, quarter or year each date falls in."""
    return dates.dt.to_period(FREQUENCIES[freq]).dt.start_time


def _sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = with_ranges(frame)
    grouped = frame.groupby(keys, observed=True, sort=True)
    out = grouped.size().rename("events").to_frame()
    for col in SUMS:
        out[col] = grouped[col].sum(min_count=0).astype("int64")
    out["killed_unknown"] = grouped["killed_low"].apply(lambda s: int(s.isna().sum())).astype("int64")
    return out.reset_index()


def timeline(events: pd.DataFrame, freq: str = "month", by_group: bool = True) -> pd.DataFrame:
    """Events, killed and wounded per period (and group), with empty periods filled with zeros."""
    cols = ["period"] + (["group"] if by_group else []) + ["events", *SUMS, "killed_unknown"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    frame = events.assign(period=period_start(events["date"], freq))
    keys = ["period", "group"] if by_group else ["period"]
    if by_group:
        frame = frame.assign(group=frame["group"].astype(str))
    out = _sums(frame, keys)
    periods = pd.period_range(frame["period"].min(), frame["period"].max(), freq=FREQUENCIES[freq]).start_time
    if by_group:
        groups = [g for g in events["group"].cat.categories if g in set(out["group"])] \
            if isinstance(events["group"].dtype, pd.CategoricalDtype) else sorted(out["group"].unique())
        full = pd.MultiIndex.from_product([periods, groups], names=keys)
    else:
        full = pd.Index(periods, name="period")
    out = out.set_index(keys).reindex(full, fill_value=0).reset_index()
    return out[cols]


@dataclass(frozen=True)
class Headline:
    """Headline figures of one period, with the previous period of the same length."""

    label: str
    previous_label: str
    current: dict
    previous: dict | None


def totals(events: pd.DataFrame) -> dict:
    """Counts and casualty sums of a set of events."""
    out = {"events": int(len(events))}
    events = with_ranges(events)
    for col in SUMS:
        out[col] = int(events[col].sum()) if len(events) else 0
    out["killed_unknown"] = int(events["killed_low"].isna().sum())
    out["claimed"] = int((events["attribution"] == "claimed").sum())
    return out


def headline(events: pd.DataFrame, year: tuple[int, int] | None) -> Headline:
    """Totals for the chosen years (or the latest year present) against the same number of years before."""
    if events.empty:
        return Headline("no events", "", totals(events), None)
    years = events["date"].dt.year
    first, last = year if year else (int(years.max()), int(years.max()))
    span = last - first + 1
    current = events[(years >= first) & (years <= last)]
    prev = events[(years >= first - span) & (years <= first - 1)]
    label = str(first) if span == 1 else f"{first}–{last}"
    prev_label = str(first - 1) if span == 1 else f"{first - span}–{first - 1}"
    return Headline(label, prev_label, totals(current), totals(prev))


def change(current: int, previous: int | None) -> str:
    """The change between two counts in words, e.g. '+3 (+25%)'."""
    if previous is None:
        return ""
    diff = current - previous
    pct = f" ({diff / previous:+.0%})" if previous else ""
    return f"{diff:+d}{pct}"


def _mode_list(series: pd.Series, n: int) -> str:
    counts = series.dropna().astype(str).value_counts()
    return ", ".join(counts.index[:n])


def group_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per group: events, casualty ranges, claim and suicide shares, targets, places and first/last dates."""
    cols = ["group", "events", "killed_low", "killed_high", "wounded_low", "wounded_high", "killed_per_attack_low",
            "killed_per_attack_high", "share_claimed", "share_suicide", "main_targets", "countries", "provinces",
            "first_event", "last_event"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    events = with_ranges(events)
    for group, sub in events.groupby("group", observed=True, sort=False):
        known = sub["killed_low"].notna()
        rows.append({
            "group": str(group),
            "events": len(sub),
            **{col: int(sub[col].sum()) for col in SUMS},
            "killed_per_attack_low": round(float(sub.loc[known, "killed_low"].mean()), 1) if known.any() else None,
            "killed_per_attack_high": round(float(sub.loc[known, "killed_high"].mean()), 1) if known.any() else None,
            "share_claimed": round(float((sub["attribution"] == "claimed").mean()), 3),
            "share_suicide": round(float(sub["suicide"].fillna(False).astype(bool).mean()), 3),
            "main_targets": _mode_list(sub["target_type"], TOP_TARGETS),
            "countries": ", ".join(sorted(sub["country"].dropna().astype(str).unique())),
            "provinces": ", ".join(sorted(sub["admin1"].dropna().astype(str).unique())),
            "first_event": sub["date"].min().date().isoformat(),
            "last_event": sub["date"].max().date().isoformat(),
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["events", "group"], ascending=[False, True], ignore_index=True)


def breakdown(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """Events and killed per group and value of `by` (e.g. attack_type), most frequent first."""
    cols = ["group", by, "events", "killed_low", "killed_high"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    frame = with_ranges(events).assign(group=events["group"].astype(str), **{by: events[by].astype(str)})
    out = frame.groupby(["group", by], sort=True).agg(
        events=("date", "size"), killed_low=("killed_low", "sum"), killed_high=("killed_high", "sum")
    ).reset_index()
    out[["killed_low", "killed_high"]] = out[["killed_low", "killed_high"]].astype("int64")
    return out.sort_values(["group", "events", by], ascending=[True, False, True], ignore_index=True)[cols]


def yearly(events: pd.DataFrame) -> pd.DataFrame:
    """Events, killed and wounded per group and year."""
    out = timeline(events, "year", by_group=True)
    if out.empty:
        return out.rename(columns={"period": "year"})
    out = out.assign(year=out["period"].dt.year).drop(columns="period")
    return out[["year", "group", "events", *SUMS, "killed_unknown"]]


def deadliest(events: pd.DataFrame, n: int = 10, figure: str = "range") -> pd.DataFrame:
    """The n deadliest events by the chosen figure (ties by the high figure), shown in date order."""
    key = "killed_high" if figure == "high" else "killed_low"
    other = "killed_low" if key == "killed_high" else "killed_high"
    ranked = with_ranges(events).dropna(subset=[key]).sort_values([key, other, "date"], ascending=[False, False, True])
    return events.loc[ranked.index[:n]].sort_values("date", kind="stable")


def recent(events: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n most recent events, newest first."""
    return events.sort_values(["date", "event_id"], ascending=[False, True]).head(n)


def counts_by(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Events per value of one column, most frequent first."""
    counts = events[column].astype(str).value_counts()
    return counts.rename_axis(column).rename("events").reset_index()


def coverage(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year and country: the table's coverage at a glance."""
    if events.empty:
        return pd.DataFrame(columns=["year"])
    frame = events.assign(year=events["date"].dt.year, country=events["country"].astype(str))
    table = frame.pivot_table(index="year", columns="country", values="date", aggfunc="size", fill_value=0)
    table["total"] = table.sum(axis=1)
    return table.reset_index().rename_axis(columns=None)
