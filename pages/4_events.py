"""Events: the filtered rows, sortable and searchable, each row's full record with its sources, CSV download."""
import streamlit as st

from monitor import aggregations as agg
from monitor import export, linking, ui
from monitor.text import md_escape, md_link, split_sources

TABLE_COLUMNS = ["date", "group", "country", "admin1", "location", "attack_type", "target_type", "killed_low",
                 "killed_high", "wounded_low", "wounded_high", "attribution", "claim_detail", "first_source",
                 "description", "event_id"]

MAX_TABLE_ROWS = 2_000

ctx = ui.page("Events")
if ctx is not None:
    view, state = ctx.view, ctx.state
    if len(ctx.events["dataset"].cat.categories) > 1:
        TABLE_COLUMNS.insert(0, "dataset")
    shown = ctx.full(agg.newest(view, MAX_TABLE_ROWS))
    shown = shown.assign(first_source=shown["sources"].astype(str).map(lambda s: next(iter(split_sources(s)), "")))
    st.download_button(f"Download CSV of these {len(view):,} events (all columns)",
                       lambda: export.events_csv(ctx.full(view)), file_name=export.file_name("events", state),
                       mime="text/csv", key="dl_events", type="primary", on_click="ignore")
    st.caption(export.NOTICE)
    if len(view) > MAX_TABLE_ROWS:
        st.caption(f"The table shows the newest {MAX_TABLE_ROWS:,} of {len(view):,} events; the download holds all "
                   "of them. Narrow the filters to see the rest here.")
    picked = st.dataframe(
        shown[TABLE_COLUMNS], hide_index=True, on_select="rerun", selection_mode="single-row", key="events_table",
        column_config={
            "first_source": st.column_config.LinkColumn("source", help="First source; all are in the record below"),
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
        },
    )
    rows = picked.selection.rows if picked is not None else []
    if rows:
        record = shown.iloc[rows[0]]
        st.subheader(f"Event {md_escape(record['event_id'])}")
        st.markdown(md_escape(record["description"]))
        fields = record.drop(labels=["first_source"]).astype(str).replace({"<NA>": "", "NaT": "", "nan": ""})
        st.dataframe(fields.rename("value").to_frame(), width="stretch")
        st.markdown("**Sources**\n\n" + "\n".join(f"- {md_link(u)}" for u in split_sources(record["sources"])))
        if len(ctx.events["dataset"].cat.categories) > 1:
            side = linking.linked_records(record["event_id"], ui.links(ctx.events, ctx.groups), ctx.events)
            if side.empty:
                st.caption("No record of another dataset is linked to this event.")
            else:
                st.markdown("**The same incident in other datasets** (linked, not merged)")
                st.dataframe(side, width="stretch")
    else:
        st.caption("Select a row to see its full record and all its sources.")
