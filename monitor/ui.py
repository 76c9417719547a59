"""Streamlit glue shared by every page: cached loading, the sidebar filters kept in the URL, downloads.

This is the framework boundary: the pure builders live in the other modules; caching happens here.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from . import aggregations as agg
from . import export, figures, filters
from .filters import FILTERS, FilterState
from .load import (
    DataFileError,
    default_events_path,
    file_problem,
    load_events_cached,
    load_groups,
    load_milestones,
)
from .schema import ATTRIBUTION
from .text import md_escape
from .validate import problems_frame

STATE_KEY = "mm_state"
SEED_KEY = "mm_seeded"
WIDGET_PREFIX = "w_"
CURATED = "curated"
PAGES = (
    ("app.py", "Overview", None),
    ("pages/1_timeline.py", "Timeline", None),
    ("pages/2_map.py", "Map", None),
    ("pages/3_groups.py", "Groups", None),
    ("pages/4_events.py", "Events", None),
    ("pages/5_about.py", "About", None),
    ("pages/6_data.py", "Data", None),
)
UPLOADS_KEY = "mm_uploads"
# Uploads live in the session's memory: a few per session keeps a shared server's memory bounded.
MAX_UPLOADS = 3
COMBINED_KEY = "mm_combined"
CORE_KEY = "mm_core"
VOCAB_KEY = "mm_vocab"
LINKS_KEY = "mm_links"
FIGURE_LABELS = {"range": "Range (low–high)", "low": "Conservative (low)", "high": "High"}


@dataclass
class Context:
    """What a page needs: all events, the filtered view (core columns), the state, the reference tables."""

    events: pd.DataFrame
    keep: np.ndarray
    state: FilterState
    groups: pd.DataFrame
    colors: dict[str, str]
    milestones: pd.DataFrame
    data_version: str
    notices: list[str] = field(default_factory=list)

    core: pd.DataFrame | None = None
    _view: pd.DataFrame | None = None

    @property
    def view(self) -> pd.DataFrame:
        """The filtered events (core columns), selected on first use: a page served from the cache never pays for it."""
        if self._view is None:
            self._view = filters.select(self.core, self.keep)
        return self._view

    def model(self, name: str, *params):
        """A page model from monitor.views, cached per data, datasets, filters and parameters across sessions."""
        datasets = tuple(uploads())
        owner = id(st.session_state) if datasets else None  # uploads are private to their session
        return _cached_model(name, (self.data_version, datasets, owner), tuple(sorted(filters.to_query(self.state)
                                                                                      .items())), params, self)

    def without_year(self) -> np.ndarray:
        """A mask over the core: the view with every filter but the years (for comparisons with earlier periods)."""
        return filters.mask(self.core, self.state.with_(year=None), text=self.events)

    def full(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Every column of some rows of the view (the view itself holds only the core columns)."""
        return self.events.loc[rows.index]


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


# cache_resource, not cache_data: every session shares one read-only copy instead of unpickling its own per rerun.
@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def _cached_events(path: str, mtime_ns: int, size: int) -> tuple[pd.DataFrame, str]:
    """The events file, validated and typed, with its data version; cached per file stamp, shared read-only."""
    events, digest, _ = load_events_cached(path, load_groups())
    events.insert(0, "dataset", pd.Categorical([CURATED] * len(events)))
    return events, digest[:12]


@st.cache_data(max_entries=1)
def cached_boundaries() -> dict[str, dict]:
    """The shipped base-map boundaries, read once."""
    from .boundaries import FILES, read

    return {name: read(name) for name in FILES}


@st.cache_data(max_entries=1)
def cached_places() -> pd.DataFrame:
    """The gazetteer of place labels (data/places.csv)."""
    from .load import DATA_DIR

    return pd.read_csv(DATA_DIR / "places.csv")


@st.cache_data(max_entries=2)
def _cached_reference() -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_groups(), load_milestones()


def _seed_widgets(state: FilterState, vocab: dict, page_name: str) -> None:
    """Put the state into the widgets' session keys (widget state does not survive a page switch)."""
    for flt in FILTERS:
        key = WIDGET_PREFIX + flt.param
        if flt.kind == "multi":
            st.session_state[key] = list(getattr(state, flt.param))
        elif flt.kind == "years":
            st.session_state[key] = None
        elif flt.kind == "min":
            st.session_state[key] = state.min_killed
        elif flt.kind == "text":
            st.session_state[key] = state.q
        elif flt.kind == "choice":
            st.session_state[key] = state.figure
    years = vocab.get("_years")
    if years:
        lo, hi = state.year or years
        st.session_state[WIDGET_PREFIX + "year"] = (max(lo, years[0]), min(hi, years[1]))
    st.session_state[SEED_KEY] = (page_name, state)


