"""Trends: surge and lull alerts for a period against its baseline, and period against period, for the view."""
import datetime as dt

import pandas as pd
import streamlit as st

from monitor import export, models, trends
from monitor.app import frame, widgets
from monitor.text import md_escape

UNITS = {"month": "month", "quarter": "quarter", "year": "year"}
BY = {"group": "group", "country": "country", "admin1": "province"}
METHOD = ("Each row compares the period with the same key's preceding 12 periods. The baseline picks a negative "
          "binomial model when it is overdispersed, a Poisson one otherwise; the observed value gets a two-sided "
          "p-value, and the q-value adjusts it for every test on this page (Benjamini-Hochberg). A row is flagged "
          "when q < 0.05: about one flagged row in twenty may still be chance. The table is a curated selection by "
          "an inclusion rule, not a census, so a surge here is a surge in the events that rule admits.")
SHOWN = ["breakdown", "group", "country", "province", "measure", "observed", "expected", "expected_low",
         "expected_high", "direction", "q_value", "flagged", "highest_since", "lowest_since", "view"]


def _period(label: str, unit: str) -> pd.Period:
    return trends.parse_period(label)[0].asfreq(models.FREQ_OF[unit], how="end")


def _bounds(period: pd.Period) -> tuple[dt.date, dt.date]:
    return period.start_time.date(), period.end_time.date()


def _alerts(ctx: frame.Context, unit: str) -> None:
    latest = models.latest_period(ctx.selection, unit)
    raw = dict(ctx.state.extra).get("period", latest)
    try:
        model = ctx.model(models.trend_alerts, unit, raw)
    except ValueError:
        st.warning(md_escape(f"Link value ignored: period: “{raw[:20]}” is not a month, quarter or year; showing "
                             f"{latest}"))
        model = ctx.model(models.trend_alerts, unit, latest)
    start, end = _bounds(_period(model.period, unit))
    st.subheader(f"Alerts for {model.period}")
    if model.note:
        st.info(md_escape(model.note))
        return
    table = model.table.copy()
    table["view"] = [widgets.filter_link(ctx.state.with_(
        **{k: (r[k],) if isinstance(r[k], str) and r[k] else getattr(ctx.state, k) for k in ("group", "country",
                                                                                          "province")},
        year=None, start=start, end=end), "./events") for r in table.to_dict("records")]
    flagged = table[table["flagged"]]
    st.caption(f"{len(table):,} tests; {len(flagged):,} flagged at q < 0.05. {METHOD}")
    shown = flagged if len(flagged) else table.sort_values("q_value").head(15)
    if not len(flagged):
        st.info("Nothing in this view changed beyond what chance explains; the closest calls are listed.")
    st.dataframe(shown[SHOWN], hide_index=True, column_config={
        "view": st.column_config.LinkColumn("events", display_text="open the events"),
        "q_value": st.column_config.NumberColumn("q", format="%.3f")})
    widgets.download(model.table, f"alerts-{model.period}", ctx.state, key="dl_alerts")


def _comparison(ctx: frame.Context, unit: str) -> None:
    st.subheader("Period against period")
    by, by_args = ctx.setting("by", BY, "group")
    st.radio("By", list(BY), horizontal=True, **by_args)
    latest = models.latest_period(ctx.selection, unit)
    try:
        period = _period(dict(ctx.state.extra).get("period") or latest, unit)
    except ValueError:
        period = _period(latest, unit)
    preset, preset_args = ctx.setting("against", {"previous": "the previous period", "year": "a year before"},
                                      "previous")
    st.radio("Against", ["previous", "year"], horizontal=True, **preset_args)
    steps = {"month": 12, "quarter": 4, "year": 1}[unit] if preset == "year" else 1
    a, b = _bounds(period - steps), _bounds(period)
    table = ctx.model(models.period_comparison, a, b, by)
    st.caption(f"{a[0]} to {a[1]} against {b[0]} to {b[1]}. The p-value is an exact (binomial) test of the two "
               "counts given their total and the lengths of the ranges.")
    widgets.table(table)
    widgets.download(table, f"comparison-{by}", ctx.state, key="dl_comparison", data=lambda: export.to_csv_bytes(table))


def body(ctx: frame.Context) -> None:
    """The Trends page's layout."""
    unit, unit_args = ctx.setting("per", UNITS, "month")
    st.radio("Period", list(UNITS), horizontal=True, **unit_args)
    _alerts(ctx, unit)
    _comparison(ctx, unit)


frame.run("Trends", body)
