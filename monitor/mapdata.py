"""The data of each map layer, as small frames of plain values: points, stacks, cells, arcs, labels, most-hit places."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import casualties
from . import colors as colors_
from .core import summable

# Coarse points are drawn as rings the size of the area they stand for, never as sites.
COARSE_RADIUS_M = {"district": 15_000, "province": 60_000, "country": 250_000}
MIN_RADIUS_PX = 3
MAX_RADIUS_PX = 40


def _radius_px(killed: pd.Series) -> pd.Series:
    """Marker radius in pixels: area grows with the number killed."""
    return (MIN_RADIUS_PX + killed.fillna(0).clip(lower=0).map(math.sqrt) * 1.6).clip(upper=MAX_RADIUS_PX)


def point_records(events: pd.DataFrame, colors: dict[str, str], figure: str = "range") -> pd.DataFrame:
    """One small record per event: position, style and the tooltip fields (all plain text)."""
    killed = casualties.fill_high(events)[casualties.killed_column(figure)]
    rgb = events["group"].astype(str).map(lambda g: colors_.rgb(colors, g))
    out = pd.DataFrame({
        "event_id": events["event_id"].astype(str),
        "lon": events["longitude"].round(5),
        "lat": events["latitude"].round(5),
        "color": rgb,
        "radius": _radius_px(killed).round(1),
        "precision": events["geo_precision"].astype(str),
        "ring_m": events["geo_precision"].astype(str).map(COARSE_RADIUS_M).fillna(0).astype(int),
        "date": events["date"].dt.strftime("%Y-%m-%d"),
        "group": events["group"].astype(str),
        "place": (events["location"].astype(str) + ", " + events["admin1"].astype(str)).str.slice(0, 120),
        "killed": [casualties.range_text(a, b) for a, b in zip(events["killed_low"], events["killed_high"], strict=True)],
        "attribution": events["attribution"].astype(str),
    })
    return out


def stack_records(records: pd.DataFrame) -> pd.DataFrame:
    """One record per point that holds more than one event: where, how many, and a label to draw on it."""
    counts = records.groupby(["lon", "lat"], sort=False).agg(events=("event_id", "size"), place=("place", "first"))
    stacked = counts[counts["events"] > 1].reset_index()
    return stacked.assign(label=stacked["events"].astype(str),
                          radius=(MIN_RADIUS_PX + stacked["events"].map(math.sqrt) * 3).clip(upper=MAX_RADIUS_PX),
                          tip=stacked["events"].astype(str) + " events at this point: " + stacked["place"])


POINT = ["lat", "lon", "geo_precision"]


def _commonest(rows: pd.DataFrame, column: str, k: int) -> pd.Series:
    """Per point, its `k` commonest values of `column` joined by commas (ties: the value seen first comes first)."""
    seen = rows[POINT + [column]].assign(_at=np.arange(len(rows)), **{column: rows[column].astype(str)})
    counts = seen.groupby(POINT + [column], observed=True, sort=False).agg(n=("_at", "size"), at=("_at", "min"))
    counts = counts.reset_index().sort_values(["n", "at"], ascending=[False, True], kind="stable")
    top = counts[counts.groupby(POINT, observed=True, sort=False).cumcount() < k]
    return top.groupby(POINT, observed=True, sort=False)[column].agg(", ".join)


def most_hit(visible: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The points that hold the most events, at the precision the data gives (coarse points say so)."""
    if visible.empty:
        return pd.DataFrame(columns=["place", "precision", "events", "killed", "first", "last", "groups"])
    filled = casualties.fill_high(visible).assign(lat=visible["latitude"].round(5), lon=visible["longitude"].round(5))
    # Counts and sums are vectorised over every point; names are looked up only for the n points shown, so a view
    # of a million distinct points costs one groupby, not a Python call per point.
    table = filled.groupby(POINT, observed=True, sort=False).agg(
        events=("event_id", "size"), low=("killed_low", "sum"), high=("killed_high", "sum"), first=("date", "min"),
        last=("date", "max")).reset_index()
    table = table.sort_values(["events", "last"], ascending=[False, False], kind="stable").head(n)
    members = filled.merge(table[POINT], on=POINT)
    named = table.join(_commonest(members, "location", 1).rename("place"), on=POINT).join(
        _commonest(members, "group", 3).rename("groups"), on=POINT)
    return pd.DataFrame({"place": named["place"], "precision": named["geo_precision"].astype(str),
                         "events": named["events"], "killed": [casualties.range_text(a, b) for a, b in
                                                               zip(named["low"], named["high"], strict=True)],
                         "first": named["first"].dt.date, "last": named["last"].dt.date, "groups": named["groups"]})


