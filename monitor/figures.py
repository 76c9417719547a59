"""Plotly figure builders: small DataFrames in, figures out, with the group colours of data/groups.csv."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import casualties
from . import colors as colors_

BAND_OPACITY = 0.18
METRIC_TITLES = {"events": "Events (count)", "killed": "Killed (people)", "wounded": "Wounded (people)"}
FREQ_TITLES = {"month": "Month", "quarter": "Quarter", "year": "Year"}
MAX_FACETS = 12


def safe(text: object) -> str:
    """Text made inert for Plotly, whose labels and hovers accept a subset of HTML."""
    return html.escape(str(text), quote=False)


def _metric_columns(metric: str, figure: str) -> tuple[str, str | None, str | None]:
    """The column drawn for a metric, and the band's low/high columns."""
    if metric == "events":
        return "events", None, None
    return casualties.column(metric, figure), f"{metric}_low", f"{metric}_high"


def _base_layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(title=safe(title), legend_title_text="Group", hovermode="closest",
                      margin=dict(l=10, r=10, t=60, b=10))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    return fig


def timeline_figure(ts: pd.DataFrame, metric: str = "events", figure: str = "range", mode: str = "stack",
                    freq: str = "month", colors: dict[str, str] | None = None,
                    milestones: pd.DataFrame | None = None, band: pd.DataFrame | None = None) -> go.Figure:
    """Events or casualties per period: bars stacked by group, or one line per group; the low–high range as a band.

    Traces and milestone shapes are collected first and handed to Plotly once: adding them one by one re-validates
    the figure each time and took most of the page's server time.
    """
    colors = colors or {}
    main, low, high = _metric_columns(metric, figure)
    traces: list[dict] = []
    by_group = "group" in ts.columns
    groups = list(dict.fromkeys(ts["group"])) if by_group else ["All"]
    for group in groups:
        sub = ts[ts["group"] == group] if by_group else ts
        color = colors_.hex_of(colors, group)
        name = safe(group)
        custom = list(zip(sub["events"], toll_texts(sub, "killed"), toll_texts(sub, "wounded"), strict=True))
        hover = (f"<b>{name}</b><br>%{{x|%Y-%m-%d}}<br>events: %{{customdata[0]}}<br>"
                 "killed: %{customdata[1]}<br>wounded: %{customdata[2]}<extra></extra>")
        if mode == "stack":
            traces.append(dict(type="bar", x=sub["period"], y=sub[main], name=name, marker=dict(color=color),
                               customdata=custom, hovertemplate=hover, legendgroup=name))
            continue
        if low:
            traces.append(dict(type="scatter", x=sub["period"], y=sub[high], mode="lines", line=dict(width=0),
                               showlegend=False, hoverinfo="skip", legendgroup=name))
            traces.append(dict(type="scatter", x=sub["period"], y=sub[low], mode="lines", line=dict(width=0),
                               fill="tonexty", fillcolor=colors_.rgba(colors, group, BAND_OPACITY), showlegend=False,
                               hoverinfo="skip", legendgroup=name))
        traces.append(dict(type="scatter", x=sub["period"], y=sub[main], mode="lines+markers", name=name,
                           line=dict(color=color), customdata=custom, hovertemplate=hover, legendgroup=name))
    if mode == "stack" and low and len(ts):
        total = ts.groupby("period", sort=True)[[low, high]].sum().reset_index()
        traces.append(dict(type="scatter", x=total["period"], y=total[high], mode="lines",
                           line=dict(width=1, dash="dot", color="#888"), name="Range, high",
                           hovertemplate="high: %{y}<extra></extra>"))
        traces.append(dict(type="scatter", x=total["period"], y=total[low], mode="lines", line=dict(width=0),
                           fill="tonexty", fillcolor="rgba(136,136,136,0.15)", name="Range (low–high)",
                           hovertemplate="low: %{y}<extra></extra>"))
    if band is not None and len(band):
        # What the 12 periods before each one lead the alert model to expect (central 95%), for all groups together.
        x = band["period"]
        traces.append(dict(type="scatter", x=x, y=band["expected_high"], mode="lines", line=dict(width=0),
                           showlegend=False, hoverinfo="skip", legendgroup="expected"))
        traces.append(dict(type="scatter", x=x, y=band["expected_low"], mode="lines", line=dict(width=0),
                           fill="tonexty", fillcolor="rgba(230,159,0,0.18)", name="Expected (95%, from the 12 before)",
                           legendgroup="expected", hovertemplate="expected %{y}<extra></extra>"))
        traces.append(dict(type="scatter", x=x, y=band["expected"], mode="lines", line=dict(dash="dot", width=1,
                           color="#E69F00"), name="Expected", legendgroup="expected",
                           hovertemplate="expected %{y:.1f}<extra></extra>"))
    shapes, notes = _milestone_marks(milestones, ts)
    fig = go.Figure(data=traces, layout=dict(barmode="stack", shapes=shapes, annotations=notes))
    label = {"range": "low figure, range shaded", "low": "low figure", "high": "high figure",
             "civilians": "civilians among the dead, range shaded"}[figure]
    title = f"{METRIC_TITLES[metric].split(' (')[0]} per {freq}" + ("" if metric == "events" else f" ({label})")
    return _base_layout(fig, title, FREQ_TITLES[freq], METRIC_TITLES[metric])


