"""URL, FilterState and widgets kept in step: the one registry of session keys, and the callbacks that sync them."""
from __future__ import annotations

import streamlit as st

from ..filters import FILTERS, MAX_QUERY_LENGTH, FilterState
from ..urlstate import BY_PARAM, parse_query, shown, with_extra


class Keys:
    """Every st.session_state key the app reads or writes, and the keys of the widgets it syncs with the URL. Other
    widgets (downloads, a page's own pickers) only name themselves with their key; the app never reads those."""

    STATE = "mm_state"  # the session's FilterState
    SEEDED = "mm_seeded"  # (page, state) the filter widgets were last seeded from
    UPLOADS = "mm_uploads"  # this session's added datasets: name -> Upload
    DERIVED = "mm_derived"  # values derived from this session's datasets, keyed by their digest
    CONVERTED = "mm_converted"  # the last converted upload of this session, keyed by its digest
    SETTING_NOTICES = "mm_setting_notices"  # notices about page settings read from the URL on this run
    RUN_BUDGET = "mm_run_budget"  # how many more runs this tab may start at once (monitor.ratelimit)
    # Widgets the app never syncs with the URL: named here too, so that no two widgets can share a key.
    MAP_PICK = "pick_on_map"  # the Map page's keyboard picker of an event
    MAP_ONLINE = "online_basemap"  # the Map page's online-basemap switch (never in a link)
    EVENTS_TABLE = "events_table"  # the Events page's table, whose selected row opens a record
    GROUPS_COMPARE = "grp_compare"  # the groups the Groups page compares
    UPLOAD = "data_upload"  # the Data page's file uploader
    UPLOAD_FORMAT = "data_format"  # the format the Data page reads an upload as
    BRIEF_UNIT = "brief_unit"  # the period of the sidebar's brief

    @staticmethod
    def widget(param: str) -> str:
        """A filter widget's key."""
        return "w_" + param

    @staticmethod
    def setting(name: str) -> str:
        """A page setting widget's key (its value lives in the URL as ?name=...)."""
        return "s_" + name

    @staticmethod
    def download(name: str) -> str:
        """A download button's key."""
        return "dl_" + name

    @staticmethod
    def map_chart(view: str) -> str:
        """The map's key in a view preset: one chart per preset, so that each opens at its own camera."""
        return "map_" + view

    @staticmethod
    def remove(dataset: str) -> str:
        """The key of the button that removes an added dataset."""
        return "rm_" + dataset

    @staticmethod
    def period_range(name: str) -> str:
        """The key of one of the Trends page's two date ranges (`a`, `b`)."""
        return "range_" + name


def url_params() -> dict[str, list[str]]:
    """The URL's query parameters, every value of a repeated key kept (the parser says which one counts)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _flat(params: dict[str, list[str]]) -> dict[str, str | list[str]]:
    return {k: v[0] if len(v) == 1 else v for k, v in params.items()}


def current() -> FilterState:
    """The session's view."""
    return st.session_state.get(Keys.STATE, FilterState())


def _write(state: FilterState) -> None:
    st.session_state[Keys.STATE] = state
    st.query_params.from_dict(with_extra(state))


def resolve(vocab: dict) -> tuple[FilterState, list[str]]:
    """The view: from the URL when it names a filter, else the session's, else the default; the URL is normalised."""
    params = url_params()
    state, notices = parse_query(params, vocab)
    if not set(BY_PARAM) & set(params):
        state = current().with_(extra=state.extra)
    st.session_state[Keys.STATE] = state
    if _flat(params) != with_extra(state):
        st.query_params.from_dict(with_extra(state))
    st.session_state[Keys.SETTING_NOTICES] = []
    return state, notices


def _widget_value(flt, state: FilterState, vocab: dict):
    value = getattr(state, flt.name)
    if flt.kind == "multi":
        return list(value)
    if flt.kind == "years":
        span = vocab.get("_years")
        return tuple(value or span) if span else None
    return value


def seed_widgets(state: FilterState, vocab: dict, page: str) -> None:
    """Put the state into the widgets' keys (widget state does not survive a page switch)."""
    for flt in FILTERS:
        st.session_state[Keys.widget(flt.param)] = _widget_value(flt, state, vocab)
    st.session_state[Keys.SEEDED] = (page, state)


def needs_seed(state: FilterState, page: str) -> bool:
    """True on a page switch, or when the state changed from outside the widgets (the URL, a reset)."""
    return st.session_state.get(Keys.SEEDED) != (page, state)


def _from_widget(flt, raw, vocab: dict):
    if flt.kind == "multi":
        return tuple(raw or ())
    if flt.kind == "years":
        span = vocab.get("_years")
        return None if raw is None or (span and tuple(raw) == tuple(span)) else (int(raw[0]), int(raw[1]))
    if flt.kind == "date":
        return raw or None
    if flt.kind == "min":
        return int(raw or 0)
    if flt.kind == "text":
        return " ".join(str(raw or "").split())[:MAX_QUERY_LENGTH]
    return raw or flt.default


def on_widget_change(vocab: dict, page: str) -> None:
    """A filter widget changed: the state and the URL follow."""
    ss = st.session_state
    changes = {f.name: _from_widget(f, ss[Keys.widget(f.param)], vocab) for f in FILTERS if Keys.widget(f.param) in ss}
    state = current().with_(**changes)
    _write(state)
    ss[Keys.SEEDED] = (page, state)


def on_reset() -> None:
    """Every filter back to its default; page settings stay."""
    _write(FilterState(extra=current().extra))
    st.session_state.pop(Keys.SEEDED, None)


def _set_setting(name: str, value: str | None) -> None:
    extra = {k: v for k, v in current().extra if k != name}
    if value is not None:
        extra[name] = value
    _write(current().with_(extra=tuple(extra.items())))


def _bound(name: str, value, default, to_url) -> tuple[str, dict]:
    key = Keys.setting(name)
    st.session_state[key] = value

    def changed() -> None:
        chosen = to_url(st.session_state[key])
        _set_setting(name, None if chosen == to_url(default) else chosen)

    return key, {"key": key, "on_change": changed}


def _read(name: str, valid: tuple[str, ...], default: str) -> str:
    raw = dict(current().extra).get(name)
    if raw is None:
        return default
    canonical = {v.lower(): v for v in valid}.get(raw.strip().lower())
    if canonical is None:
        st.session_state.setdefault(Keys.SETTING_NOTICES, []).append(
            f"{name}: unknown value “{shown(raw)}” was dropped (use {', '.join(valid)})")
        _set_setting(name, None)
        return default
    return canonical


def setting(name: str, options: dict[str, str], default: str) -> tuple[str, dict]:
    """A page choice kept in the URL as ?name=value: its valid value (a notice when the link's was not one of
    `options`), and the widget arguments that seed it and write a change back to the URL."""
    value = _read(name, tuple(options), default)
    _, args = _bound(name, value, default, str)
    return value, {**args, "format_func": lambda v: options.get(v, v)}


def flag(name: str, default: bool) -> tuple[bool, dict]:
    """A page on/off switch kept in the URL as ?name=on|off, like setting()."""
    word = {True: "on", False: "off"}
    value = _read(name, ("on", "off"), word[default]) == "on"
    _, args = _bound(name, value, default, lambda v: word[bool(v)])
    return value, args


def set_page_param(name: str, value: str | None) -> None:
    """Set (or clear, with None) a page parameter such as the selected `event`."""
    _set_setting(name, value)
