"""The shared filters as one table: each row declares a filter; FilterState and mask() are built from the rows.

Adding a filter is one row in FILTERS plus, unless it is a plain `multi` filter on one column, its clause in mask().
The URL form lives in urlstate.py, the widgets in monitor/app/sidebar.py; both read the rows, not the names.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import casualties, search
from .schema import ATTRIBUTION

MAX_MIN_KILLED = 100_000
MAX_QUERY_LENGTH = 200
SUICIDE_OPTIONS = ("any", "yes", "no")


@dataclass(frozen=True)
class Filter:
    """One filter: its URL parameter, the events column it reads, its kind, and how the sidebar and docs name it."""

    param: str
    column: str  # the events column its values are matched against ("" when its own mask clause reads them)
    kind: str  # multi | years | date | min | text | choice
    label: str
    doc: str
    options: tuple[str, ...] = ()  # a choice's values, the first being the default
    option_labels: tuple[tuple[str, str], ...] = ()
    example: str = ""
    attr: str = ""  # the FilterState field, where the URL parameter is not a Python name (`from`)
    placeholder: str = ""  # what the widget says while empty (a list's default: "All")

    @property
    def name(self) -> str:
        """The FilterState field that holds this filter's value."""
        return self.attr or self.param

    @property
    def default(self):
        """The value that means 'no filter'."""
        return {"multi": (), "years": None, "date": None, "min": 0, "text": ""}.get(
            self.kind, self.options[0] if self.options else "")


# The filters as rows: the order is the sidebar's and the URL's.
FILTERS = (
    Filter("dataset", "dataset", "multi", "Dataset", "Curated table or an uploaded dataset, comma-separated.",
           example="dataset=curated", placeholder="All datasets"),
    Filter("group", "group", "multi", "Group", "Canonical group short names (data/groups.csv), comma-separated.",
           example="group=ISKP,TTP", placeholder="All groups"),
    Filter("family", "", "multi", "Group family",
           "Families that expand to their member groups (Islamic State (all), TTP and factions, ...), comma-separated.",
           example="family=Islamic State (all)"),
    Filter("year", "date", "years", "Years",
           "One year or an inclusive range; clamped, with a notice, to the years the data covers.",
           example="year=2021-2024"),
    Filter("from", "date", "date", "From", "First day (YYYY-MM-DD), inclusive; clamped, with a notice, to the data's "
           "dates.", example="from=2021-08-15", attr="start"),
    Filter("to", "date", "date", "To", "Last day (YYYY-MM-DD), inclusive; clamped like `from`.", example="to=2024-12-31",
           attr="end"),
    Filter("country", "country", "multi", "Country", "Country names, comma-separated.", example="country=Pakistan",
           placeholder="All countries"),
    Filter("province", "admin1", "multi", "Province", "Province (admin1) names, comma-separated.",
           example="province=Kabul,Khyber Pakhtunkhwa", placeholder="All provinces"),
    Filter("attack", "attack_type", "multi", "Attack type", "Attack types from the codebook, comma-separated.",
           example="attack=bombing,air_strike"),
    Filter("target", "target_type", "multi", "Target type", "Target types from the codebook, comma-separated.",
           example="target=religious"),
    Filter("attribution", "attribution", "multi", "Attribution",
           "claimed, attributed, suspected, disputed, unclaimed; comma-separated.", example="attribution=claimed"),
    Filter("suicide", "suicide", "choice", "Suicide attack",
           "yes (a suicide attacker was used), no (sources show none was), or any (the default).",
           SUICIDE_OPTIONS, (("any", "Any"), ("yes", "Suicide attacks only"), ("no", "No suicide attacker")),
           example="suicide=yes"),
    Filter("min_killed", "killed", "min", "Minimum killed",
           "Only events with at least this many killed (by the chosen figure; range uses the low figure).",
           example="min_killed=10"),
    Filter("q", "text", "text", "Search",
           "Every word, in any order, in the description, place, claim or the group's names and aliases (Daesh, "
           "IS-K, Pakistani Taliban); hyphenated spellings match either way (Dasht-e-Barchi, Dasht-i-Barchi).",
           example="q=school", placeholder="words in any order: description, place, perpetrator"),
    Filter("figure", "", "choice", "Casualty figure",
           "low (conservative), high, range (both; the default), or civilians (the civilians among the dead, as a "
           "range; events without a civilian split count as unknown).",
           casualties.FIGURES, tuple(casualties.FIGURE_LABELS.items()), example="figure=low"),
)
BY_PARAM = {f.param: f for f in FILTERS}
# Choices that pick how numbers are shown rather than which rows are kept.
DISPLAY_ONLY = ("figure",)


