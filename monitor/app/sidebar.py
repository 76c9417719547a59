"""The sidebar: the page links and one widget per row of the filter table, drawn from the rows themselves."""
from __future__ import annotations

import streamlit as st

from ..filters import FILTERS, MAX_MIN_KILLED, MAX_QUERY_LENGTH, FilterState
from ..urlstate import to_query
from . import state as sync
from .state import Keys


def nav(pages: tuple[tuple[str, str], ...], state: FilterState) -> None:
    """Links to every page that carry the current filters."""
    query = to_query(state)
    for script, label in pages:
        st.sidebar.page_link(script, label=label, query_params=query)
    st.sidebar.divider()


def _options(flt, vocab: dict, state: FilterState) -> tuple[str, ...]:
    options = vocab.get(flt.param, ())
    if flt.param == "province":
        chosen = st.session_state.get(Keys.widget("country")) or []
        if chosen:
            by_country = vocab.get("_provinces_by_country", {})
            allowed = set().union(*(by_country.get(c, set()) for c in chosen))
            options = tuple(p for p in options if p in allowed or p in state.province)
    return options


def _widget(flt, vocab: dict, state: FilterState, args: dict) -> None:
    sb, key = st.sidebar, Keys.widget(flt.param)
    if flt.kind == "multi":
        if flt.param == "dataset" and len(vocab.get("dataset", ())) < 2:
            return  # one dataset: nothing to choose
        sb.multiselect(flt.label, _options(flt, vocab, state), key=key, placeholder=flt.placeholder or "All",
                       help=flt.doc, **args)
    elif flt.kind == "years":
        span = vocab.get("_years")
        if span and span[0] < span[1]:
            sb.slider(flt.label, span[0], span[1], key=key, help=flt.doc, **args)
    elif flt.kind == "date":
        span = vocab.get("_dates")
        if span:
            sb.date_input(flt.label, min_value=span[0], max_value=span[1], key=key, help=flt.doc,
                          format="YYYY-MM-DD", **args)
    elif flt.kind == "min":
        sb.number_input(flt.label, min_value=0, max_value=MAX_MIN_KILLED, step=1, key=key, help=flt.doc, **args)
    elif flt.kind == "text":
        sb.text_input(flt.label, key=key, placeholder=flt.placeholder, max_chars=MAX_QUERY_LENGTH, help=flt.doc, **args)
    elif flt.kind == "choice":
        labels = dict(flt.option_labels)
        sb.radio(flt.label, flt.options, format_func=lambda v: labels.get(v, v), key=key, help=flt.doc, **args)


def filters(state: FilterState, vocab: dict, page: str) -> None:
    """The filter widgets, seeded from the state on a page switch, each writing back to the URL on change."""
    if sync.needs_seed(state, page):
        sync.seed_widgets(state, vocab, page)
    st.sidebar.header("Filters")
    args = dict(on_change=sync.on_widget_change, args=(vocab, page))
    for flt in FILTERS:
        _widget(flt, vocab, state, args)
    st.sidebar.button("Reset all filters", on_click=sync.on_reset, width="stretch")
