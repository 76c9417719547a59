"""Lazy validation: every problem in a file is collected and reported at once, as a table."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from . import clock
from .problems import Problem, as_text
from .schema import (
    ALIAS_SEPARATOR,
    CORRECTIONS,
    COUNTRY_BBOX,
    EVENTS,
    GROUPS,
    MILESTONES,
    RELEASES,
    SOURCE_SEPARATOR,
    TableSchema,
)

# Suspected duplicates share a cell of about 1 km (0.01 degree).
DUPLICATE_CELL_DEG = 0.01
EVENT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^\d+$")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
URL_RE = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
EARLIEST = dt.date(1970, 1, 1)
MAX_COUNT = 1_000_000


def detect_table(columns: list[str]) -> TableSchema | None:
    """Which schema a header belongs to, judged by its columns."""
    cols = set(columns)
    for schema, key in ((CORRECTIONS, {"event_id", "field", "old_value"}), (RELEASES, {"release", "added"}),
                        (EVENTS, {"event_id", "date", "group"}),
                        (GROUPS, {"short_name", "color"}),
                        (MILESTONES, {"date", "label", "source"})):
        if key <= cols:
            return schema
    return None


def short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def check_columns(df: pd.DataFrame, schema: TableSchema) -> list[Problem]:
    """Missing and unknown columns."""
    out = [Problem(None, "", c.name, "", f"column is missing: read as blank (it was added to the schema in {c.added})",
                   "warning") if c.added else Problem(None, "", c.name, "", "required column is missing")
           for c in schema.columns if c.name not in df.columns]
    out += [Problem(None, "", str(name), "", f"unknown column: not in the {schema.name} schema")
            for name in df.columns if name not in schema.names]
    return out


def _emit(df: pd.DataFrame, mask: pd.Series, id_column: str, column: str, rule: str, values: pd.Series | None = None,
          severity: str = "error") -> list[Problem]:
    """Problems for the rows where `mask` holds; row numbers count the header as row 1."""
    if not mask.any():
        return []
    positions = mask.to_numpy().nonzero()[0]
    ids = df[id_column] if id_column in df.columns else None
    vals = df[column] if values is None and column in df.columns else values
    out = []
    for pos in positions:
        rid = "" if ids is None else str(ids.iat[pos])
        value = "" if vals is None else str(vals.iat[pos])
        out.append(Problem(int(pos) + 2, rid, column, short(value), rule, severity))
    return out


def check_cells(df: pd.DataFrame, schema: TableSchema, id_column: str, today: dt.date) -> list[Problem]:
    """Per-cell rules that follow from the schema alone: required, type, vocabulary, date range."""
    out: list[Problem] = []
    for col in (c for c in schema.columns if c.name in df.columns):
        s = df[col.name].astype(str)
        empty = s == ""
        if col.required:
            out += _emit(df, empty, id_column, col.name, "required value is empty")
        given = ~empty
        if col.kind == "date":
            parsed = pd.to_datetime(s.where(given & s.str.match(DATE_RE.pattern)), format="%Y-%m-%d", errors="coerce")
            bad = given & parsed.isna()
            out += _emit(df, bad, id_column, col.name, "not a valid YYYY-MM-DD date")
            out += _emit(df, given & (parsed > pd.Timestamp(today)), id_column, col.name,
                         f"date is in the future (after {today})")
            out += _emit(df, given & (parsed < pd.Timestamp(EARLIEST)), id_column, col.name, f"date is before {EARLIEST}")
        elif col.kind == "int":
            whole = s.str.match(INT_RE.pattern)
            out += _emit(df, given & ~whole, id_column, col.name, "not a whole number >= 0")
            # Pages hold counts as 32-bit integers; a toll beyond any real event is refused, not left to crash them.
            out += _emit(df, given & whole & ((s.str.len() > len(str(MAX_COUNT))) | (_ints(s) > MAX_COUNT)), id_column,
                         col.name, f"larger than {MAX_COUNT:,}: not a plausible count")
        elif col.kind == "float":
            num = pd.to_numeric(s.where(given), errors="coerce")
            bad = given & (num.isna() | ~num.abs().lt(float("inf")))
            out += _emit(df, bad, id_column, col.name, "not a number")
        if col.vocab:
            out += _emit(df, given & ~s.isin(col.vocab), id_column, col.name,
                         f"not in vocabulary ({', '.join(col.vocab)})")
    return out


def _first_rows(keys: pd.DataFrame | pd.Series) -> pd.Series:
    """For each row, the spreadsheet row of the first row with the same key."""
    positions = pd.Series(range(len(keys)), index=keys.index) + 2
    frame = keys.to_frame() if isinstance(keys, pd.Series) else keys
    return positions.groupby([frame[c] for c in frame.columns], sort=False, dropna=False).transform("first")


def _ints(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(s.str.match(INT_RE.pattern)), errors="coerce")


def _floats(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(s != ""), errors="coerce")


def _outside_box(country: pd.Series, lat: pd.Series, lon: pd.Series) -> pd.Series:
    boxes = pd.DataFrame([COUNTRY_BBOX.get(c, (-180, -90, 180, 90)) for c in country],
                         columns=["w", "s", "e", "n"], index=country.index)
    return ~((lon >= boxes.w) & (lon <= boxes.e) & (lat >= boxes.s) & (lat <= boxes.n))


def check_sources(df: pd.DataFrame, id_column: str, column: str) -> list[Problem]:
    """Every listed source must be an http(s) URL, and each row needs at least one."""
    if column not in df.columns:
        return []
    text = df[column].astype(str)
    parts = text.str.split(SOURCE_SEPARATOR.strip()).explode().str.strip()
    bad_part = (parts != "") & ~parts.str.match(URL_RE.pattern, case=False)
    out: list[Problem] = []
    if bad_part.any():
        positions = pd.Series(range(len(df)), index=df.index)
        for idx, url in parts[bad_part].items():
            pos = int(positions.at[idx])
            rid = str(df[id_column].iat[pos]) if id_column in df.columns else ""
            out.append(Problem(pos + 2, rid, column, short(url), "not an http(s) URL"))
    good = (~bad_part & (parts != "")).groupby(level=0).any().reindex(df.index, fill_value=False)
    out += _emit(df, (text != "") & ~good, id_column, column, "needs at least one http(s) source URL")
    return out


def validate_events(df: pd.DataFrame, known_groups: set[str] | None = None, today: dt.date | None = None) -> list[Problem]:
    """Every problem of an events table given as text cells (empty string = blank)."""
    today = today or clock.today()
    out = check_columns(df, EVENTS)
    df = as_text(df)
    for name in EVENTS.names:
        if name not in df.columns:
            df[name] = ""
    out += check_cells(df, EVENTS, "event_id", today)
    eid = df["event_id"]
    out += _emit(df, (eid != "") & ~eid.str.match(EVENT_ID_RE.pattern), "event_id", "event_id",
                 "id has characters other than A-Z a-z 0-9 . _ : -")
    dup = (eid != "") & eid.duplicated()
    if dup.any():
        first = _first_rows(eid)
        for pos in dup.to_numpy().nonzero()[0]:
            out.append(Problem(int(pos) + 2, eid.iat[pos], "event_id", eid.iat[pos],
                               f"duplicate id (first used on row {first.iat[pos]})"))
    for low, high in (("killed_low", "killed_high"), ("wounded_low", "wounded_high"),
                      ("civilians_killed_low", "civilians_killed_high"), ("civilians_killed_low", "killed_low"),
                      ("civilians_killed_high", "killed_high")):
        a, b = _ints(df[low]), _ints(df[high])
        out += _emit(df, a > b, "event_id", low, f"{low} must be <= {high}", df[low] + " > " + df[high])
    lat, lon = _floats(df["latitude"]), _floats(df["longitude"])
    pair = df["latitude"] + ", " + df["longitude"]
    have = lat.notna() & lon.notna()
    out_of_range = have & ~(lat.between(-90, 90) & lon.between(-180, 180))
    out += _emit(df, out_of_range, "event_id", "latitude", "coordinates out of range", pair)
    outside = have & ~out_of_range & _outside_box(df["country"], lat, lon) & df["country"].isin(list(COUNTRY_BBOX))
    out += _emit(df, outside, "event_id", "latitude", "point is outside the named country (coarse bounding box)", pair)
    ocols = ["origin_country", "origin_latitude", "origin_longitude", "origin_precision"]
    given = df[ocols] != ""
    some, every = given.any(axis=1), given.all(axis=1)
    out += _emit(df, some & ~every, "event_id", "origin_country",
                 "origin_country, origin_latitude, origin_longitude and origin_precision go together",
                 df["origin_country"] + " / " + df["origin_latitude"] + " / " + df["origin_longitude"] + " / "
                 + df["origin_precision"])
    olat, olon = _floats(df["origin_latitude"]), _floats(df["origin_longitude"])
    ohave = every & olat.notna() & olon.notna()
    out += _emit(df, ohave & _outside_box(df["origin_country"], olat, olon), "event_id", "origin_latitude",
                 "origin point is outside origin_country (coarse bounding box)",
                 df["origin_latitude"] + ", " + df["origin_longitude"])
    out += _emit(df, every & (df["origin_country"] == df["country"]), "event_id", "origin_country",
                 "origin country equals the event country")
    group = df["group"]
    if known_groups is not None:
        out += _emit(df, (group != "") & ~group.isin(known_groups), "event_id", "group",
                     "unknown group: not a short_name in groups.csv")
    out += _emit(df, (group == "Unknown") & df["attribution"].isin(["claimed", "attributed"]), "event_id",
                 "attribution", "a claimed or attributed event needs a named group")
    out += check_sources(df, "event_id", "sources")
    out += _suspected_duplicates(df, lat, lon)
    return out


def _suspected_duplicates(df: pd.DataFrame, lat: pd.Series, lon: pd.Series) -> list[Problem]:
    """Same day and group, and the same location text or the same ~1 km cell: probably one event entered twice."""
    base = (df["date"] != "") & (df["group"] != "")
    keyed = df.assign(_loc=df["location"].str.strip().str.lower(), _lat=(lat / DUPLICATE_CELL_DEG).round(),
                      _lon=(lon / DUPLICATE_CELL_DEG).round())
    out: list[Problem] = []
    reported: set[int] = set()
    for keys in (["date", "group", "_loc"], ["date", "group", "_lat", "_lon"]):
        dup = base & keyed.duplicated(keys) & keyed[keys].notna().all(axis=1)
        if dup.any():
            first = _first_rows(keyed[keys])
            for pos in dup.to_numpy().nonzero()[0]:
                if pos in reported:
                    continue
                reported.add(pos)
                out.append(Problem(int(pos) + 2, df["event_id"].iat[pos], "date", df["date"].iat[pos],
                                   f"suspected duplicate of row {first.iat[pos]}: same day, place and group", "warning"))
    return out


def validate_groups(df: pd.DataFrame, today: dt.date | None = None) -> list[Problem]:
    """Every problem of a groups table given as text cells."""
    out = check_columns(df, GROUPS)
    df = as_text(df)
    out += check_cells(df, GROUPS, "short_name", today or clock.today())
    if "short_name" not in df.columns:
        return out
    name = df["short_name"]
    dup = (name != "") & name.duplicated()
    out += _emit(df, dup, "short_name", "short_name", "duplicate short_name")
    out += _emit(df, name.str.contains(",", regex=False), "short_name", "short_name",
                 "short_name must not contain a comma (URLs use commas)")
    if "color" in df.columns:
        out += _emit(df, (df["color"] != "") & ~df["color"].str.match(COLOR_RE.pattern), "short_name", "color",
                     "not a #RRGGBB colour")
    if "parent" in df.columns:
        out += _emit(df, (df["parent"] != "") & ~df["parent"].isin(set(name)), "short_name", "parent",
                     "parent is not a short_name in this file")
    if "aliases" in df.columns:
        owner: dict[str, str] = {}
        for pos, (group, aliases) in enumerate(zip(name, df["aliases"], strict=True)):
            for alias in filter(None, (a.strip().lower() for a in aliases.split(ALIAS_SEPARATOR.strip()))):
                first = owner.setdefault(alias, group)
                if first != group:
                    out.append(Problem(pos + 2, group, "aliases", alias, f"alias also belongs to {first}"))
    return out


def validate_milestones(df: pd.DataFrame, today: dt.date | None = None) -> list[Problem]:
    """Every problem of a milestones table given as text cells."""
    out = check_columns(df, MILESTONES)
    df = as_text(df)
    out += check_cells(df, MILESTONES, "label", today or clock.today())
    out += check_sources(df, "label", "source")
    return out


