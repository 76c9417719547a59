"""Linking events across datasets: likely the same incident, linked (never merged) so disagreements stay visible."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .casualties import range_text

LINK_DAYS = 2
LINK_KM = 25.0
CELL_DEG = 0.25  # ~25 km: neighbouring cells cover every pair within LINK_KM
# Linking examines at most this many candidate pairs, this many at a time: bounded in memory and time whatever the
# input (3,000 rows on one day and place once made 405 million candidates and 3.3 GB).
MAX_CANDIDATES = 5_000_000
CHUNK_CANDIDATES = 500_000
ID_COLUMNS = ("acled_id", "gtd_id", "ucdp_id")
WILDCARD_GROUPS = ("Unknown", "Other")
PAIR_COLUMNS = ["id_a", "id_b", "dataset_a", "dataset_b", "how", "days", "km"]


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def family(groups: pd.DataFrame) -> dict[str, set[str]]:
    """Each group with its parent and children: groups a link may pair it with."""
    out: dict[str, set[str]] = {g: {g} for g in groups["short_name"].astype(str)}
    for name, parent in zip(groups["short_name"].astype(str), groups["parent"].fillna("").astype(str), strict=True):
        if parent:
            out.setdefault(name, {name}).add(parent)
            out.setdefault(parent, {parent}).add(name)
    return out


def compatible(a: str, b: str, fam: dict[str, set[str]]) -> bool:
    """Same group, parent and child, or one side unattributed."""
    return a == b or a in WILDCARD_GROUPS or b in WILDCARD_GROUPS or b in fam.get(a, {a})


def _slim(events: pd.DataFrame) -> pd.DataFrame:
    cols = ["event_id", "dataset", "date", "latitude", "longitude", "group", *ID_COLUMNS]
    frame = events[[c for c in cols if c in events.columns]].copy()
    frame["dataset"] = frame["dataset"].astype(str)
    frame["group"] = frame["group"].astype(str)
    frame["day"] = frame["date"].dt.normalize()
    return frame


def id_links(events: pd.DataFrame) -> pd.DataFrame:
    """Pairs from different datasets that carry the same ACLED, GTD or UCDP id."""
    frame = _slim(events)
    found = []
    for col in ID_COLUMNS:
        if col not in frame.columns:
            continue
        has = frame[frame[col].astype(str).str.strip() != ""]
        pairs = has.merge(has, on=col, suffixes=("_a", "_b"))
        pairs = pairs[(pairs["dataset_a"] != pairs["dataset_b"]) & (pairs["event_id_a"] < pairs["event_id_b"])]
        if len(pairs):
            found.append(pd.DataFrame({"id_a": pairs["event_id_a"], "id_b": pairs["event_id_b"],
                                       "dataset_a": pairs["dataset_a"], "dataset_b": pairs["dataset_b"],
                                       "how": f"same {col}",
                                       "days": (pairs["day_b"] - pairs["day_a"]).dt.days.abs(),
                                       "km": haversine_km(pairs["latitude_a"], pairs["longitude_a"],
                                                          pairs["latitude_b"], pairs["longitude_b"]).round(1)}))
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=PAIR_COLUMNS)


def _candidates(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """How many rows merging a with b on (day, cx, cy) would make, counted without making them."""
    keys = ["day", "cx", "cy"]
    left, right = a.groupby(keys).size(), b.groupby(keys).size()
    both = left.index.intersection(right.index)
    return int((left.loc[both] * right.loc[both]).sum())


def _chunks(a: pd.DataFrame, b: pd.DataFrame, limit: int):
    """Pieces of a whose merge with b stays under `limit` rows each (memory stays bounded whatever the input)."""
    per_row = a.merge(b.groupby(["day", "cx", "cy"]).size().rename("n").reset_index(), on=["day", "cx", "cy"],
                      how="left")["n"].fillna(0).to_numpy()
    start, total = 0, 0
    for i, n in enumerate(per_row):
        if total and total + n > limit:
            yield a.iloc[start:i]
            start, total = i, 0
        total += n
    if start < len(a):
        yield a.iloc[start:]


def near_links(events: pd.DataFrame, groups: pd.DataFrame, days: int = LINK_DAYS, km: float = LINK_KM,
               budget: int = MAX_CANDIDATES) -> pd.DataFrame:
    """Pairs from different datasets within `days` days and `km` km, with compatible groups.

    Candidates are counted before they are made, merged in bounded pieces, and at most `budget` are examined;
    when more would be needed the result says so in `attrs["truncated"]` (many events on one day and place)."""
    frame = _slim(events).dropna(subset=["latitude", "longitude", "day"])
    out = pd.DataFrame(columns=PAIR_COLUMNS)
    out.attrs["truncated"] = False
    if frame["dataset"].nunique() < 2:
        return out
    frame = frame.assign(cx=(frame["longitude"] // CELL_DEG).astype(int), cy=(frame["latitude"] // CELL_DEG).astype(int))
    fam, found, used, truncated = family(groups), [], 0, False
    names = list(frame["dataset"].unique())
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            a, b0 = frame[frame["dataset"] == first], frame[frame["dataset"] == second]
            for d in range(-days, days + 1):
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        b = b0.assign(day=b0["day"] + pd.Timedelta(days=d), cx=b0["cx"] + dx, cy=b0["cy"] + dy)
                        need = _candidates(a, b)
                        if used + need > budget:
                            truncated = True
                            continue
                        used += need
                        for piece in _chunks(a, b, CHUNK_CANDIDATES) if need else ():
                            found.append(_near(piece.merge(b, on=["day", "cx", "cy"], suffixes=("_a", "_b")), km, fam))
    if found:
        out = pd.concat([out, *found], ignore_index=True).drop_duplicates(subset=["id_a", "id_b"], ignore_index=True)
    out.attrs["truncated"] = truncated
    return out


def _near(pairs: pd.DataFrame, km: float, fam: dict[str, set[str]]) -> pd.DataFrame:
    """The merged candidates that are close enough, with compatible groups, as link rows (ids in a stable order)."""
    if pairs.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    dist = haversine_km(pairs["latitude_a"].to_numpy(), pairs["longitude_a"].to_numpy(),
                        pairs["latitude_b"].to_numpy(), pairs["longitude_b"].to_numpy())
    pairs = pairs.assign(km=dist.round(1))
    pairs = pairs[pairs["km"] <= km]
    pairs = pairs[np.array([compatible(a, b, fam) for a, b in zip(pairs["group_a"], pairs["group_b"], strict=True)],
                           dtype=bool)]
    swap = (pairs["event_id_a"] > pairs["event_id_b"]).to_numpy()
    ida = np.where(swap, pairs["event_id_b"], pairs["event_id_a"])
    idb = np.where(swap, pairs["event_id_a"], pairs["event_id_b"])
    return pd.DataFrame({"id_a": ida, "id_b": idb,
                         "dataset_a": np.where(swap, pairs["dataset_b"], pairs["dataset_a"]),
                         "dataset_b": np.where(swap, pairs["dataset_a"], pairs["dataset_b"]),
                         "how": "near (date, place, group)",
                         "days": (pairs["date_b"].dt.normalize() - pairs["date_a"].dt.normalize()).dt.days.abs()
                         .to_numpy(), "km": pairs["km"].to_numpy()})


def via_links(pairs: pd.DataFrame, events: pd.DataFrame, hub: str = "curated") -> pd.DataFrame:
    """Pairs of non-hub events that are both linked by id to the same hub (curated) event."""
    by_id = pairs[pairs["how"].str.startswith("same ")]
    ds = dict(zip(events["event_id"].astype(str), events["dataset"].astype(str), strict=True))
    spokes: dict[str, list[str]] = {}
    for a, b in zip(by_id["id_a"], by_id["id_b"], strict=True):
        if ds.get(a) == hub and ds.get(b) != hub:
            spokes.setdefault(a, []).append(b)
        elif ds.get(b) == hub and ds.get(a) != hub:
            spokes.setdefault(b, []).append(a)
    rows = []
    lookup = events.set_index(events["event_id"].astype(str))
    for centre, others in spokes.items():
        for i, x in enumerate(sorted(others)):
            for y in sorted(others)[i + 1:]:
                if ds[x] == ds[y]:
                    continue
                ex, ey = lookup.loc[x], lookup.loc[y]
                rows.append({"id_a": x, "id_b": y, "dataset_a": ds[x], "dataset_b": ds[y], "how": f"via {centre}",
                             "days": abs((ey["date"] - ex["date"]).days),
                             "km": float(haversine_km(ex["latitude"], ex["longitude"], ey["latitude"],
                                                      ey["longitude"]).round(1))})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def link(events: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """All links between events of different datasets: by shared id first, then by nearness, then via curated."""
    near = near_links(events, groups)
    pairs = pd.concat([id_links(events), near], ignore_index=True)
    pairs = pd.concat([pairs, via_links(pairs, events)], ignore_index=True)
    pairs = pairs.drop_duplicates(subset=["id_a", "id_b"], keep="first", ignore_index=True)
    pairs = pairs.astype({"days": "int64", "km": "float64"})
    pairs.attrs["truncated"] = near.attrs["truncated"]
    return pairs


def disagreements(pairs: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Linked pairs whose dates, groups or killed figures differ, side by side."""
    cols = ["id_a", "id_b", "dataset_a", "dataset_b", "how", "differs", "date_a", "date_b", "group_a", "group_b",
            "killed_a", "killed_b"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    info = events.set_index(events["event_id"].astype(str))[["date", "group", "killed_low", "killed_high"]]
    a = info.loc[pairs["id_a"].astype(str)].reset_index(drop=True)
    b = info.loc[pairs["id_b"].astype(str)].reset_index(drop=True)
    out = pairs.reset_index(drop=True).copy()
    out["date_a"], out["date_b"] = a["date"].dt.strftime("%Y-%m-%d"), b["date"].dt.strftime("%Y-%m-%d")
    out["group_a"], out["group_b"] = a["group"].astype(str), b["group"].astype(str)
    out["killed_a"] = [range_text(x, y) for x, y in zip(a["killed_low"], a["killed_high"], strict=True)]
    out["killed_b"] = [range_text(x, y) for x, y in zip(b["killed_low"], b["killed_high"], strict=True)]
    differs = []
    for row in out.itertuples():
        what = [name for name, x, y in (("date", row.date_a, row.date_b), ("group", row.group_a, row.group_b),
                                        ("killed", row.killed_a, row.killed_b)) if x != y]
        differs.append(", ".join(what))
    out["differs"] = differs
    return out[out["differs"] != ""][cols].reset_index(drop=True)


def linked_records(event_id: str, pairs: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """An event and every record linked to it, one column each, for a side-by-side view."""
    hit = pairs[(pairs["id_a"] == event_id) | (pairs["id_b"] == event_id)]
    if hit.empty:
        return pd.DataFrame()
    others = [b if a == event_id else a for a, b in zip(hit["id_a"], hit["id_b"], strict=True)]
    how = dict(zip(others, hit["how"], strict=True))
    rows = events.set_index(events["event_id"].astype(str)).loc[[event_id, *others]]
    fields = ["dataset", "date", "date_precision", "country", "admin1", "location", "geo_precision", "group",
              "perpetrator_reported", "attribution", "attack_type", "killed_low", "killed_high", "wounded_low",
              "wounded_high"]
    table = rows[[f for f in fields if f in rows.columns]].copy()
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table["link"] = ["this event", *[how[o] for o in others]]
    return table.astype(str).replace({"<NA>": "", "nan": ""}).T
