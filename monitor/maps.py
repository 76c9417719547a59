"""Map builders: events and a view name in, a pydeck.Deck out; offline by default, honest about precision."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from . import casualties
from . import colors as colors_
from .basemap import base_layers
from .core import summable

MAX_POINTS = 3000
MAP_COLUMNS = ("event_id", "date", "group", "location", "admin1", "latitude", "longitude", "geo_precision",
               "killed_low", "killed_high", "attribution", "origin_country", "origin_latitude", "origin_longitude",
               "origin_precision", "_killed_low0", "_killed_high0", "_killed_unknown")
EXACT = ("site", "neighbourhood", "city")
COARSE = ("district", "province", "country")
# The ring drawn around a coarse point, in metres: about the size of the area the point stands for.
COARSE_RADIUS_M = {"district": 15_000, "province": 60_000, "country": 250_000}
MIN_RADIUS_PX = 3
MAX_RADIUS_PX = 40
TOOLTIP_STYLE = {"backgroundColor": "#222", "color": "#fff", "fontSize": "12px", "whiteSpace": "pre-line"}
ONLINE_STYLE = "light"


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by default, which triples the payload of boundaries."""

    def to_json(self) -> str:
        """The deck as compact JSON (what Streamlit sends to the browser)."""
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


METERS = pdk.types.String("meters")
PIXELS = pdk.types.String("pixels")


@dataclass(frozen=True)
class View:
    """A map preset: its label, the box it shows (west, south, east, north) and the camera."""

    label: str
    bbox: tuple[float, float, float, float]
    latitude: float
    longitude: float
    zoom: float
    grid_deg: float


VIEWS = {
    "kabul": View("Kabul city", (68.95, 34.40, 69.35, 34.65), 34.53, 69.16, 11.2, 0.01),
    "kandahar": View("Kandahar city", (65.55, 31.45, 65.90, 31.75), 31.61, 65.72, 11.4, 0.01),
    "border": View("Af-Pak border belt", (66.0, 29.5, 72.5, 35.8), 32.6, 69.6, 6.2, 0.1),
    "region": View("Afghanistan and Pakistan", (60.0, 23.5, 78.0, 38.6), 31.0, 68.0, 4.6, 0.25),
    "abroad": View("ISKP abroad (Iran to Russia and Central Asia)", (25.0, 24.0, 92.0, 60.0), 42.0, 57.0, 3.0, 0.5),
}
DEFAULT_VIEW = "region"


# deck.gl's JSON converter runs a string that starts with "@@" as an expression or a constant (`@@=`, `@@#`): text
# from data gets an invisible zero-width space in front, so it is only ever shown.
CODE_PREFIX = "@@"
INERT = "\u200b"


def inert(records: list[dict]) -> list[dict]:
    """A layer's rows with every text value that deck.gl would run as code made inert (rows are changed in place)."""
    for row in records:
        for key, value in row.items():
            if isinstance(value, str) and value.startswith(CODE_PREFIX):
                row[key] = INERT + value
    return records


def in_view(events: pd.DataFrame, view: str) -> pd.DataFrame:
    """The events whose point lies inside the view's box."""
    west, south, east, north = VIEWS[view].bbox
    lat = events["latitude"].to_numpy(dtype="float64")
    lon = events["longitude"].to_numpy(dtype="float64")
    return events[(lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)]


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
    })
    half = cell_deg / 2
    cells["lon"] = (cells["cx"] * cell_deg + half).round(5)
    cells["lat"] = (cells["cy"] * cell_deg + half).round(5)
    cells["polygon"] = [
        [[x * cell_deg, y * cell_deg], [(x + 1) * cell_deg, y * cell_deg], [(x + 1) * cell_deg, (y + 1) * cell_deg],
         [x * cell_deg, (y + 1) * cell_deg]] for x, y in zip(cells["cx"], cells["cy"], strict=True)]
    top = max(int(cells["events"].max()), 1) if len(cells) else 1
    cells["color"] = [[213, 94, 0, int(60 + 180 * math.sqrt(n / top))] for n in cells["events"]]
    cells["killed"] = [f"{int(a)}–{int(b)}" for a, b in zip(cells["killed_low"], cells["killed_high"], strict=True)]
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


@dataclass(frozen=True)
class MapOptions:
    """What the map draws besides the base: coarse points, arcs, density, labels, and an online basemap."""

    figure: str = "range"
    show_coarse: bool = True
    show_arcs: bool = True
    show_density: bool = False
    show_labels: bool = True
    online_basemap: bool = False
    max_points: int = MAX_POINTS


