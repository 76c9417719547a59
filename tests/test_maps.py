"""Map builders, tested through the deck's JSON: layers, colours, precision styling, arcs, aggregation, safety."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from monitor import casualties, mapdata, maps
from monitor.boundaries import FILES, read

COLORS = {"ISKP": "#D55E00", "TTP": "#0072B2", "BLA": "#009E73", "Pakistan Armed Forces": "#77AADD",
          "Unknown": "#999999"}


@pytest.fixture(scope="module")
def boundaries():
    return {name: read(name) for name in FILES}


def deck_json(events, view, boundaries, **options) -> dict:
    result = maps.build_deck(events, view, COLORS, boundaries, None, maps.MapOptions(**options))
    return json.loads(result.deck.to_json())


def layer(doc: dict, layer_id: str) -> dict | None:
    return next((lay for lay in doc["layers"] if lay["id"] == layer_id), None)


def test_offline_by_default(small_events, boundaries):
    doc = deck_json(small_events, "region", boundaries)
    assert "mapProvider" not in doc or doc["mapProvider"] is None
    assert not any(str(v).startswith("http") for k, v in doc.items() if k != "layers")
    assert {"countries", "provinces", "durand-line", "province-names"} <= {lay["id"] for lay in doc["layers"]}


def test_online_basemap_only_when_asked(small_events, boundaries):
    doc = deck_json(small_events, "region", boundaries, online_basemap=True)
    assert doc["mapProvider"] == "carto"


def test_points_coloured_by_group(small_events, boundaries):
    doc = deck_json(small_events, "region", boundaries)
    points = {p["event_id"]: p["color"] for p in layer(doc, "events")["data"]}
    assert points["T-1"] == [213, 94, 0]          # ISKP
    assert points["T-3"] == [0, 114, 178]         # TTP


def test_coarse_points_are_hollow_rings_sized_by_area(small_events, boundaries):
    # T-4 is located only to its district: a ring in metres, never a filled pinpoint dot.
    doc = deck_json(small_events, "region", boundaries)
    rings = layer(doc, "events-coarse")
    assert rings["filled"] is False and rings["stroked"] is True and rings["radiusUnits"] == "meters"
    assert [(p["event_id"], p["ring_m"]) for p in rings["data"]] == [("T-4", 15000)]
    assert "T-4" not in {p["event_id"] for p in layer(doc, "events")["data"]}


def test_coarse_points_can_be_hidden(small_events, boundaries):
    result = maps.build_deck(small_events, "region", COLORS, boundaries, None, maps.MapOptions(show_coarse=False))
    doc = json.loads(result.deck.to_json())
    assert layer(doc, "events-coarse") is None and result.hidden_coarse == 1


def test_arcs_only_for_rows_with_an_origin(small_events, boundaries):
    arcs = layer(deck_json(small_events, "region", boundaries), "cross-border")
    assert [(a["event_id"], a["source"], a["target"]) for a in arcs["data"]] == [
        ("T-4", [70.1, 32.9], [69.2657, 32.6852])]


def test_view_keeps_only_its_box(small_events):
    assert list(maps.in_view(small_events, "kabul")["event_id"]) == ["T-1", "T-2", "T-7"]
    assert list(maps.in_view(small_events, "abroad")["event_id"]) == list(small_events["event_id"])


def test_aggregates_above_the_threshold(small_events, boundaries):
    result = maps.build_deck(small_events, "region", COLORS, boundaries, None, maps.MapOptions(max_points=3))
    doc = json.loads(result.deck.to_json())
    assert result.aggregated and layer(doc, "events") is None
    cells = layer(doc, "event-cells")["data"]
    assert sum(c["events"] for c in cells) == result.shown == 6


def test_grid_records_count_and_sum(small_events):
    cells = mapdata.grid_records(small_events[small_events["admin1"] == "Kabul"], 1.0)
    assert cells[["events", "killed"]].values.tolist() == [[3, "223–243"]]


GRID_KILLED = [
    # A cell's tooltip once read "0–0" when no event in it reported a toll, and "5–5" for a single number.
    ("no event reported a toll", [(None, None), (None, None)], "unknown"),
    ("one number is both bounds", [(5, None)], "5"),
    ("a range; an unknown toll adds nothing", [(2, 4), (None, None)], "2–4"),
    ("thousands", [(1200, 1500)], "1,200–1,500"),
]


@pytest.mark.parametrize("reason,tolls,text", GRID_KILLED, ids=[g[0] for g in GRID_KILLED])
def test_a_cell_gives_its_killed_as_people_read_it(reason, tolls, text):
    frame = pd.DataFrame({"latitude": [34.5] * len(tolls), "longitude": [69.2] * len(tolls),
                          "killed_low": pd.array([low for low, _ in tolls], dtype="Int32"),
                          "killed_high": pd.array([high for _, high in tolls], dtype="Int32")})
    assert mapdata.grid_records(frame, 1.0)["killed"].tolist() == [text]


def test_tooltip_is_text_not_html(small_events, boundaries):
    # deck.gl renders `text` tooltips with innerText, so a hostile place name stays text.
    events = small_events.copy()
    events["location"] = events["location"].astype(str) + " <img src=x onerror=alert(1)>"
    doc = deck_json(events, "region", boundaries)
    result = maps.build_deck(events, "region", COLORS, boundaries, None)
    assert "html" not in result.deck._tooltip and "text" in result.deck._tooltip
    assert any("<img src=x onerror=alert(1)>" in p["place"] for p in layer(doc, "events")["data"])


@pytest.mark.parametrize("low,high,text", [(5, 9, "5–9"), (5, 5, "5"), (None, 9, "up to 9"), (5, None, "at least 5"),
                                           (None, None, "unknown")])
def test_range_text(low, high, text):
    assert casualties.range_text(pd.NA if low is None else low, pd.NA if high is None else high) == text


def test_payload_is_compact(small_events, boundaries):
    result = maps.build_deck(small_events, "abroad", COLORS, boundaries, None)
    assert maps.payload_bytes(result.deck) < 2_000_000
    assert "\n" not in result.deck.to_json()


def test_text_from_data_never_reaches_deckgl_as_an_expression(small_events, boundaries):
    # One event located at "@@=1+" once broke the map for everyone: deck.gl ran it as code.
    events = small_events.copy()
    events["location"] = events["location"].astype(str)
    events["location"] = ["@@=1+" if i % 2 else "@@#GL.ONE" for i in range(len(events))]
    doc = json.loads(maps.build_deck(events, "region", COLORS, boundaries, None).deck.to_json())
    data_strings = [v for layer in doc["layers"] if isinstance(layer.get("data"), list)
                    for row in layer["data"] for v in row.values() if isinstance(v, str)]
    assert any(s.startswith("\u200b@@") for s in data_strings)
    assert not any(s.startswith("@@") for s in data_strings)


def test_a_stacked_place_shows_its_count(boundaries):
    # Eight Dasht-e-Barchi attacks once shared one dot: the map must show how many events a point holds.
    from monitor import load_events

    events = load_events()
    kabul = maps.in_view(events[events["group"] == "ISKP"], "kabul")
    top = kabul.groupby(["latitude", "longitude"]).size().max()
    doc = json.loads(maps.build_deck(kabul, "kabul", COLORS, boundaries, None).deck.to_json())
    labels = [int(row["label"]) for row in layer(doc, "stack-counts")["data"]]
    assert top > 1 and max(labels) == top
    table = mapdata.most_hit(kabul)
    assert table["events"].iloc[0] == top and table["precision"].iloc[0] in ("site", "neighbourhood", "city")


def _hits(rows):
    frame = pd.DataFrame(rows, columns=["latitude", "longitude", "geo_precision", "location", "group", "killed_low",
                                        "killed_high", "date", "event_id"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["geo_precision"] = frame["geo_precision"].astype("category")
    return mapdata.most_hit(frame, n=2).to_csv(index=False)


@pytest.mark.parametrize(("rows", "expected"), [
    # the point with most events first; its commonest name, its three commonest groups (ties: first seen first)
    ([(34.5, 69.1, "site", "Shia mosque", "ISKP", 5, 7, "2021-01-01", "a"),
      (34.5, 69.1, "site", "Mosque", "TTP", 1, None, "2021-03-01", "b"),
      (34.5, 69.1, "site", "Mosque", "BLA", 0, 0, "2021-02-01", "c"),
      (34.5, 69.1, "site", "Mosque", "ISKP", 0, 0, "2021-02-01", "d"),
      (31.6, 65.7, "city", "Kandahar", "Taliban", 2, 3, "2022-01-01", "e")],
     "place,precision,events,killed,first,last,groups\n"
     "Mosque,site,4,6–8,2021-01-01,2021-03-01,\"ISKP, TTP, BLA\"\n"
     "Kandahar,city,1,2–3,2022-01-01,2022-01-01,Taliban\n"),
    # equal counts: the point with the latest event comes first; a name tie goes to the name seen first
    ([(30.0, 70.0, "district", "Alpha", "TTP", 1, 1, "2020-01-01", "a"),
      (30.0, 70.0, "district", "Beta", "TTP", 1, 1, "2020-02-01", "b"),
      (31.0, 71.0, "site", "Gamma", "BLA", 0, 0, "2023-01-01", "c"),
      (31.0, 71.0, "site", "Gamma", "BLA", 0, 0, "2023-01-02", "d")],
     "place,precision,events,killed,first,last,groups\n"
     "Gamma,site,2,0,2023-01-01,2023-01-02,BLA\n"
     "Alpha,district,2,2,2020-01-01,2020-02-01,TTP\n"),
])
def test_most_hit_points(rows, expected):
    assert _hits(rows) == expected


def test_most_hit_on_many_distinct_points_is_vectorised():
    # 200,000 points that each hold one event: names are looked up for the shown points only (the old per-point
    # Python lookups took minutes on a million synthetic events). The result must still be the newest points.
    n = 200_000
    frame = pd.DataFrame({"latitude": [30 + i * 1e-5 for i in range(n)], "longitude": 70.0, "geo_precision": "site",
                          "location": [f"P{i}" for i in range(n)], "group": "TTP", "killed_low": 0, "killed_high": 0,
                          "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(range(n), unit="min"),
                          "event_id": [f"E{i}" for i in range(n)]})
    assert list(mapdata.most_hit(frame, n=3)["place"]) == [f"P{n - 1}", f"P{n - 2}", f"P{n - 3}"]
