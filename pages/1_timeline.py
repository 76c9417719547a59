"""Timeline: events and casualties per period, by group, with the range as a band and milestones."""
import streamlit as st

from monitor import aggregations as agg
from monitor import figures, ui

ctx = ui.page("Timeline")
if ctx is not None:
    c1, c2, c3 = st.columns(3)
    metric = c1.radio("Measure", ["events", "killed", "wounded"], horizontal=True, key="tl_metric")
    freq = c2.radio("Per", list(agg.FREQUENCIES), index=2, horizontal=True, key="tl_freq")
    mode = c3.radio("Groups", ["stack", "split"], horizontal=True, key="tl_mode",
                    format_func={"stack": "stacked bars", "split": "one line each"}.get)
    model = ctx.model("timeline", freq)
    ts = model["series"]
    if ts.empty:
        st.info("No events in this view.")
    else:
        fig = figures.timeline_figure(ts, metric, ctx.state.figure, mode, freq, ctx.colors, ctx.milestones)
        ui.chart(fig, ts, f"timeline-{metric}-{freq}", ctx.state)
        st.caption("Dashed lines mark milestones (data/milestones.csv). Casualty bars show the figure chosen in the "
                   "sidebar; with 'range', the shaded band runs from the low to the high total.")
    st.subheader("Deadliest events of the period, in date order")
    ui.table(model["deadliest"])
    ui.download(model["deadliest"], "deadliest", ctx.state, key="dl_deadliest")
