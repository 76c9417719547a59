"""Groups: one row per group, breakdowns by attack and target type, trends, side-by-side comparison."""
import streamlit as st

from monitor import figures, filters, ui

ctx = ui.page("Groups")
if ctx is not None:
    state = ctx.state
    by = st.session_state.get("grp_by", "attack_type")
    model = ctx.model("groups", by)
    table = model["table"].copy()
    table.insert(1, "view", [
        "./groups?" + "&".join(f"{k}={v}" for k, v in filters.to_query(state.with_(group=(g,))).items())
        for g in table["group"]
    ])
    st.dataframe(table, hide_index=True, column_config={
        "view": st.column_config.LinkColumn("Filter to group", display_text="open view", width="small"),
        "share_claimed": st.column_config.NumberColumn("share claimed", format="percent"),
        "share_suicide": st.column_config.NumberColumn("share suicide", format="percent"),
    })
    ui.download(table.drop(columns="view"), "groups", state, key="dl_groups")
    st.caption("Killed and wounded are sums of the low and high figures (victims only). Killed per attack averages "
               "over events with a reported toll.")

    by = st.radio("Breakdown by", ["attack_type", "target_type"], horizontal=True, key="grp_by",
                  format_func=lambda c: c.replace("_", " "))
    bd = model["breakdown"]
    if not bd.empty:
        ui.chart(figures.breakdown_figure(bd, by, ctx.colors), bd, f"breakdown-{by}", state)

    metric = st.radio("Trend of", ["events", "killed", "wounded"], horizontal=True, key="grp_metric")
    yearly = model["yearly"]
    if not yearly.empty:
        ui.chart(figures.yearly_figure(yearly, metric, state.figure, ctx.colors), yearly, f"yearly-{metric}", state)

    st.subheader("Compare groups side by side")
    choices = list(table["group"])
    default = choices[:2]
    picked = st.multiselect("Groups to compare", choices, default=default, key="grp_compare")
    if len(picked) >= 2:
        compared = table[table["group"].isin(picked)].drop(columns="view")
        ui.chart(figures.comparison_figure(compared, ctx.colors), compared, "comparison", state)
        st.dataframe(compared.set_index("group").T.astype(str))
    else:
        st.info("Pick two or more groups to compare.")
