"""Timeline: events and casualties per period, by group, with the range as a band and milestones."""
import streamlit as st

from monitor import aggregations as agg
from monitor import figures, models, trends
from monitor.app import frame, widgets

MEASURES = {"events": "events", "killed": "killed", "wounded": "wounded"}
PERIODS = {p: p for p in agg.FREQUENCIES}
LAYOUTS = {"stack": "stacked bars", "split": "one line each"}


def body(ctx: frame.Context) -> None:
    """The Timeline's layout."""
    metric, metric_args = ctx.setting("measure", MEASURES, "events")
    freq, freq_args = ctx.setting("period", PERIODS, "year")
    mode, mode_args = ctx.setting("layout", LAYOUTS, "stack")
    band_on, band_args = ctx.flag("band", True)
    c1, c2, c3 = st.columns(3)
    c1.radio("Measure", list(MEASURES), horizontal=True, **metric_args)
    c2.radio("Per", list(PERIODS), horizontal=True, **freq_args)
    c3.radio("Groups", list(LAYOUTS), horizontal=True, **mode_args)
    st.toggle("Expected band (events: what the 12 periods before each one expect, 95%)", **band_args)
    model = ctx.model(models.timeline, freq)
    ts = model.series
    if ts.empty:
        st.info("No events in this view.")
    else:
        band = None
        if metric == "events" and band_on:
            totals = ts.groupby("period")["events"].sum()
            band = trends.expected_band(totals)
        fig = figures.timeline_figure(ts, metric, ctx.state.figure, mode, freq, ctx.colors, ctx.milestones, band)
        widgets.chart(fig, ts, f"timeline-{metric}-{freq}", ctx.state)
        st.caption("Dashed lines mark milestones (data/milestones.csv). Casualty bars show the figure chosen in the "
                   "sidebar; with 'range', the shaded band runs from the low to the high total.")
    st.subheader("Deadliest events of the period, in date order")
    widgets.table(model.deadliest)
    widgets.download(model.deadliest, "deadliest", ctx.state)


frame.run("Timeline", body)
