"""Overview: headline figures, a summary in words, recent and deadliest events, small multiples."""
import streamlit as st

from monitor import aggregations as agg
from monitor import figures, summary, ui
from monitor.text import md_escape

SHORT_COLUMNS = ["date", "group", "country", "admin1", "location", "attack_type", "killed_low", "killed_high",
                 "attribution", "event_id"]

ctx = ui.page("Overview")
if ctx is not None:
    view, state = ctx.view, ctx.state
    # The comparison needs the previous years, which the year filter itself removes from the view.
    head = agg.headline(ctx.core, state.year, within=ctx.without_year())
    cur, prev = head.current, head.previous or {}
    st.subheader(f"Headline figures, {head.label}" + (f" (change on {head.previous_label})" if head.previous else ""))
    cols = st.columns(4)
    cols[0].metric("Events", f"{cur['events']:,}", agg.change(cur["events"], prev.get("events")) or None,
                   delta_color="inverse")
    if state.figure == "range":
        killed = f"{cur['killed_low']:,}–{cur['killed_high']:,}"
        delta = agg.change(cur["killed_low"], prev.get("killed_low"))
    else:
        key = f"killed_{state.figure}"
        killed, delta = f"{cur[key]:,}", agg.change(cur[key], prev.get(key))
    cols[1].metric("Killed", killed, delta or None, delta_color="inverse")
    cols[2].metric("Wounded", f"{cur['wounded_low']:,}–{cur['wounded_high']:,}",
                   agg.change(cur["wounded_low"], prev.get("wounded_low")) or None, delta_color="inverse")
    share = cur["claimed"] / cur["events"] if cur["events"] else 0
    cols[3].metric("Claimed", f"{share:.0%}")
    st.markdown(md_escape(summary.paragraph(view, state, head)))

    left, right = st.columns(2)
    with left:
        st.subheader("Most recent events")
        recent = ctx.full(agg.recent(view, 10))[SHORT_COLUMNS]
        ui.table(recent)
        ui.download(recent, "recent", state, key="dl_recent")
    with right:
        st.subheader("Deadliest events")
        deadly = ctx.full(agg.deadliest(view, 10, state.figure))[SHORT_COLUMNS]
        ui.table(deadly)
        ui.download(deadly, "deadliest", state, key="dl_deadliest")

    facet = st.radio("Small multiples by", ["group", "country"], horizontal=True, key="overview_facet")
    table = agg.yearly(view) if facet == "group" else agg.yearly(view.assign(group=view["country"].astype(str)))
    if facet == "country":
        table = table.rename(columns={"group": "country"})
    if table.empty:
        st.info("No events to chart in this view.")
    else:
        st.markdown(f"**Events per year, by {facet}** (shared scale; hover a bar for its count)")
        st.image(figures.small_multiples_svg(table, facet, ctx.colors))
        ui.download(table, f"yearly-by-{facet}", state, label=f"Download the data of this chart ({len(table):,} rows)",
                    key=f"dl_yearly-by-{facet}")
