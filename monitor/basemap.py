"""The offline base map: country, province and city outlines, the Durand Line and names, as pydeck layers."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

LAND_RGBA = [236, 234, 226, 255]
FOCUS_RGBA = [222, 219, 205, 255]
BORDER_RGBA = [90, 90, 90, 255]
PROVINCE_RGBA = [140, 140, 140, 160]
DURAND_RGBA = [180, 40, 40, 230]
LABEL_RGBA = [60, 60, 60, 255]
CITY_OUTLINE_RGBA = [120, 90, 40, 200]


def base_layers(boundaries: dict[str, dict], view: str) -> list[pdk.Layer]:
    """Countries, provinces, the Durand Line, city outlines and province names: readable with no tiles."""
    countries = boundaries["countries.geojson"]
    layers = [
        pdk.Layer("GeoJsonLayer", countries, id="countries", stroked=True, filled=True,
                  get_fill_color=LAND_RGBA, get_line_color=BORDER_RGBA, line_width_min_pixels=1, pickable=False),
        pdk.Layer("GeoJsonLayer", boundaries["provinces.geojson"], id="provinces", stroked=True, filled=True,
                  get_fill_color=FOCUS_RGBA, get_line_color=PROVINCE_RGBA, line_width_min_pixels=0.5,
                  pickable=False),
        pdk.Layer("GeoJsonLayer", boundaries["durand_line.geojson"], id="durand-line", stroked=True, filled=False,
                  get_line_color=DURAND_RGBA, line_width_min_pixels=2.5, pickable=False),
        pdk.Layer("GeoJsonLayer", boundaries["city_districts.geojson"], id="city-outlines", stroked=True,
                  filled=False, get_line_color=CITY_OUTLINE_RGBA, line_width_min_pixels=1.5, pickable=False),
    ]
    if view in ("border", "region", "abroad"):
        provs = pd.DataFrame([{"name": f["properties"]["name"], "lon": f["properties"]["label_lon"],
                               "lat": f["properties"]["label_lat"]}
                              for f in boundaries["provinces.geojson"]["features"]
                              if view != "abroad" or f["properties"]["country"] == "IRN"])
        layers.append(pdk.Layer("TextLayer", provs, id="province-names", get_position=["lon", "lat"],
                                get_text="name", get_size=11, get_color=LABEL_RGBA, pickable=False,
                                character_set=pdk.types.String("auto")))
    if view == "abroad":
        names = pd.DataFrame([{"name": f["properties"]["name"], "lon": f["properties"]["label_lon"],
                               "lat": f["properties"]["label_lat"]} for f in countries["features"]
                              if f["properties"]["role"] != "context" and f["properties"]["code"] not in ("RUS",
                                                                                                         "CHN")])
        layers.append(pdk.Layer("TextLayer", names, id="country-names", get_position=["lon", "lat"],
                                get_text="name", get_size=13, get_color=LABEL_RGBA, pickable=False))
    return layers
