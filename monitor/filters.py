"""The shared filters: one table of rows, parsed from and written to the URL, applied to the events."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

MAX_VALUES = 50
MAX_VALUE_LENGTH = 100
MAX_QUERY_LENGTH = 200
MAX_MIN_KILLED = 100_000
FIGURES = ("range", "low", "high")
DEFAULT_FIGURE = "range"
YEAR_RE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")
TEXT_COLUMNS = ("description", "location", "perpetrator_reported")


@dataclass(frozen=True)
class Filter:
    """One filter: its URL parameter, the events column it reads, and how."""

    param: str
    column: str
    kind: str  # multi | years | min | text | choice
    label: str
    doc: str


# The filters as rows: the order is the sidebar's and the URL's.
FILTERS = (
    Filter("dataset", "dataset", "multi", "Dataset", "Curated table or an uploaded dataset, comma-separated."),
    Filter("group", "group", "multi", "Group", "Canonical group short names, comma-separated."),
    Filter("year", "date", "years", "Years", "One year (`2024`) or an inclusive range (`2021-2024`)."),
    Filter("country", "country", "multi", "Country", "Country names, comma-separated."),
    Filter("province", "admin1", "multi", "Province", "Province (admin1) names, comma-separated."),
    Filter("attack", "attack_type", "multi", "Attack type", "Attack types from the codebook, comma-separated."),
    Filter("target", "target_type", "multi", "Target type", "Target types from the codebook, comma-separated."),
    Filter("attribution", "attribution", "multi", "Attribution",
           "claimed, attributed, suspected, disputed, unclaimed; comma-separated."),
    Filter("min_killed", "killed", "min", "Minimum killed",
           "Only events with at least this many killed (by the chosen figure; `range` uses the low figure)."),
    Filter("q", "text", "text", "Search",
           "Case-insensitive text search over description, location and reported perpetrator."),
    Filter("figure", "", "choice", "Casualty figure", "`low` (conservative), `high`, or `range` (both; the default)."),
)
MULTI = tuple(f.param for f in FILTERS if f.kind == "multi")


@dataclass(frozen=True)
class FilterState:
    """The current view: every filter's value; defaults mean 'no filter'."""

    dataset: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    attack: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()
    year: tuple[int, int] | None = None
    min_killed: int = 0
    q: str = ""
    figure: str = DEFAULT_FIGURE
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def is_default(self) -> bool:
        """True when no filter narrows the events (the figure choice does not filter)."""
        return replace(self, figure=DEFAULT_FIGURE) == FilterState()

    def with_(self, **changes) -> FilterState:
        """A copy with some filters changed."""
        return replace(self, **changes)