@dataclass(frozen=True)
class MapResult:
    """The deck and what the page should say about it."""

    deck: pdk.Deck
    shown: int
    aggregated: bool
    hidden_coarse: int
    in_view: int = 0


def build_deck(events: pd.DataFrame, view: str, colors: dict[str, str], boundaries: dict[str, dict],
               places: pd.DataFrame | None = None, options: MapOptions = MapOptions()) -> MapResult:
    """The map of the events in a view: base layers, precise points, coarse rings, arcs, density and labels."""
    preset = VIEWS[view]
    layers = base_layers(boundaries, view) if not options.online_basemap else []
    # Only the columns the layers read travel through the (costly, at scale) row selection.
    visible = in_view(events[[c for c in MAP_COLUMNS if c in events.columns]], view)
    coarse_mask = visible["geo_precision"].isin(COARSE).to_numpy()
    hidden = int(coarse_mask.sum()) if not options.show_coarse else 0
    drawn = visible if options.show_coarse else visible[~coarse_mask]
    aggregated = len(drawn) > options.max_points
    tooltip_text = "{date} · {group}\n{place}\nkilled: {killed}\nattribution: {attribution}\nlocated to: {precision}"
    if aggregated:
        cells = grid_records(drawn, preset.grid_deg)
        layers.append(pdk.Layer("PolygonLayer", cells, id="event-cells", get_polygon="polygon", get_fill_color="color",
                                stroked=False, pickable=True))
        tooltip_text = "{events} events in this cell\nkilled: {killed}"
    else:
        records = point_records(drawn, colors, options.figure)
        exact = records[records["precision"].isin(EXACT)]
        coarse = records[~records["precision"].isin(EXACT)]
        if options.show_density and len(records):
            cells = grid_records(drawn, preset.grid_deg)
            layers.append(pdk.Layer("PolygonLayer", cells, id="density", get_polygon="polygon",
                                    get_fill_color="color", stroked=False, pickable=False))
        if len(coarse):
            layers.append(pdk.Layer("ScatterplotLayer", coarse, id="events-coarse", get_position=["lon", "lat"],
                                    get_radius="ring_m", radius_units=METERS, radius_min_pixels=6, filled=False,
                                    stroked=True, get_line_color="color", line_width_min_pixels=1.5,
                                    pickable=True, auto_highlight=True))
        if len(exact):
            layers.append(pdk.Layer("ScatterplotLayer", exact, id="events", get_position=["lon", "lat"],
                                    get_radius="radius", radius_units=PIXELS, get_fill_color="color",
                                    opacity=0.8, stroked=True, get_line_color=[255, 255, 255],
                                    line_width_min_pixels=0.5, pickable=True, auto_highlight=True))
    if options.show_arcs:
        arcs = arc_records(drawn if not aggregated else visible.head(0), colors) if not aggregated else None
        if arcs is not None and len(arcs):
            layers.append(pdk.Layer("ArcLayer", arcs, id="cross-border", get_source_position="source",
                                    get_target_position="target", get_source_color="color",
                                    get_target_color="color", get_width=2.5, pickable=True, auto_highlight=True))
    if options.show_labels and places is not None and view in ("kabul", "kandahar", "border", "region"):
        # Neighbourhood and site names only make sense in the city views; wider views label towns only.
        shown_places = places if view in ("kabul", "kandahar") else places[places["kind"] == "town"]
        labels = place_labels(shown_places, visible)
        if len(labels):
            layers.append(pdk.Layer("TextLayer", labels, id="place-labels", get_position=["lon", "lat"],
                                    get_text="name", get_size=12, get_color=[20, 20, 20], get_pixel_offset=[0, -14],
                                    pickable=False))
    for layer in layers:
        if isinstance(layer.data, list):  # pydeck has turned each frame into a list of row dicts by now
            inert(layer.data)
    camera = pdk.ViewState(latitude=preset.latitude, longitude=preset.longitude, zoom=preset.zoom)
    tooltip = {"text": tooltip_text, "style": TOOLTIP_STYLE}
    if options.online_basemap:
        deck = CompactDeck(layers=layers, initial_view_state=camera, map_provider="carto", map_style=ONLINE_STYLE,
                        tooltip=tooltip)
    else:
        # No provider and no explicit style: the deck then names no basemap, and nothing is fetched. (map_style=None
        # would make Streamlit pick its own online style.)
        deck = CompactDeck(layers=layers, initial_view_state=camera, map_provider=None, tooltip=tooltip)
    return MapResult(deck, len(drawn), aggregated, hidden, len(visible))


def payload_bytes(deck: pdk.Deck) -> int:
    """Size of the JSON the browser receives for a deck."""
    return len(deck.to_json().encode("utf-8"))
