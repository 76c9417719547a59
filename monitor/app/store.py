"""Every cache of the app, in one place, each keyed by the content it was computed from (never by names or ids).

Shared across sessions: the curated table and what derives from it, and page models keyed by a digest of the data
they were computed from. Private to a session (held in its session state, freed when it ends): uploads and what
derives from them.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import boundaries as boundaries_
from .. import filters, importers, linking
from ..columnar import load_events_cached
from ..core import core_frame, for_figure
from ..load import (
    DATA_DIR,
    DataFileError,
    default_events_path,
    file_problem,
    load_groups,
    load_milestones,
    load_places,
    read_text_table,
    typed,
)
from ..schema import CORRECTIONS, RELEASES
from ..urlstate import to_query
from .state import Keys

CURATED = "curated"
# Uploads live in the session's memory (freed when the session ends): a few per session, and none once the server is
# near its memory budget, keep a shared server's memory bounded.
MAX_UPLOADS = 3
MEMORY_ENV = "MONITOR_MEMORY_BUDGET_MB"
DEFAULT_BUDGET_MB = 6144
BUDGET_SHARE = 0.8
CATEGORY_COLUMNS = ("group", "country", "admin1", "admin2", "attack_type", "target_type", "attribution",
                    "geo_precision", "date_precision", "origin_country", "origin_precision")


@dataclass(frozen=True)
class Dataset:
    """The events a session sees (curated plus its uploads), their core columns and filter choices, and the digest
    of their content, which keys every cache computed from them."""

    events: pd.DataFrame
    core: pd.DataFrame
    vocab: dict
    digest: str
    version: str  # the curated table's data version (first 12 hex digits of its content digest)
    currency: str  # one line on how current the curated table is, shown on every page


def currency(events: pd.DataFrame, version: str) -> str:
    """One line on how current the curated data is (built once per data version, not per rerun)."""
    if events.empty:
        return f"Data version {version}."
    compiled = pd.to_datetime(events["last_checked"]).max()
    return (f"Curated events from {events['date'].min():%d %b %Y} to {events['date'].max():%d %b %Y}; "
            f"data version {version}; compiled {compiled:%d %b %Y}.")


@dataclass(frozen=True)
class Upload:
    """A dataset this session added: typed events and the digest of the file they came from."""

    events: pd.DataFrame
    digest: str


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


# cache_resource, not cache_data: every session shares one read-only copy instead of unpickling its own per rerun.
@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def _curated_file(path: str, mtime_ns: int, size: int) -> tuple[pd.DataFrame, str]:
    """The events file, validated and typed, with its content digest; cached per file stamp, shared read-only."""
    events, digest, _ = load_events_cached(path, load_groups())
    events.insert(0, "dataset", pd.Categorical([CURATED] * len(events)))
    return events, digest


@st.cache_resource(max_entries=2)
def _curated_dataset(digest: str, _events: pd.DataFrame) -> Dataset:
    """The curated table as a Dataset, built once per content and shared read-only."""
    return Dataset(_events, core_frame(_events), filters.vocabulary(_events), digest, digest[:12],
                   currency(_events, digest[:12]))


@st.cache_data(max_entries=2)
def reference() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The groups and milestones tables."""
    return load_groups(), load_milestones()


@st.cache_data(max_entries=1)
def boundaries() -> dict[str, dict]:
    """The shipped base-map boundaries, read once."""
    return {name: boundaries_.read(name) for name in boundaries_.FILES}


@st.cache_data(max_entries=2)
def corrections(digest: str) -> pd.DataFrame:
    """The corrections log of the curated table (keyed by the table's digest, so a new release reloads it)."""
    path = DATA_DIR / "corrections.csv"
    return read_text_table(path) if path.exists() else pd.DataFrame(columns=CORRECTIONS.names)


@st.cache_data(max_entries=2)
def releases(digest: str) -> pd.DataFrame:
    """The curated table's release notes."""
    path = DATA_DIR / "releases.csv"
    return read_text_table(path) if path.exists() else pd.DataFrame(columns=RELEASES.names)


@st.cache_data(max_entries=1)
def places() -> pd.DataFrame:
    """The gazetteer of place labels (data/places.csv)."""
    return load_places()


def uploads() -> dict[str, Upload]:
    """The datasets this session has added; they never leave the session."""
    return st.session_state.setdefault(Keys.UPLOADS, {})


def _session_memo(name: str, digest: str, build: Callable):
    """A value derived from this session's datasets, rebuilt when their digest changes; freed with the session."""
    memo = st.session_state.setdefault(Keys.DERIVED, {})
    cached = memo.get(name)
    if cached is None or cached[0] != digest:
        cached = (digest, build())
        memo[name] = cached
    return cached[1]