def _milestone_marks(milestones: pd.DataFrame | None, ts: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Dashed vertical lines and labels for the milestones inside the charted period."""
    if milestones is None or milestones.empty or ts.empty:
        return [], []
    first, last = ts["period"].min(), ts["period"].max() + pd.offsets.YearEnd(0)
    shown = milestones[(milestones["date"] >= first) & (milestones["date"] <= last)]
    shapes, notes = [], []
    for row, level in zip(shown.to_dict("records"), label_levels(shown["date"], first, last), strict=True):
        shapes.append(dict(type="line", x0=row["date"], x1=row["date"], xref="x", y0=0, y1=1, yref="paper",
                           line=dict(dash="dash", color="#777", width=1)))
        notes.append(dict(x=row["date"], y=1 - 0.07 * level, yref="paper", text=safe(row["label"]),
                          showarrow=False, xanchor="left", font=dict(size=10), hovertext=safe(row["description"])))
    return shapes, notes


LABEL_LEVELS = 8
# A label needs about this share of the time axis before the next one on its line may start.
LABEL_WIDTH = 0.14


def label_levels(dates: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> list[int]:
    """A line for each milestone label so that labels close in time never overlap: the first free line."""
    room = (last - first) * LABEL_WIDTH
    ends: list[pd.Timestamp | None] = [None] * LABEL_LEVELS
    out = []
    for date in dates:
        free = [i for i, end in enumerate(ends) if end is None or date >= end]
        # With every line busy, the line that frees soonest.
        level = free[0] if free else min(range(LABEL_LEVELS), key=lambda i: ends[i])
        ends[level] = date + room
        out.append(level)
    return out


def toll_texts(table: pd.DataFrame, measure: str) -> list[str]:
    """Each row's summed toll as people read it ('5', '2–4', 'unknown' when no event of the row reported one)."""
    unknown = table[f"{measure}_unknown"] if f"{measure}_unknown" in table.columns else [0] * len(table)
    return [casualties.total_text(low, high, n, u) for low, high, n, u in
            zip(table[f"{measure}_low"], table[f"{measure}_high"], table["events"], unknown, strict=True)]


def breakdown_figure(table: pd.DataFrame, by: str, colors: dict[str, str] | None = None) -> go.Figure:
    """Horizontal bars: events per value of `by`, stacked by group."""
    colors = colors or {}
    fig = go.Figure()
    for group, sub in table.groupby("group", sort=False):
        fig.add_bar(y=[safe(v) for v in sub[by]], x=sub["events"], orientation="h", name=safe(group),
                    marker_color=colors_.hex_of(colors, group),
                    customdata=[[text] for text in toll_texts(sub, "killed")],
                    hovertemplate=f"<b>{safe(group)}</b><br>%{{y}}: %{{x}} events<br>"
                                  "killed: %{customdata[0]}<extra></extra>")
    fig.update_layout(barmode="stack", yaxis=dict(categoryorder="total ascending"))
    title = by.replace("_", " ").capitalize()
    return _base_layout(fig, f"Events by {title.lower()}", "Events (count)", title)


def comparison_figure(table: pd.DataFrame, colors: dict[str, str] | None = None) -> go.Figure:
    """Selected groups side by side: events, killed (low and high) and wounded."""
    colors = colors or {}
    metrics = [("events", "Events"), ("killed_low", "Killed (low)"), ("killed_high", "Killed (high)"),
               ("wounded_low", "Wounded (low)")]
    fig = make_subplots(rows=1, cols=len(metrics), subplot_titles=[m[1] for m in metrics])
    for i, (col, _) in enumerate(metrics, start=1):
        for _, row in table.iterrows():
            fig.add_bar(x=[safe(row["group"])], y=[row[col]], marker_color=colors_.hex_of(colors, row["group"]),
                        name=safe(row["group"]), showlegend=i == 1, legendgroup=safe(row["group"]),
                        hovertemplate=f"<b>{safe(row['group'])}</b><br>%{{y}}<extra></extra>", row=1, col=i)
    fig.update_yaxes(title_text="Count", col=1)
    fig.update_layout(title="Groups compared", margin=dict(l=10, r=10, t=60, b=10), legend_title_text="Group")
    return fig


SVG_PANEL_W, SVG_PANEL_H, SVG_COLS = 220, 120, 4
SVG_TEXT = "#888888"


def small_multiples_svg(table: pd.DataFrame, facet: str = "group", colors: dict[str, str] | None = None,
                        value: str = "events") -> str:
    """A yearly `value` (events, or a casualty column) in one small panel per group (or country), as a light SVG:
    one shared y scale, names escaped.

    Plotly's dozen subplots cost the browser about as much as the rest of the Overview together; these panels are
    plain shapes, drawn at once.
    """
    colors = colors or {}
    totals = table.groupby(facet, sort=False)[value].sum().sort_values(ascending=False)
    facets = list(totals.index[:MAX_FACETS])
    years = sorted(table["year"].unique()) if len(table) else []
    top = max(int(table[value].max()), 1) if len(table) else 1
    unit = value.replace("_", " ")
    rows = max(1, -(-len(facets) // SVG_COLS))
    width, height = SVG_COLS * SVG_PANEL_W, rows * SVG_PANEL_H
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">']
    plot_w, plot_h, left, top_pad = SVG_PANEL_W - 40, SVG_PANEL_H - 42, 30, 20
    bar_w = plot_w / max(len(years), 1)
    for i, name in enumerate(facets):
        x0, y0 = (i % SVG_COLS) * SVG_PANEL_W, (i // SVG_COLS) * SVG_PANEL_H
        color = colors_.hex_of(colors, str(name))
        parts.append(f'<text x="{x0 + left}" y="{y0 + 13}" fill="{SVG_TEXT}" font-weight="bold">'
                     f'{html.escape(str(name))} ({int(totals[name]):,})</text>')
        sub = table[table[facet] == name].set_index("year")[value]
        for j, year in enumerate(years):
            n = int(sub.get(year, 0))
            h = plot_h * n / top
            parts.append(f'<rect x="{x0 + left + j * bar_w + 1:.1f}" y="{y0 + top_pad + plot_h - h:.1f}" '
                         f'width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}" fill="{color}">'
                         f'<title>{html.escape(str(name))}, {year}: {n} {unit}</title></rect>')
        base = y0 + top_pad + plot_h
        parts.append(f'<line x1="{x0 + left}" y1="{base}" x2="{x0 + left + plot_w}" y2="{base}" stroke="{SVG_TEXT}"/>')
        if years:
            parts.append(f'<text x="{x0 + left}" y="{base + 13}" fill="{SVG_TEXT}">{years[0]}</text>')
            parts.append(f'<text x="{x0 + left + plot_w}" y="{base + 13}" fill="{SVG_TEXT}" '
                         f'text-anchor="end">{years[-1]}</text>')
        parts.append(f'<text x="{x0 + left - 4}" y="{y0 + top_pad + 8}" fill="{SVG_TEXT}" text-anchor="end">{top}</text>')
    parts.append("</svg>")
    return "".join(parts)