def grid_records(events: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    """Events binned into square cells on the server: one record per cell with counts and killed totals."""
    cx = np.floor(events["longitude"].to_numpy(dtype="float64") / cell_deg).astype("int64")
    cy = np.floor(events["latitude"].to_numpy(dtype="float64") / cell_deg).astype("int64")
    if len(cx):
        x0, y0 = cx.min(), cy.min()
        width = int(cy.max() - y0 + 1)
        flat = (cx - x0) * width + (cy - y0)
        size = int(flat.max()) + 1
    else:
        x0 = y0 = width = size = 0
        flat = cx
    ready = summable(events)
    counts = np.bincount(flat, minlength=size)
    used = np.flatnonzero(counts)
    cells = pd.DataFrame({
        "cx": used // max(width, 1) + x0, "cy": used % max(width, 1) + y0, "events": counts[used],
        "killed_low": np.bincount(flat, weights=ready["killed_low"], minlength=size)[used],
        "killed_high": np.bincount(flat, weights=ready["killed_high"], minlength=size)[used],
        "killed_unknown": np.bincount(flat, weights=ready["killed_unknown"], minlength=size)[used],
    })
    half = cell_deg / 2
    cells["lon"] = (cells["cx"] * cell_deg + half).round(5)
    cells["lat"] = (cells["cy"] * cell_deg + half).round(5)
    cells["polygon"] = [
        [[x * cell_deg, y * cell_deg], [(x + 1) * cell_deg, y * cell_deg], [(x + 1) * cell_deg, (y + 1) * cell_deg],
         [x * cell_deg, (y + 1) * cell_deg]] for x, y in zip(cells["cx"], cells["cy"], strict=True)]
    top = max(int(cells["events"].max()), 1) if len(cells) else 1
    cells["color"] = [[213, 94, 0, int(60 + 180 * math.sqrt(n / top))] for n in cells["events"]]
    cells["killed"] = [casualties.total_text(low, high, n, unknown) for low, high, n, unknown in
                       zip(cells["killed_low"], cells["killed_high"], cells["events"], cells["killed_unknown"],
                           strict=True)]
    cells["radius"] = (MIN_RADIUS_PX + cells["events"].map(math.sqrt) * 2).clip(upper=MAX_RADIUS_PX).round(1)
    return cells[["lon", "lat", "polygon", "events", "killed", "color", "radius"]]


def arc_records(events: pd.DataFrame, colors: dict[str, str]) -> pd.DataFrame:
    """One arc per cross-border event, from its origin point to the event."""
    has = events.dropna(subset=["origin_latitude", "origin_longitude"])
    return pd.DataFrame({
        "event_id": has["event_id"].astype(str),
        "source": [[round(x, 5), round(y, 5)] for x, y in zip(has["origin_longitude"], has["origin_latitude"],
                                                                strict=True)],
        "target": [[round(x, 5), round(y, 5)] for x, y in zip(has["longitude"], has["latitude"], strict=True)],
        "color": has["group"].astype(str).map(lambda g: colors_.rgb(colors, g)),
        "date": has["date"].dt.strftime("%Y-%m-%d"),
        "group": has["group"].astype(str),
        "place": has["location"].astype(str).str.slice(0, 120),
        "origin": has["origin_country"].astype(str) + " (" + has["origin_precision"].astype(str) + " point)",
        "killed": [casualties.range_text(a, b) for a, b in zip(has["killed_low"], has["killed_high"], strict=True)],
        "attribution": has["attribution"].astype(str),
    })


def place_labels(places: pd.DataFrame, events: pd.DataFrame, radius_deg: float = 0.05) -> pd.DataFrame:
    """The gazetteer places that events in the view lie near (within `radius_deg`), as labels."""
    if places.empty or events.empty:
        return pd.DataFrame(columns=["name", "lon", "lat"])
    near = [((events["latitude"] - lat).abs() < radius_deg).to_numpy() & ((events["longitude"] - lon).abs()
                                                                        < radius_deg).to_numpy()
            for lat, lon in zip(places["latitude"], places["longitude"], strict=True)]
    keep = [bool(n.any()) for n in near]
    out = places[keep]
    return pd.DataFrame({"name": out["name"].astype(str), "lon": out["longitude"], "lat": out["latitude"]})
