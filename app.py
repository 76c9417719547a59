"""Overview: headline figures, a summary in words, recent and deadliest events, small multiples."""
import streamlit as st

from monitor import aggregations as agg
from monitor import figures, ui
from monitor.text import md_escape

ctx = ui.page("Overview")
if ctx is not None:
    state = ctx.state
    facet = st.session_state.get("overview_facet", "group")
    model = ctx.model("overview", facet)
    head = model["head"]
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
    st.markdown(md_escape(model["paragraph"]))

    left, right = st.columns(2)
    with left:
        st.subheader("Most recent events")
        ui.table(model["recent"])
        ui.download(model["recent"], "recent", state, key="dl_recent")
    with right:
        st.subheader("Deadliest events")
        ui.table(model["deadliest"])
        ui.download(model["deadliest"], "deadliest", state, key="dl_deadliest")

    st.radio("Small multiples by", ["group", "country"], horizontal=True, key="overview_facet")
    table = model["yearly"]
    if table.empty:
        st.info("No events to chart in this view.")
    else:
        st.markdown(f"**Events per year, by {facet}** (shared scale; hover a bar for its count)")
        st.image(figures.small_multiples_svg(table, facet, ctx.colors))
        ui.download(table, f"yearly-by-{facet}", state, label=f"Download the data of this chart ({len(table):,} rows)",
                    key=f"dl_yearly-by-{facet}")