def _combine(curated: pd.DataFrame, added: dict[str, Upload]) -> pd.DataFrame:
    combined = pd.concat([curated, *(u.events for u in added.values())], ignore_index=True)
    combined["dataset"] = pd.Categorical(combined["dataset"].astype(str), categories=[CURATED, *added])
    for col in CATEGORY_COLUMNS:
        combined[col] = combined[col].astype("category")
    combined["group"] = combined["group"].cat.set_categories(list(curated["group"].cat.categories))
    return combined


def dataset() -> Dataset:
    """This session's events: the curated table, plus its uploads; DataFileError when the events file is unusable."""
    path = default_events_path()
    if not path.is_file():
        raise DataFileError(path, file_problem("file does not exist"))
    events, digest = _curated_file(*_file_key(path))
    curated = _curated_dataset(digest, events)
    added = uploads()
    if not added:
        return curated
    combined_digest = hashlib.sha256("|".join([digest, *(f"{n}={u.digest}" for n, u in added.items())])
                                     .encode()).hexdigest()

    def build() -> Dataset:
        combined = _combine(events, added)
        return Dataset(combined, core_frame(combined), filters.vocabulary(combined), combined_digest,
                       curated.version, curated.currency)

    return _session_memo("dataset", combined_digest, build)


@st.cache_resource(max_entries=4)
def _curated_core(digest: str, figure: str, _core: pd.DataFrame) -> pd.DataFrame:
    return for_figure(_core, figure)


def core(ds: Dataset, figure: str) -> pd.DataFrame:
    """The dataset's core as the figure choice counts it (civilians only swaps the killed columns), built once."""
    if figure != "civilians":
        return ds.core
    if not uploads():
        return _curated_core(ds.digest, figure, ds.core)
    return _session_memo("core-" + figure, ds.digest, lambda: for_figure(ds.core, figure))


@st.cache_data(max_entries=64, ttl=900, show_spinner=False)
def _model(name: str, digest: str, query: tuple, params: tuple, _build: Callable, _args: tuple):
    return _build(*_args)


def model(build: Callable, ds: Dataset, sel, *params, static: tuple = ()):
    """A page model, cached by (builder, data digest, filters, parameters): sessions viewing the same data and view
    share it; a session with other data, even under the same upload names, has another digest. `static` inputs are
    the server's own reference files (base map, gazetteer, colours): passed to the builder, not hashed per run."""
    query = tuple(sorted(to_query(sel.state).items()))
    return _model(f"{build.__module__}.{build.__qualname__}", ds.digest, query, params, build,
                  (sel, *params, *static))


def per_dataset(build: Callable, ds: Dataset, *params):
    """A model of a whole dataset (not of the view), built once per data digest and shared by the sessions that
    have the same data: the page models' cache, with no filters in its key."""
    return _model(f"{build.__module__}.{build.__qualname__}", ds.digest, (), params, build, (ds.events, *params))


def links(ds: Dataset, groups: pd.DataFrame) -> pd.DataFrame:
    """Links between the session's datasets, computed once per set of datasets."""
    return _session_memo("links", ds.digest, lambda: linking.link(ds.events, groups))


def add_upload(name: str, events_text: pd.DataFrame, digest: str) -> None:
    """Add converted events to this session as a dataset (a name used again is replaced)."""
    frame = typed(events_text)
    frame.insert(0, "dataset", name)
    uploads()[name] = Upload(frame, digest)


def remove_upload(name: str) -> None:
    """Drop a dataset from this session."""
    uploads().pop(name, None)


def memory_mb() -> int:
    """This server process's resident memory, in MB (Linux)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) // 1024 for line in fh if line.startswith("VmRSS"))
    except (OSError, StopIteration, ValueError):
        return 0


def check_budget(name: str) -> None:
    """Refuse new upload work, with a clear message, when the server is near its memory budget."""
    budget = int(os.environ.get(MEMORY_ENV, DEFAULT_BUDGET_MB))
    if memory_mb() > budget * BUDGET_SHARE:
        raise DataFileError(name, file_problem(
            f"the server is near its memory budget ({memory_mb():,} of {budget:,} MB in use by all sessions): "
            "try again later, or remove datasets you no longer need"))


def converted(raw: bytes, name: str, fmt: str | None):
    """An upload read and converted, kept for this session only (one at a time) and keyed by its content."""
    key = (hashlib.sha256(raw).hexdigest(), fmt)
    held = st.session_state.get(Keys.CONVERTED)
    if held is None or held[0] != key:
        check_budget(name)
        st.session_state.pop(Keys.CONVERTED, None)  # free the previous conversion before making the next
        frame = importers.read_table(raw, name)
        detected = importers.detect_format(list(frame.columns))
        result = importers.import_frame(frame, reference()[0], fmt)
        held = (key, (detected, frame.head(20), result))
        st.session_state[Keys.CONVERTED] = held
    return held[1]