def vocabulary(events: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The values each multi-value filter accepts, read from the events."""
    vocab = {}
    for flt in FILTERS:
        if flt.kind == "multi" and flt.column in events.columns:
            col = events[flt.column]
            values = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else col.dropna().unique()
            present = set(col.dropna().unique())
            vocab[flt.param] = tuple(str(v) for v in values if v in present)
    return vocab


def _values(raw) -> list[str]:
    """A URL value as a list of comma-separated items (repeated parameters are joined)."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for item in items:
        out += [part.strip() for part in str(item).split(",") if part.strip()]
    return out


def _shown(value: str) -> str:
    """A user-supplied value shortened for a notice."""
    value = value.replace("\n", " ")
    return value if len(value) <= 40 else value[:39] + "…"


def parse_query(params: Mapping[str, object], vocab: Mapping[str, tuple[str, ...]]) -> tuple[FilterState, list[str]]:
    """The view a URL's query parameters describe, and a notice for every value that was dropped."""
    notices: list[str] = []
    changes: dict[str, object] = {}
    known = {f.param for f in FILTERS}
    for param in MULTI:
        if param not in params:
            continue
        allowed = {v.lower(): v for v in vocab.get(param, ())}
        kept: list[str] = []
        items = _values(params[param])
        if len(items) > MAX_VALUES:
            notices.append(f"{param}: only the first {MAX_VALUES} values were read")
            items = items[:MAX_VALUES]
        for item in items:
            canonical = allowed.get(item.lower()) if len(item) <= MAX_VALUE_LENGTH else None
            if canonical is None:
                notices.append(f"{param}: unknown value “{_shown(item)}” was dropped")
            elif canonical not in kept:
                kept.append(canonical)
        if kept:
            changes[param] = tuple(kept)
    if "year" in params:
        text = str(_last(params["year"]))
        match = YEAR_RE.match(text)
        if match:
            first, last = int(match.group(1)), int(match.group(2) or match.group(1))
            if first <= last:
                changes["year"] = (first, last)
            else:
                notices.append(f"year: range “{_shown(text)}” runs backwards and was dropped")
        elif text.strip():
            notices.append(f"year: “{_shown(text)}” is not a year or a range like 2021-2024, dropped")
    if "min_killed" in params:
        text = str(_last(params["min_killed"])).strip()
        if text.isdigit() and int(text) <= MAX_MIN_KILLED:
            changes["min_killed"] = int(text)
        elif text:
            notices.append(f"min_killed: “{_shown(text)}” is not a whole number from 0 to {MAX_MIN_KILLED}, dropped")
    if "q" in params:
        text = " ".join(str(_last(params["q"])).split())
        if len(text) > MAX_QUERY_LENGTH:
            notices.append(f"q: search text cut to {MAX_QUERY_LENGTH} characters")
            text = text[:MAX_QUERY_LENGTH]
        changes["q"] = text
    if "figure" in params:
        text = str(_last(params["figure"])).strip().lower()
        if text in FIGURES:
            changes["figure"] = text
        else:
            notices.append(f"figure: “{_shown(text)}” is not one of {', '.join(FIGURES)}, dropped")
    extra = tuple((k, str(_last(v))) for k, v in params.items() if k not in known)
    return FilterState(**changes, extra=extra), notices


def _last(raw):
    return raw[-1] if isinstance(raw, (list, tuple)) and raw else raw


def to_query(state: FilterState) -> dict[str, str]:
    """The query parameters that reproduce a view; defaults are left out."""
    out: dict[str, str] = {}
    for param in MULTI:
        values = getattr(state, param)
        if values:
            out[param] = ",".join(values)
    if state.year:
        first, last = state.year
        out["year"] = str(first) if first == last else f"{first}-{last}"
    if state.min_killed:
        out["min_killed"] = str(state.min_killed)
    if state.q:
        out["q"] = state.q
    if state.figure != DEFAULT_FIGURE:
        out["figure"] = state.figure
    return out


def killed_column(figure: str) -> str:
    """The killed column a casualty figure reads: high for `high`, low otherwise."""
    return "killed_high" if figure == "high" else "killed_low"


def apply(events: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """The events that the view keeps, in their original order."""
    return select(events, mask(events, state))


def select(events: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows a mask keeps; the frame itself (no copy) when it keeps them all."""
    return events if keep.all() else events[keep]


def _contains(column: pd.Series, needle: str) -> np.ndarray:
    """Case-insensitive literal substring match; on a categorical column only the distinct values are searched."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        hits = column.cat.categories.astype(str).str.lower().str.contains(needle, regex=False)
        return np.isin(column.cat.codes.to_numpy(), np.flatnonzero(hits))
    return column.astype(str).str.lower().str.contains(needle, regex=False).fillna(False).to_numpy(dtype=bool)


def mask(events: pd.DataFrame, state: FilterState, text: pd.DataFrame | None = None) -> np.ndarray:
    """A boolean array: which events the view keeps (`text` holds the searched columns when `events` lacks them)."""
    mask = pd.Series(True, index=events.index)
    for flt in FILTERS:
        if flt.kind == "multi" and getattr(state, flt.param) and flt.column in events.columns:
            mask &= events[flt.column].isin(getattr(state, flt.param)).to_numpy()
    if state.year:
        if "_month" in events.columns:
            years = events["_month"] // 12 + 1970
        else:
            years = events["date"].dt.year
        mask &= (years >= state.year[0]) & (years <= state.year[1])
    if state.min_killed:
        killed = events[killed_column(state.figure)]
        if state.figure == "high":
            killed = killed.fillna(events["killed_low"])
        mask &= killed.fillna(-1).to_numpy() >= state.min_killed
    if state.q:
        needle = state.q.lower()
        hit = np.zeros(len(events), dtype=bool)
        source = text if text is not None else events
        for name in TEXT_COLUMNS:
            if name in source.columns:
                hit |= _contains(source[name], needle)
        mask &= hit
    return mask.to_numpy(dtype=bool)


def describe(state: FilterState) -> str:
    """The view in words, e.g. 'group ISKP; years 2021-2024'."""
    parts = []
    for param, value in to_query(state).items():
        if param != "figure":
            parts.append(f"{param} {value}")
    return "; ".join(parts) if parts else "all events"


def slug(state: FilterState) -> str:
    """The view as a short file-name-safe text, e.g. 'group-ISKP_year-2021-2024'."""
    parts = [f"{k}-{v}" for k, v in to_query(state).items() if k != "figure"]
    text = "_".join(parts) if parts else "all"
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")
    return text[:120] or "all"
