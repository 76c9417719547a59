"""Widgets every page uses: tables, charts with their data, downloads, the legend, an event's record, load errors."""
from __future__ import annotations

import html
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from .. import brief, clock, export, linking, models, trends
from .. import colors as colors_
from ..casualties import range_text
from ..load import DataFileError
from ..problems import problems_frame
from ..text import md_escape, md_link, split_sources
from ..urlstate import to_query, to_url, with_extra
from . import store
from .state import Keys


def load_error(exc: DataFileError, what: str) -> None:
    """A file's problems as a table on the page, instead of a traceback; `what` says which file and how to fix it."""
    st.error(md_escape(f"{what} cannot be used: {len(exc.problems)} problem(s) in {exc.path}.")
             + " Each is listed below with its row, column and value.")
    st.dataframe(problems_frame(exc.problems).astype(str), hide_index=True)


def legend_html(groups: list[str], colors: dict[str, str]) -> str:
    """A colour legend as HTML: names escaped, colours only when they are #RRGGBB."""
    return " &nbsp; ".join(f"<span style='color:{colors_.hex_of(colors, g)}'>&#9679;</span>&nbsp;{html.escape(g)}"
                           for g in groups)


def table(frame: pd.DataFrame, **kwargs):
    """A dataframe with dates shown as dates, without the index."""
    config = {name: st.column_config.DateColumn(name, format="YYYY-MM-DD") for name in frame.columns
              if pd.api.types.is_datetime64_any_dtype(frame[name])}
    config.update(kwargs.pop("column_config", {}))
    return st.dataframe(frame, hide_index=True, column_config=config, **kwargs)


def download(frame: pd.DataFrame | None, kind: str, state, label: str = "Download CSV", key: str | None = None,
             data=None) -> None:
    """A download button for a table (or a function making the CSV bytes), named after the view; built on click."""
    make = data if data is not None else (lambda: export.to_csv_bytes(frame))
    st.download_button(label, make, file_name=export.file_name(kind, state), mime="text/csv",
                       key=key or Keys.download(kind), on_click="ignore")


def chart(fig, frame: pd.DataFrame, kind: str, state) -> None:
    """A Plotly chart with the numbers behind it: as a table beside it and as a CSV download."""
    st.plotly_chart(fig, theme="streamlit", config={"displaylogo": False})
    with st.expander(f"The numbers behind this chart ({len(frame):,} rows)"):
        table(frame)
    download(frame, kind, state, label=f"Download the data of this chart ({len(frame):,} rows)")


def permalink(event_id: str, base: str = "./events") -> str:
    """The link that reopens an event's record."""
    return to_url({"event": event_id}, base)


def _line(label: str, value: object) -> str:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return f"**{label}:** {md_escape(text) if text else '—'}"


def show_record(ctx, record: pd.Series) -> None:
    """An event's record, readable: what, when, where, who and how known, casualties, sources, links, how to cite."""
    st.subheader(f"Event {md_escape(record['event_id'])}")
    st.markdown(md_escape(record["description"]))
    date = record["date"]
    st.markdown("  \n".join([
        _line("When", (f"{date:%d %B %Y}" if pd.notna(date) else "") + f" (precision: {record['date_precision']})"),
        _line("Where", f"{record['location']}, {record['admin1']}, {record['country']} "
                       f"(point precision: {record['geo_precision']}; {record['geo_source']})"),
        _line("Who", f"{record['group']} (reported as: {record['perpetrator_reported'] or '—'})"),
        _line("How it is known", f"{record['attribution']}: {record['claim_detail'] or 'no detail recorded'}"),
        _line("Attack", f"{record['attack_type']} on {record['target_type']} target"
                        + ("; suicide attacker" if record.get("suicide") is True else "")),
        _line("Killed", range_text(record["killed_low"], record["killed_high"])),
        _line("Wounded", range_text(record["wounded_low"], record["wounded_high"])),
    ]))
    if str(record.get("notes") or "").strip():
        st.markdown("**Who said what**")
        st.markdown(md_escape(record["notes"]))
    st.markdown("**Sources**\n\n" + "\n".join(f"- {md_link(u)}" for u in split_sources(record["sources"])))
    changes = store.corrections(ctx.dataset.digest)
    changes = changes[changes["event_id"] == str(record["event_id"])]
    if len(changes):
        st.markdown("**Corrections**")
        st.markdown("\n".join(f"- {correction_text(c)}" for c in changes.to_dict("records")))
    link = permalink(str(record["event_id"]))
    st.markdown(f"**Permalink:** [{md_escape(link)}]({link})")
    st.markdown("**Cite this event**")
    st.code(export.citation(permalink(str(record["event_id"]), "events"), ctx.data_version), language=None,
            wrap_lines=True)
    with st.expander("Every field"):
        fields = record.astype(str).replace({"<NA>": "", "NaT": "", "nan": "", "None": ""})
        st.dataframe(fields.rename("value").to_frame(), width="stretch")
    if len(ctx.events["dataset"].cat.categories) > 1:
        side = linking.linked_records(str(record["event_id"]), store.links(ctx.dataset, ctx.groups), ctx.events)
        if side.empty:
            st.caption("No record of another dataset is linked to this event.")
        else:
            st.markdown("**The same incident in other datasets** (linked, not merged)")
            st.dataframe(side, width="stretch")


LONG_FIELDS = ("notes", "sources", "description", "claim_detail", "geo_source", "location")


def correction_text(change: dict) -> str:
    """One logged change as a line of the record: when, what, from and to, why, and its source as a link."""
    field = change["field"]
    if field in LONG_FIELDS:
        what = f"{field} updated"
    else:
        what = f"{field} {change['old_value'] or '(blank)'} → {change['new_value'] or '(blank)'}"
    links = ", ".join(md_link(u, "source") for u in split_sources(change["source"]))
    return f"corrected on {md_escape(change['date'])}: {md_escape(what)} ({md_escape(change['reason'])}; {links})"


def brief_download(ctx) -> None:
    """The brief of this view for its latest month, quarter or year, as one self-contained HTML file."""
    box = st.sidebar.container()
    box.markdown("**Brief of this view**")
    unit = box.radio("Brief for the latest", ["month", "quarter", "year"], horizontal=True, key=Keys.BRIEF_UNIT)
    label = models.latest_period(ctx.selection, unit)
    period = trends.parse_period(label)[0]

    def make() -> bytes:
        rows = ctx.full(ctx.selection.undated())
        made = brief.build(rows, ctx.state, period, covered_from=ctx.events["date"].min())
        parts = urlsplit(st.context.url or "http://localhost:8501/")
        base = f"{parts.scheme}://{parts.netloc}"
        return brief.to_html(made, store.boundaries(), ctx.colors, ctx.data_version, clock.today(), base).encode()

    box.download_button(f"Download the brief for {label} (HTML)", make, file_name=f"militancy-monitor_brief_{label}.html",
                        mime="text/html", key=Keys.download("brief"), on_click="ignore")


def filter_link(state, path: str) -> str:
    """A link to another page with the view's filters only (this page's own settings stay behind)."""
    return to_url(to_query(state), path)


def view_link(state, path: str, **overrides: str | None) -> str:
    """A link to a page with the current view, some parameters replaced: every value encoded."""
    return to_url(with_extra(state, **overrides), path)