def _set_state(state: FilterState, page_name: str | None = None) -> None:
    st.session_state[STATE_KEY] = state
    if page_name is not None:
        st.session_state[SEED_KEY] = (page_name, state)
    st.query_params.from_dict(to_query_with_extra(state))


def to_query_with_extra(state: FilterState) -> dict[str, str]:
    """The query of a state plus page-specific parameters (e.g. the map's view) that the filters do not own."""
    query = filters.to_query(state)
    for key, value in state.extra:
        query.setdefault(key, value)
    return query


def _from_widgets(vocab: dict) -> FilterState:
    ss = st.session_state
    changes = {}
    for flt in FILTERS:
        key = WIDGET_PREFIX + flt.param
        if key not in ss:
            continue
        if flt.kind == "multi":
            changes[flt.param] = tuple(ss[key])
        elif flt.kind == "years":
            years = vocab.get("_years")
            lo, hi = ss[key]
            changes["year"] = None if years and (lo, hi) == tuple(years) else (int(lo), int(hi))
        elif flt.kind == "min":
            changes["min_killed"] = int(ss[key] or 0)
        elif flt.kind == "text":
            changes["q"] = " ".join(str(ss[key] or "").split())[: filters.MAX_QUERY_LENGTH]
        elif flt.kind == "choice":
            changes["figure"] = ss[key] or filters.DEFAULT_FIGURE
    current = ss.get(STATE_KEY, FilterState())
    return current.with_(**changes)


def _on_change(vocab: dict, page_name: str) -> None:
    _set_state(_from_widgets(vocab), page_name)


def _on_reset() -> None:
    extra = st.session_state.get(STATE_KEY, FilterState()).extra
    _set_state(FilterState(extra=extra))
    st.session_state.pop(SEED_KEY, None)


def resolve_state(vocab: dict) -> tuple[FilterState, list[str]]:
    """The view: from the URL when it names filters, else the session's, else the default."""
    params = st.query_params.to_dict()
    names = {f.param for f in FILTERS}
    if names & set(params):
        state, notices = filters.parse_query(params, vocab)
    else:
        kept = st.session_state.get(STATE_KEY, FilterState())
        state, notices = kept.with_(extra=tuple((k, str(v)) for k, v in params.items())), []
    st.session_state[STATE_KEY] = state
    if notices or filters.to_query(state) != {k: v for k, v in params.items() if k in names}:
        st.query_params.from_dict(to_query_with_extra(state))
    return state, notices


def _sidebar(state: FilterState, events: pd.DataFrame, vocab: dict, page_name: str) -> None:
    # Widgets belong to one page: on a page switch (or a state change from the URL) they are seeded afresh.
    if st.session_state.get(SEED_KEY) != (page_name, state):
        _seed_widgets(state, vocab, page_name)
    sb = st.sidebar
    sb.header("Filters")
    args = dict(on_change=_on_change, args=(vocab, page_name))
    if len(vocab.get("dataset", ())) > 1:
        sb.multiselect("Dataset", vocab["dataset"], key=WIDGET_PREFIX + "dataset", placeholder="All datasets", **args)
    sb.multiselect("Group", vocab.get("group", ()), key=WIDGET_PREFIX + "group", placeholder="All groups", **args)
    years = vocab.get("_years")
    if years and years[0] < years[1]:
        sb.slider("Years", years[0], years[1], key=WIDGET_PREFIX + "year", **args)
    sb.multiselect("Country", vocab.get("country", ()), key=WIDGET_PREFIX + "country", placeholder="All countries",
                   **args)
    chosen = st.session_state.get(WIDGET_PREFIX + "country") or []
    provinces = vocab.get("province", ())
    if chosen:
        by_country = vocab.get("_provinces_by_country", {})
        allowed = set().union(*(by_country.get(c, set()) for c in chosen))
        provinces = tuple(p for p in provinces if p in allowed or p in state.province)
    sb.multiselect("Province", provinces, key=WIDGET_PREFIX + "province", placeholder="All provinces", **args)
    sb.multiselect("Attack type", vocab.get("attack", ()), key=WIDGET_PREFIX + "attack", placeholder="All", **args)
    sb.multiselect("Target type", vocab.get("target", ()), key=WIDGET_PREFIX + "target", placeholder="All", **args)
    sb.multiselect("Attribution", vocab.get("attribution", ()), key=WIDGET_PREFIX + "attribution", placeholder="All",
                   **args)
    sb.number_input("Minimum killed", min_value=0, max_value=filters.MAX_MIN_KILLED, step=1,
                    key=WIDGET_PREFIX + "min_killed", **args)
    sb.text_input("Search", key=WIDGET_PREFIX + "q", placeholder="description, place, perpetrator",
                  max_chars=filters.MAX_QUERY_LENGTH, **args)
    sb.radio("Casualty figure", filters.FIGURES, format_func=FIGURE_LABELS.get, key=WIDGET_PREFIX + "figure",
             horizontal=False, **args)
    sb.button("Reset all filters", on_click=_on_reset, width="stretch")