def _is_default(self) -> bool:
    """True when no filter narrows the events (display choices such as the figure do not filter)."""
    return all(getattr(self, f.name) == f.default for f in FILTERS if f.param not in DISPLAY_ONLY)


def _with(self, **changes):
    """A copy with some filters changed."""
    return dataclasses.replace(self, **changes)


# The state is generated from the rows, so a new row is a new field with its default: nothing else to edit.
FilterState = dataclasses.make_dataclass(
    "FilterState",
    [(f.name, object, field(default=f.default)) for f in FILTERS]
    + [("extra", tuple, field(default=(), compare=False))],
    frozen=True,
    namespace={"is_default": _is_default, "with_": _with,
               "__doc__": "The current view: every filter's value (defaults mean 'no filter'), plus page parameters."},
)
FilterState.__module__ = __name__  # so that cached and pickled states find their class


def vocabulary(events: pd.DataFrame) -> dict:
    """The values each filter accepts, read from the events: multi values, the year span, provinces by country."""
    vocab: dict = {}
    for flt in FILTERS:
        if flt.kind == "multi" and flt.column in events.columns:
            col = events[flt.column]
            values = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else col.dropna().unique()
            present = set(col.dropna().unique())
            vocab[flt.param] = tuple(str(v) for v in values if v in present)
    if "group" in events.columns:
        present = set(events["group"].dropna().astype(str))
        vocab["family"] = tuple(f for f in search.FAMILIES if present & set(search.family_members(f)))
    if "attribution" in vocab:
        vocab["attribution"] = tuple(a for a in ATTRIBUTION if a in set(vocab["attribution"]))
    years = events["date"].dropna() if "date" in events.columns else pd.Series([], dtype="datetime64[ns]")
    vocab["_years"] = (int(years.min().year), int(years.max().year)) if len(years) else None
    vocab["_dates"] = (years.min().date(), years.max().date()) if len(years) else None
    provinces: dict[str, set[str]] = {}
    if {"country", "admin1"} <= set(events.columns):
        for country, province in events.groupby(["country", "admin1"], observed=True).size().index:
            provinces.setdefault(str(country), set()).add(str(province))
    vocab["_provinces_by_country"] = provinces
    return vocab


def apply(events: pd.DataFrame, state) -> pd.DataFrame:
    """The events that the view keeps, in their original order."""
    return select(events, mask(events, state))


def select(events: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows a mask keeps; the frame itself (no copy) when it keeps them all."""
    return events if keep.all() else events[keep]


def _years(events: pd.DataFrame) -> pd.Series:
    if "_month" in events.columns:
        return events["_month"] // 12 + 1970
    return events["date"].dt.year


def mask(events: pd.DataFrame, state, text: pd.DataFrame | None = None) -> np.ndarray:
    """A boolean array: which events the view keeps (`text` holds the searched columns when `events` lacks them)."""
    keep = pd.Series(True, index=events.index)
    for flt in FILTERS:
        if flt.kind == "multi" and getattr(state, flt.param) and flt.column in events.columns:
            keep &= events[flt.column].isin(getattr(state, flt.param)).to_numpy()
    if state.year:
        years = _years(events)
        keep &= (years >= state.year[0]) & (years <= state.year[1])
    if state.start or state.end:
        days = events["date"]
        if state.start:
            keep &= (days >= pd.Timestamp(state.start)).to_numpy()
        if state.end:
            keep &= (days <= pd.Timestamp(state.end)).to_numpy()
    if state.suicide != "any" and "suicide" in events.columns:
        keep &= events["suicide"].eq(state.suicide == "yes").fillna(False).to_numpy(dtype=bool)
    if state.min_killed:
        killed = casualties.fill_high(events[["killed_low", "killed_high"]])[casualties.killed_column(state.figure)]
        keep &= killed.fillna(-1).to_numpy() >= state.min_killed
    if state.family:
        members = {g for name in state.family for g in search.family_members(name)}
        keep &= events["group"].isin(members).to_numpy()
    if state.q:
        keep &= search.matches(text if text is not None else events, events["group"], state.q)
    return keep.to_numpy(dtype=bool)
