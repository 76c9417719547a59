"""Offline base-map boundaries: reading the shipped GeoJSON, and (for maintainers) rebuilding it from the sources.

Rebuilding needs shapely, which the app does not: `pip install shapely` then
`python -m monitor boundaries --source ../shared/reference/boundaries`.
"""
from __future__ import annotations

import json
from pathlib import Path

from .load import DATA_DIR

BOUNDARIES_DIR = DATA_DIR / "boundaries"
# The region the maps can show: Turkey and Moscow in the west, Xinjiang in the east.
CLIP_BOX = (25.0, 18.0, 92.0, 60.0)
COUNTRY_TOLERANCE = 0.02
PROVINCE_TOLERANCE = 0.01
DECIMALS = 3
PROVINCE_COUNTRIES = ("AFG", "PAK", "IRN")
CITY_DISTRICTS = (("AF-KAB", "Kabul"), ("AF-KAN", "Kandahar"))
FILES = ("countries.geojson", "provinces.geojson", "durand_line.geojson", "city_districts.geojson")


def read(name: str, folder: Path = BOUNDARIES_DIR) -> dict:
    """One shipped boundary file as a GeoJSON mapping."""
    return json.loads((folder / name).read_text(encoding="utf-8"))


def _round(geometry: dict) -> dict:
    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            return [round(coords[0], DECIMALS), round(coords[1], DECIMALS)]
        return [walk(c) for c in coords]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def build(source: Path, out: Path = BOUNDARIES_DIR) -> dict[str, int]:
    """Clip, simplify and round the reference boundaries into the files the map ships; returns bytes per file."""
    import shapely
    from shapely.geometry import box, mapping, shape
    from shapely.ops import linemerge

    clip = box(*CLIP_BOX)
    countries = json.loads((source / "countries.geojson").read_text(encoding="utf-8"))["features"]
    shapes = [shape(f["geometry"]).intersection(clip) for f in countries]
    simple = shapely.coverage_simplify(shapes, tolerance=COUNTRY_TOLERANCE)
    feats, by_code = [], {}
    for f, geom in zip(countries, simple, strict=True):
        if geom.is_empty:
            continue
        props = f["properties"]
        by_code[props["ADM0_A3"]] = geom
        feats.append({"type": "Feature", "geometry": _round(mapping(geom)), "properties": {
            "code": props["ADM0_A3"], "name": props["NAME_EN"] or props["NAME"], "role": props["role"],
            "label_lon": props["label_lon"], "label_lat": props["label_lat"]}})
    files = {"countries.geojson": _collection(feats)}

    provinces = json.loads((source / "admin1_afg_pak.geojson").read_text(encoding="utf-8"))["features"]
    provinces = [f for f in provinces if f["properties"]["adm0_a3"] in PROVINCE_COUNTRIES]
    simple = shapely.coverage_simplify([shape(f["geometry"]) for f in provinces], tolerance=PROVINCE_TOLERANCE)
    files["provinces.geojson"] = _collection([
        {"type": "Feature", "geometry": _round(mapping(geom)), "properties": {
            "iso": f["properties"]["iso_3166_2"], "name": f["properties"]["name_en"],
            "country": f["properties"]["adm0_a3"], "label_lon": f["properties"]["label_lon"],
            "label_lat": f["properties"]["label_lat"]}}
        for f, geom in zip(provinces, simple, strict=True)])

    durand = linemerge(by_code["AFG"].boundary.intersection(by_code["PAK"].boundary))
    files["durand_line.geojson"] = _collection([{"type": "Feature", "geometry": _round(mapping(durand)),
                                                 "properties": {"name": "Durand Line (Afghanistan–Pakistan border)"}}])

    districts = json.loads((source / "admin2_afg.geojson").read_text(encoding="utf-8"))["features"]
    files["city_districts.geojson"] = _collection([
        {"type": "Feature", "geometry": _round(mapping(shape(f["geometry"]).simplify(0.001))),
         "properties": {"name": f["properties"]["shapeName"], "province": f["properties"]["adm1_name_en"]}}
        for f in districts if (f["properties"]["adm1_iso"], f["properties"]["shapeName"]) in CITY_DISTRICTS])

    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, data in files.items():
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        (out / name).write_text(text, encoding="utf-8")
        sizes[name] = len(text.encode())
    return sizes
