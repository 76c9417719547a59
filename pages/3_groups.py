"""Groups: one row per group, breakdowns by attack and target type, trends, side-by-side comparison."""
import streamlit as st

from monitor import casualties, figures, models, search
from monitor.app import frame, widgets
from monitor.app.state import Keys
from monitor.text import md_escape

BREAKDOWNS = {"attack_type": "attack type", "target_type": "target type"}
METRICS = {"events": "events", "killed": "killed", "wounded": "wounded"}


def body(ctx: frame.Context) -> None:
    """The Groups page's layout."""
    state = ctx.state
    by, by_args = ctx.setting("breakdown", BREAKDOWNS, "attack_type")
    metric, metric_args = ctx.setting("trend", METRICS, "events")
    model = ctx.model(models.groups, by)
    table = model.table.copy()
    table.insert(1, "view", [widgets.view_link(state.with_(group=(g,)), "./groups") for g in table["group"]])
    st.dataframe(table, hide_index=True, column_config={
        "view": st.column_config.LinkColumn("Filter to group", display_text="open view", width="small"),
        "share_claimed": st.column_config.NumberColumn("share claimed", format="percent"),
        "share_suicide": st.column_config.NumberColumn("share suicide", format="percent"),
    })
    widgets.download(table.drop(columns="view"), "groups", state)
    st.caption("Killed and wounded are sums of the low and high figures (victims only). Killed per attack averages "
               "over events with a reported toll.")

    st.radio("Breakdown by", list(BREAKDOWNS), horizontal=True, **by_args)
    bd = model.breakdown
    if not bd.empty:
        widgets.chart(figures.breakdown_figure(bd, by, ctx.colors), bd, f"breakdown-{by}", state)

    st.radio("Trend of", list(METRICS), horizontal=True, **metric_args)
    yearly = model.yearly
    if not yearly.empty:
        # One small panel per group on a shared scale: sixteen lines on one chart could not be read.
        value = "events" if metric == "events" else casualties.column(metric, state.figure)
        shown = yearly[yearly["group"].isin(model.table["group"])]
        st.markdown(f"**{value.replace('_', ' ').capitalize()} per year, by group** (the {figures.MAX_FACETS} "
                    f"busiest of {shown['group'].nunique()}; hover a bar for its number)")
        st.image(figures.small_multiples_svg(shown, "group", ctx.colors, value=value))
        with st.expander(f"The numbers behind this chart ({len(yearly):,} rows)"):
            widgets.table(yearly)
        widgets.download(yearly, f"yearly-{metric}", state,
                         label=f"Download the data of this chart ({len(yearly):,} rows)")

    st.subheader("Compare groups side by side")
    choices = list(table["group"])
    picked = st.multiselect("Groups to compare", choices, default=choices[:2], key=Keys.GROUPS_COMPARE)
    if len(picked) >= 2:
        compared = table[table["group"].isin(picked)].drop(columns="view")
        widgets.chart(figures.comparison_figure(compared, ctx.colors), compared, "comparison", state)
        st.dataframe(compared.set_index("group").T.astype(str))
    else:
        st.info("Pick two or more groups to compare.")
    _glossary(ctx)


GLOSSARY_NOTE = ("How groups are coded: `group` is the perpetrator the sources name. A claim in the Islamic State's name "
                 "is coded ISKP or ISPP only when sources tie it to that province, otherwise IS (other): choose the "
                 "family “Islamic State (all)” to see all three. Events the Taliban or IS claimed stay coded by the "
                 "claimant even when officials blamed the Haqqani network (see each record's claim detail). State "
                 "forces are coded when a state carried out a strike or clash.")


def _glossary(ctx: frame.Context) -> None:
    st.subheader("Group glossary")
    st.markdown(md_escape(GLOSSARY_NOTE))
    families = {g: f for f in search.FAMILIES for g in search.family_members(f)}
    table = ctx.groups[["short_name", "full_name", "kind", "parent", "lineage", "aliases"]].assign(
        family=ctx.groups["short_name"].map(families).fillna(""))
    st.dataframe(table, hide_index=True, column_config={"lineage": st.column_config.TextColumn(width="large")})


frame.run("Groups", body)
