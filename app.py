"""Overview: headline figures, a summary in words, recent and deadliest events, small multiples."""
import streamlit as st

from monitor import casualties, figures, models, trends
from monitor.app import frame, widgets
from monitor.text import md_escape

FACETS = {"group": "group", "country": "country"}


def _what_changed(ctx: frame.Context) -> None:
    """The top three alerts of the latest month in this view, linked to the Trends page."""
    month = models.latest_period(ctx.selection, "month")
    table = ctx.model(models.trend_alerts, "month", month).table
    flagged = table[table["flagged"]].sort_values("q_value").head(3) if len(table) else table
    link = widgets.filter_link(ctx.state, "./trends")
    if flagged.empty:
        st.caption(md_escape(f"What changed in {month}: nothing beyond what chance explains (q < 0.05)") +
                   f" — [all tests on the Trends page]({link})")
        return
    lines = [f"- {md_escape(trends.alert_text(r))}" for r in flagged.to_dict("records")]
    st.markdown(f"**What changed in {md_escape(month)}** ([Trends]({link}))\n" + "\n".join(lines))


def body(ctx: frame.Context) -> None:
    """The Overview's layout."""
    state = ctx.state
    facet, facet_args = ctx.setting("facet", FACETS, "group")
    model = ctx.model(models.overview, facet)
    head = model.head
    cur = head.current
    st.subheader(f"Headline figures, {head.label}" + (f" (change on {head.previous_label})" if head.previous else ""))
    cols = st.columns(4)
    cols[0].metric("Events", f"{cur.events:,}", head.change("events") or None, delta_color="inverse")
    cols[1].metric("Killed", cur.figure("killed", state.figure),
                   head.change(casualties.column("killed", state.figure)) or None, delta_color="inverse")
    cols[2].metric("Wounded", cur.toll("wounded"), head.change(casualties.column("wounded", state.figure)) or None,
                   delta_color="inverse")
    share = cur.claimed / cur.events if cur.events else 0
    cols[3].metric("Claimed", f"{share:.0%}")
    st.markdown(md_escape(model.paragraph))
    _what_changed(ctx)

    left, right = st.columns(2)
    with left:
        st.subheader("Most recent events")
        widgets.table(model.recent)
        widgets.download(model.recent, "recent", state)
    with right:
        st.subheader("Deadliest events")
        widgets.table(model.deadliest)
        widgets.download(model.deadliest, "deadliest", state)

    st.radio("Small multiples by", list(FACETS), horizontal=True, **facet_args)
    table = model.yearly
    if table.empty:
        st.info("No events to chart in this view.")
        return
    shown = table[facet].nunique()
    st.markdown(f"**Events per year, by {facet}** (shared scale; the {min(shown, figures.MAX_FACETS)} with the most "
                f"events of {shown})")
    st.image(figures.small_multiples_svg(table, facet, ctx.colors))
    with st.expander(f"The numbers behind this chart ({len(table):,} rows)"):
        widgets.table(table)
    widgets.download(table, f"yearly-by-{facet}", state,
                     label=f"Download the data of this chart ({len(table):,} rows)")


frame.run("Overview", body)
