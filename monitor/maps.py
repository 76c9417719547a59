"""Map builders: events and a view name in, a pydeck.Deck out; offline by default, honest about precision."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from .basemap import base_layers
from .mapdata import arc_records, grid_records, place_labels, point_records, stack_records

MAX_POINTS = 3000
MAP_COLUMNS = ("event_id", "date", "group", "location", "admin1", "latitude", "longitude", "geo_precision",
               "killed_low", "killed_high", "attribution", "origin_country", "origin_latitude", "origin_longitude",
               "origin_precision", "_killed_low0", "_killed_high0", "_killed_unknown")
EXACT = ("site", "neighbourhood", "city")
COARSE = ("district", "province", "country")
# The ring drawn around a coarse point, in metres: about the size of the area the point stands for.
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
    # Zoomed so that a phone's 390-px screen still shows Dasht-e-Barchi in the west and the airport in the east.
    "kabul": View("Kabul city", (68.95, 34.40, 69.35, 34.65), 34.53, 69.15, 10.6, 0.01),
    "kandahar": View("Kandahar city", (65.55, 31.45, 65.90, 31.75), 31.61, 65.72, 11.0, 0.01),
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
            stacks = stack_records(exact)
            if len(stacks):
                # Events at one point would hide each other: a ring sized by their number, and the number on it.
                layers.append(pdk.Layer("ScatterplotLayer", stacks, id="event-stacks", get_position=["lon", "lat"],
                                        get_radius="radius", radius_units=PIXELS, filled=False, stroked=True,
                                        get_line_color=[30, 30, 30], line_width_min_pixels=1.5, pickable=False))
                layers.append(pdk.Layer("TextLayer", stacks, id="stack-counts", get_position=["lon", "lat"],
                                        get_text="label", get_size=13, get_color=[0, 0, 0],
                                        get_pixel_offset=[0, 0], font_weight=700, pickable=False))
    if options.show_arcs:
        arcs = arc_records(drawn, colors) if not aggregated else None
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
