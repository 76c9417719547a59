"""Events: the filtered rows, sortable and searchable, each row's full record with its sources, CSV download."""
import streamlit as st

from monitor import export, linking, ui
from monitor.text import md_escape, md_link, split_sources

TABLE_COLUMNS = ["date", "group", "country", "admin1", "location", "attack_type", "target_type", "killed_low",
                 "killed_high", "wounded_low", "wounded_high", "attribution", "claim_detail", "first_source",
                 "description", "event_id"]

ctx = ui.page("Events")
if ctx is not None:
    view, state = ctx.view, ctx.state
    if len(ctx.events["dataset"].cat.categories) > 1:
        TABLE_COLUMNS.insert(0, "dataset")
    shown = view.assign(first_source=view["sources"].map(lambda s: next(iter(split_sources(s)), "")))
    shown = shown.sort_values("date", ascending=False, kind="stable")
    st.download_button(f"Download CSV of these {len(view):,} events (all columns)", export.events_csv(view),
                       file_name=export.file_name("events", state), mime="text/csv", key="dl_events", type="primary")
    st.caption(export.NOTICE)
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
