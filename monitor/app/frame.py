"""The page frame: configuration, data, navigation, filters and header for every page, and an error boundary."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from .. import clock, ratelimit
from .. import colors as colors_
from ..load import DataFileError
from ..models import Selection
from ..text import md_escape
from ..urlstate import describe
from . import sidebar, store, widgets
from . import state as sync
from .state import Keys

LOG = logging.getLogger("monitor")
# Page scripts, their labels and order: the one list the navigation is drawn from.
PAGES = (
    ("app.py", "Overview"),
    ("pages/1_timeline.py", "Timeline"),
    ("pages/2_map.py", "Map"),
    ("pages/3_groups.py", "Groups"),
    ("pages/7_trends.py", "Trends"),
    ("pages/4_events.py", "Events"),
    ("pages/5_about.py", "About"),
    ("pages/6_data.py", "Data"),
)
THROTTLED = ("This tab asked for more page updates than anyone can read (over {burst} at once, or {rate:g} a second), "
             "so this one was skipped. Pick a page or reload to go on.")
SELECTION_NOTE = ("The curated table is a selection of significant events by a stated inclusion rule (see About), "
                  "not a count of every incident.")


@dataclass
class Context:
    """What a page needs: the session's dataset, the rows the view keeps, the reference tables and colours."""

    dataset: store.Dataset
    selection: Selection
    groups: pd.DataFrame
    colors: dict[str, str]
    milestones: pd.DataFrame

    @property
    def state(self):
        """The view's filters and page parameters."""
        return self.selection.state

    @property
    def events(self) -> pd.DataFrame:
        """Every event of the session's datasets, all columns."""
        return self.dataset.events

    @property
    def rows(self) -> pd.DataFrame:
        """The rows the view keeps (core columns)."""
        return self.selection.rows

    @property
    def data_version(self) -> str:
        """The curated table's data version."""
        return self.dataset.version

    def full(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Every column of some kept rows."""
        return self.selection.full(rows)

    def model(self, build: Callable, *params, static: tuple = ()):
        """A page model from monitor.models, cached by data digest, filters and parameters (not `static`)."""
        return store.model(build, self.dataset, self.selection, *params, static=static)

    def setting(self, name: str, options: dict[str, str], default: str) -> tuple[str, dict]:
        """A page choice kept in the URL: its value, and the arguments for the widget that shows it."""
        return sync.setting(name, options, default)

    def flag(self, name: str, default: bool) -> tuple[bool, dict]:
        """A page switch kept in the URL: its value, and the arguments for the toggle that shows it."""
        return sync.flag(name, default)


# Notices that say a link's value was adjusted rather than dropped.
CHANGED = ("shown as", "cut to", "were removed", "was used")


def notice_text(notice: str) -> str:
    """A link notice as shown: escaped, and saying whether the value was ignored or changed."""
    verb = "changed" if any(marker in notice for marker in CHANGED) else "ignored"
    return f"Link value {verb}: {md_escape(notice)}"


def _header(title: str, ctx: Context, notices: list[str]) -> None:
    st.title(title)
    for notice in notices:
        st.warning(notice_text(notice))
    st.caption(f"**{int(ctx.selection.keep.sum()):,}** of {len(ctx.events):,} events match this view "
               f"({md_escape(describe(ctx.state))}).")
    st.caption(md_escape(f"{SELECTION_NOTE} {ctx.dataset.currency}"))


def _load(title: str) -> Context | None:
    try:
        ds = store.dataset()
        groups, milestones = store.reference()
    except DataFileError as exc:
        sidebar.nav(PAGES, sync.current())
        st.title(title)
        widgets.load_error(exc, "the events file (data/events.csv, or the file MONITOR_EVENTS names)")
        return None
    state, notices = sync.resolve(ds.vocab)
    sidebar.nav(PAGES, state)
    sidebar.filters(state, ds.vocab, title)
    ctx = Context(ds, Selection.of(ds.events, store.core(ds, state.figure), state), groups,
                  colors_.group_colors(groups), milestones)
    _header(title, ctx, notices)
    widgets.brief_download(ctx)
    return ctx


def _over_budget() -> bool:
    """Whether this tab is running pages faster than its budget; if so it first waits its turn, without the GIL, and
    the reruns it asks for meanwhile merge into one (runner.fastReruns is off in .streamlit/config.toml)."""
    budget, wait = ratelimit.take(st.session_state.get(Keys.RUN_BUDGET), clock.monotonic())
    st.session_state[Keys.RUN_BUDGET] = budget
    if wait:
        time.sleep(wait)
    return wait > 0


def run(title: str, body: Callable[[Context], None] | None = None, *, needs_data: bool = True) -> None:
    """Draw a page: frame, then `body(ctx)`; any error is logged on the server and shown without a traceback."""
    st.set_page_config(page_title=f"{title} · Militancy Monitor", page_icon="📊", layout="wide")
    if _over_budget():  # a cheap early exit: a flood of reruns must not cost every other user a full page each
        sidebar.nav(PAGES, sync.current())
        st.warning(THROTTLED.format(burst=ratelimit.BURST, rate=ratelimit.PER_SECOND))
        return
    try:
        ctx = _load(title)
        if body is not None and (ctx is not None or not needs_data):
            body(ctx)
        for notice in st.session_state.get(Keys.SETTING_NOTICES, []):
            st.warning(notice_text(notice))
    except Exception:  # the error boundary: Streamlit's own stop/rerun signals are not Exceptions and pass through
        LOG.exception("page %s failed", title)
        st.error("This page could not be drawn because of an internal error. It has been logged on the server; "
                 "try another view or reset the filters.")
