"""Events: the filtered rows, sortable and searchable, each row's full record with its sources, CSV download."""
import streamlit as st

from monitor import aggregations as agg
from monitor import export, search
from monitor.app import frame, state, widgets
from monitor.app.state import Keys
from monitor.text import is_http_url, md_escape, split_sources

# The key columns first, so that a phone's narrow table still shows what, where and how deadly.
TABLE_COLUMNS = ["date", "group", "location", "killed_low", "killed_high", "attribution", "admin1", "country",
                 "attack_type", "target_type", "wounded_low", "wounded_high", "claim_detail", "first_source",
                 "description", "event_id"]
MAX_TABLE_ROWS = 2_000


def body(ctx: frame.Context) -> None:
    """The Events page's layout."""
    kept, filters = ctx.rows, ctx.state
    columns = (["dataset"] if len(ctx.events["dataset"].cat.categories) > 1 else []) + TABLE_COLUMNS
    shown = ctx.full(agg.newest(kept, MAX_TABLE_ROWS))
    shown = shown.assign(first_source=shown["sources"].astype(str).map(
        lambda s: next((u for u in split_sources(s) if is_http_url(u)), "")))
    if filters.q:
        # Why each row matched the search: which word, where (a column, or the group's names and aliases).
        shown = shown.assign(matched=search.reasons(shown, filters.q))
        columns = ["matched", *columns]
    st.download_button(f"Download CSV of these {len(kept):,} events (all columns)",
                       lambda: export.events_csv(ctx.full(kept)), file_name=export.file_name("events", filters),
                       mime="text/csv", key=Keys.download("events"), type="primary", on_click="ignore")
    st.download_button("The same for Excel (UTF-8 with a byte-order mark)",
                       lambda: export.for_excel(export.events_csv(ctx.full(kept))),
                       file_name=export.file_name("events", filters).replace(".csv", "_excel.csv"), mime="text/csv",
                       key=Keys.download("events_excel"), on_click="ignore")
    st.caption(export.NOTICE)
    if len(kept) > MAX_TABLE_ROWS:
        st.caption(f"The table shows the newest {MAX_TABLE_ROWS:,} of {len(kept):,} events; the download holds all "
                   "of them. Narrow the filters to see the rest here.")
    picked = st.dataframe(
        shown[columns], hide_index=True, on_select="rerun", selection_mode="single-row", key=Keys.EVENTS_TABLE,
        column_config={
            "first_source": st.column_config.LinkColumn("source", help="First source; all are in the record below"),
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
        },
    )
    rows = picked.selection.rows if picked is not None else []
    wanted = dict(filters.extra).get("event")
    if rows:
        chosen = str(shown.iloc[rows[0]]["event_id"])
        if chosen != wanted:
            state.set_page_param("event", chosen)
        wanted = chosen
    record = ctx.events[ctx.events["event_id"] == wanted] if wanted else ctx.events.iloc[0:0]
    if len(record):
        widgets.show_record(ctx, record.iloc[0])
    elif wanted:
        st.warning(md_escape(f"Link value ignored: event: no event “{wanted[:40]}” in the data"))
    else:
        st.caption("Select a row to see its full record and all its sources; the URL then links to it.")


frame.run("Events", body)
