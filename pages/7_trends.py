"""Trends: surge and lull alerts for a period against its baseline, and period against period, for the view."""
import datetime as dt

import pandas as pd
import streamlit as st

from monitor import aggregations as agg
from monitor import export, models, trends
from monitor.app import frame, state, widgets
from monitor.app.state import Keys
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
    return trends.parse_period(label)[0].asfreq(agg.FREQUENCIES[unit], how="end")


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
    widgets.download(model.table, f"alerts-{model.period}", ctx.state, key=Keys.download("alerts"))


def _ranges(ctx: frame.Context, preset: str, unit: str, period: pd.Period) -> tuple[tuple, tuple]:
    """The two date ranges a preset compares: periods, the same length either side of a milestone, or two ranges
    kept in the URL as a=YYYY-MM-DD..YYYY-MM-DD and b=...."""
    if preset == "milestone":
        marks = {row["date"].date().isoformat(): f"{row['date']:%d %b %Y}: {row['label']}"
                 for row in ctx.milestones.to_dict("records")}
        chosen, args = ctx.setting("milestone", marks, list(marks)[-1])
        st.selectbox("Milestone", list(marks), **args)
        day, length = pd.Timestamp(chosen), (period.end_time.normalize() - period.start_time.normalize()).days + 1
        return ((day - pd.Timedelta(days=length)).date(), (day - pd.Timedelta(days=1)).date()), \
            (day.date(), (day + pd.Timedelta(days=length - 1)).date())
    if preset == "custom":
        extra = dict(ctx.state.extra)
        ranges = []
        for name, default in (("a", _bounds(period - 1)), ("b", _bounds(period))):
            try:
                start, end = (dt.date.fromisoformat(d) for d in extra.get(name, "").split(".."))
                if end < start:
                    raise ValueError
            except ValueError:
                if name in extra:
                    st.warning(md_escape(f"Link value ignored: {name}: “{extra[name][:30]}” is not a range like "
                                         "2026-01-01..2026-01-31"))
                start, end = default
            picked = st.date_input(f"Range {name.upper()}", (start, end), key=Keys.period_range(name))
            if isinstance(picked, tuple) and len(picked) == 2 and picked != (start, end):
                state.set_page_param(name, f"{picked[0].isoformat()}..{picked[1].isoformat()}")
                start, end = picked
            ranges.append((start, end))
        return ranges[0], ranges[1]
    steps = {"month": 12, "quarter": 4, "year": 1}[unit] if preset == "year" else 1
    return _bounds(period - steps), _bounds(period)


def _comparison(ctx: frame.Context, unit: str) -> None:
    st.subheader("Period against period")
    by, by_args = ctx.setting("by", BY, "group")
    st.radio("By", list(BY), horizontal=True, **by_args)
    latest = models.latest_period(ctx.selection, unit)
    try:
        period = _period(dict(ctx.state.extra).get("period") or latest, unit)
    except ValueError:
        period = _period(latest, unit)
    presets = {"previous": "the previous period", "year": "a year before", "milestone": "before and after a milestone",
               "custom": "two date ranges"}
    preset, preset_args = ctx.setting("against", presets, "previous")
    st.radio("Against", list(presets), horizontal=True, **preset_args)
    a, b = _ranges(ctx, preset, unit, period)
    try:
        table = ctx.model(models.period_comparison, a, b, by)
    except ValueError as exc:  # overlapping or backwards ranges: said, not drawn
        st.info(md_escape(str(exc)))
        return
    st.caption(f"{a[0]} to {a[1]} against {b[0]} to {b[1]}. The p-value is an exact (binomial) test of the two "
               "counts given their total and the lengths of the ranges.")
    widgets.table(table)
    widgets.download(table, f"comparison-{by}", ctx.state, key=Keys.download("comparison"), data=lambda: export.to_csv_bytes(table))


def body(ctx: frame.Context) -> None:
    """The Trends page's layout."""
    unit, unit_args = ctx.setting("per", UNITS, "month")
    st.radio("Period", list(UNITS), horizontal=True, **unit_args)
    _alerts(ctx, unit)
    _comparison(ctx, unit)


frame.run("Trends", body)