def _nav(state: FilterState) -> None:
    query = filters.to_query(state)
    for script, label, icon in PAGES:
        st.sidebar.page_link(script, label=label, icon=icon, query_params=query)
    st.sidebar.divider()


def _vocab(events: pd.DataFrame, version: str) -> dict:
    """The filters' choices: depends on the data only, so it is computed once per data version and dataset set."""
    if not uploads():
        return _cached_vocab(version, events)
    return _session_memo(VOCAB_KEY, version, lambda: _build_vocab(events))


@st.cache_resource(max_entries=2)
def _cached_vocab(version: str, _events: pd.DataFrame) -> dict:
    """The curated table's filter choices, shared by every session (read-only)."""
    return _build_vocab(_events)


def _build_vocab(events: pd.DataFrame) -> dict:
    vocab: dict = dict(filters.vocabulary(events))
    vocab["attribution"] = tuple(a for a in ATTRIBUTION if a in set(events["attribution"].dropna().astype(str)))
    years = events["date"].dropna()
    vocab["_years"] = (int(years.min().year), int(years.max().year)) if len(years) else None
    pairs = events.groupby(["country", "admin1"], observed=True).size()
    provinces: dict[str, set[str]] = {}
    for country, province in pairs.index:
        provinces.setdefault(str(country), set()).add(str(province))
    vocab["_provinces_by_country"] = provinces
    return vocab


@st.cache_resource(max_entries=2)
def _cached_core(version: str, _events: pd.DataFrame) -> pd.DataFrame:
    """The curated table's core columns, built once per data version and shared read-only."""
    return agg.core_frame(_events)


def core_of(events: pd.DataFrame, version: str) -> pd.DataFrame:
    """The core columns of the events in this session: shared for the curated table, per session with uploads."""
    if not uploads():
        return _cached_core(version, events)
    return _session_memo(CORE_KEY, version, lambda: agg.core_frame(events))


def _session_memo(slot: str, version: str, build):
    """A value derived from this session's datasets, built once per data version and set of uploads."""
    key = (version, tuple(uploads()))
    cached = st.session_state.get(slot)
    if cached is None or cached[0] != key:
        cached = (key, build())
        st.session_state[slot] = cached
    return cached[1]


def _forget_derived() -> None:
    """Drop every value derived from the session's datasets (an upload was added or removed)."""
    for slot in (COMBINED_KEY, CORE_KEY, VOCAB_KEY, LINKS_KEY):
        st.session_state.pop(slot, None)


def uploads() -> dict[str, pd.DataFrame]:
    """The datasets this session has added (name -> typed events); they never leave the session."""
    return st.session_state.setdefault(UPLOADS_KEY, {})


def combined_events(curated: pd.DataFrame, version: str) -> pd.DataFrame:
    """The curated events plus this session's uploads, each marked by its dataset; rebuilt only when they change."""
    if not uploads():
        return curated
    return _session_memo(COMBINED_KEY, version, lambda: _combine(curated, uploads()))


def _combine(curated: pd.DataFrame, added: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [curated, *added.values()]
    names = [CURATED, *added]
    combined = pd.concat(frames, ignore_index=True)
    combined["dataset"] = pd.Categorical(combined["dataset"].astype(str), categories=names)
    for col in ("group", "country", "admin1", "admin2", "attack_type", "target_type", "attribution",
                "geo_precision", "date_precision", "origin_country", "origin_precision"):
        combined[col] = combined[col].astype("category")
    groups_order = list(curated["group"].cat.categories)
    combined["group"] = combined["group"].cat.set_categories(groups_order)
    return combined


def links(ctx: Context) -> pd.DataFrame:
    """Links between datasets for the current set of datasets (computed once per set)."""
    from . import linking

    return _session_memo(LINKS_KEY, ctx.data_version, lambda: linking.link(ctx.events, ctx.groups))


def add_upload(name: str, events_text: pd.DataFrame) -> None:
    """Add converted events to this session as a dataset."""
    from .load import typed

    frame = typed(events_text)
    frame.insert(0, "dataset", name)
    uploads()[name] = frame
    _forget_derived()


def remove_upload(name: str) -> None:
    """Drop a dataset from this session."""
    uploads().pop(name, None)
    _forget_derived()


def show_load_error(exc: DataFileError) -> None:
    """The validator's problems, on the page, instead of a traceback."""
    st.error(f"The events file cannot be used: **{len(exc.problems)} problem(s)** in {md_escape(exc.path)}. "
             "Fix the file (or point `MONITOR_EVENTS` at a valid one) and reload.")
    st.dataframe(problems_frame(exc.problems).astype(str), hide_index=True)


def page(title: str) -> Context | None:
    """Set up a page: config, data, navigation, filters; None (after showing why) when the data cannot be loaded."""
    st.set_page_config(page_title=f"{title} · Militancy Monitor", page_icon="📊", layout="wide")
    try:
        path = default_events_path()
        if not path.is_file():
            raise DataFileError(path, file_problem("file does not exist"))
        events, version = _cached_events(*_file_key(path))
        groups, milestones = _cached_reference()
    except DataFileError as exc:
        _nav(FilterState())
        st.title(title)
        show_load_error(exc)
        return None
    events = combined_events(events, version)
    vocab = _vocab(events, version)
    state, notices = resolve_state(vocab)
    _nav(state)
    _sidebar(state, events, vocab, title)
    core = core_of(events, version)
    keep = filters.mask(core, state, text=events)
    st.title(title)
    for notice in notices:
        st.warning(f"Link value ignored: {md_escape(notice)}")
    st.caption(f"**{int(keep.sum()):,}** of {len(events):,} events match this view "
               f"({md_escape(filters.describe(state))}).")
    return Context(events, keep, state, groups, figures.group_colors(groups), milestones, version, notices, core)


@st.cache_data(max_entries=64, ttl=900, show_spinner=False)
def _cached_model(name: str, data_key: tuple, query: tuple, params: tuple, _ctx: Context):
    """Page models are small, so they are cached (bounded, expiring) and shared by sessions viewing the same data."""
    from . import views

    if name == "overview":
        return views.overview(_ctx.view, _ctx.core, _ctx.without_year(), _ctx.events, _ctx.state, *params)
    if name == "timeline":
        return views.timeline(_ctx.view, _ctx.events, _ctx.state, *params)
    if name == "groups":
        return views.groups(_ctx.view, *params)
    raise ValueError(f"unknown page model {name}")


def show_record(ctx: Context, record: pd.Series) -> None:
    """An event's full record: description, every field, every source, and linked records of other datasets."""
    from . import linking
    from .text import md_link, split_sources

    st.subheader(f"Event {md_escape(record['event_id'])}")
    st.markdown(md_escape(record["description"]))
    fields = record.astype(str).replace({"<NA>": "", "NaT": "", "nan": "", "None": ""})
    st.dataframe(fields.rename("value").to_frame(), width="stretch")
    st.markdown("**Sources**\n\n" + "\n".join(f"- {md_link(u)}" for u in split_sources(record["sources"])))
    if len(ctx.events["dataset"].cat.categories) > 1:
        side = linking.linked_records(str(record["event_id"]), links(ctx), ctx.events)
        if side.empty:
            st.caption("No record of another dataset is linked to this event.")
        else:
            st.markdown("**The same incident in other datasets** (linked, not merged)")
            st.dataframe(side, width="stretch")


def legend_html(groups: list[str], colors: dict[str, str]) -> str:
    """A colour legend as HTML: names escaped, colours only when they are #RRGGBB."""
    parts = []
    for group in groups:
        color = colors.get(group, "#999999")
        color = color if re.fullmatch(r"#[0-9A-Fa-f]{6}", color) else "#999999"
        parts.append(f"<span style='color:{color}'>&#9679;</span>&nbsp;{html.escape(group)}")
    return " &nbsp; ".join(parts)


def table(frame: pd.DataFrame, **kwargs):
    """A dataframe with dates shown as dates, without the index."""
    config = {name: st.column_config.DateColumn(name, format="YYYY-MM-DD") for name in frame.columns
              if pd.api.types.is_datetime64_any_dtype(frame[name])}
    config.update(kwargs.pop("column_config", {}))
    return st.dataframe(frame, hide_index=True, column_config=config, **kwargs)


def download(table: pd.DataFrame | None, kind: str, state: FilterState, label: str = "Download CSV",
             key: str | None = None, data=None) -> None:
    """A download button for a table (or a function making the CSV bytes), named after the view; built on click."""
    make = data if data is not None else (lambda: export.to_csv_bytes(table))
    st.download_button(label, make, file_name=export.file_name(kind, state), mime="text/csv",
                       key=key or f"dl_{kind}", on_click="ignore")


def chart(fig, table: pd.DataFrame, kind: str, state: FilterState) -> None:
    """A Plotly chart with the table behind it as a CSV download."""
    st.plotly_chart(fig, theme="streamlit", config={"displaylogo": False})
    download(table, kind, state, label=f"Download the data of this chart ({len(table):,} rows)", key=f"dl_{kind}")
