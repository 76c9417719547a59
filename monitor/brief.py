"""The brief: one self-contained HTML page (or PDF) about a view in one month, quarter or year, to read and cite.

Everything is inline (styles, SVG timeline and map); the only links are the events' own sources and permalinks.
"""
from __future__ import annotations

import datetime as dt
import html
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import aggregations as agg
from . import casualties, summary, totals, trends
from . import colors as colors_
from .urlstate import describe, to_query, to_url

SVG_W, SVG_H = 640, 180
MAP_W, MAP_H = 640, 420
REGION = (44.0, 23.0, 76.0, 41.0)  # lon/lat box of the usual view: Iran to Pakistan, the Gulf to Central Asia
EXACT = ("site", "neighbourhood", "city")


@dataclass(frozen=True)
class Brief:
    """What a brief holds, before it becomes HTML: its period, figures, alerts, events and provenance."""

    label: str
    head: totals.Headline
    paragraph: str
    alerts: pd.DataFrame
    events: pd.DataFrame
    monthly: pd.DataFrame
    view: str
    query: dict


def build(events: pd.DataFrame, state, period: pd.Period, covered_from=None) -> Brief:
    """The brief of the rows a view keeps (`events`, all columns), for one period."""
    start, end = period.start_time.normalize(), period.end_time.normalize()
    previous = period - 1
    in_period = events[(events["date"] >= start) & (events["date"] <= end)]
    before = events[(events["date"] >= previous.start_time.normalize()) & (events["date"] <= previous.end_time)]
    head = totals.Headline(trends.period_label(period), trends.period_label(previous), totals.totals(in_period),
                        totals.totals(before))
    try:
        alerts = trends.alerts(events, period, period.freqstr[0], covered_from=covered_from)
        alerts = alerts[alerts["flagged"]].sort_values("q_value")
    except ValueError:
        alerts = pd.DataFrame(columns=trends.ALERT_COLUMNS)
    window = events[(events["date"] > end - pd.DateOffset(months=24)) & (events["date"] <= end)]
    monthly = agg.timeline(window, "month", by_group=False) if len(window) else pd.DataFrame()
    return Brief(trends.period_label(period), head, summary.paragraph(in_period, state, head) if len(in_period)
                 else f"No events in {trends.period_label(period)} in this view.", alerts,
                 in_period.sort_values(["date", "event_id"]), monthly, describe(state), to_query(state))


def _timeline_svg(monthly: pd.DataFrame, label: str) -> str:
    """Events per month over the two years to the period, as bars."""
    if monthly.empty:
        return ""
    top = max(int(monthly["events"].max()), 1)
    width = (SVG_W - 40) / len(monthly)
    bars = []
    for i, row in enumerate(monthly.itertuples()):
        h = (SVG_H - 40) * row.events / top
        x = 30 + i * width
        bars.append(f'<rect x="{x:.1f}" y="{SVG_H - 20 - h:.1f}" width="{max(width - 2, 1):.1f}" height="{h:.1f}" '
                    f'fill="#0072B2"><title>{row.period:%b %Y}: {row.events}</title></rect>')
    first, last = monthly["period"].iloc[0], monthly["period"].iloc[-1]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_W}" height="{SVG_H}" role="img" '
            f'aria-label="Events per month to {html.escape(label)}" font-family="sans-serif" font-size="11">'
            f'<text x="30" y="12">Events per month (most: {top})</text>{"".join(bars)}'
            f'<text x="30" y="{SVG_H - 4}">{first:%b %Y}</text>'
            f'<text x="{SVG_W - 10}" y="{SVG_H - 4}" text-anchor="end">{last:%b %Y}</text></svg>')


def _xy(lon: float, lat: float) -> tuple[float, float]:
    west, south, east, north = REGION
    return (lon - west) / (east - west) * MAP_W, (north - lat) / (north - south) * MAP_H


def _map_svg(events: pd.DataFrame, boundaries: dict, colors: dict[str, str]) -> str:
    """Country outlines and the period's events: dots for sites and towns, rings for coarser points."""
    parts = []
    for feature in boundaries.get("countries.geojson", {}).get("features", []):
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_xy(lon, lat) for lon, lat in polygon[0]))
            parts.append(f'<polygon points="{points}" fill="#ecEAE2" stroke="#666" stroke-width="0.6"/>')
    for row in events.itertuples():
        if pd.isna(row.latitude) or pd.isna(row.longitude):
            continue
        x, y = _xy(row.longitude, row.latitude)
        color = colors_.hex_of(colors, str(row.group))
        tip = html.escape(f"{row.date:%d %b %Y} · {row.group} · {row.location}")
        if str(row.geo_precision) in EXACT:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}" fill-opacity="0.8"><title>{tip}'
                         "</title></circle>")
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="none" stroke="{color}" stroke-width="1.5">'
                         f"<title>{tip} (located only to a {html.escape(str(row.geo_precision))})</title></circle>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{MAP_W}" height="{MAP_H}" role="img" '
            f'aria-label="Map of the period\'s events" style="background:#cfe3ee">{"".join(parts)}</svg>')


def _events_table(events: pd.DataFrame, base_url: str) -> str:
    rows = []
    for row in events.itertuples():
        link = html.escape(to_url({"event": str(row.event_id)}, f"{base_url}/events"), quote=True)
        sources = " ".join(f'<a href="{html.escape(u, quote=True)}">[{i}]</a>'
                           for i, u in enumerate(str(row.sources).split(" | "), 1)
                           if u.startswith(("http://", "https://")))
        rows.append(f"<tr><td>{row.date:%Y-%m-%d}</td><td>{html.escape(str(row.group))}</td>"
                    f"<td>{html.escape(f'{row.location}, {row.admin1}, {row.country}')}</td>"
                    f"<td>{html.escape(casualties.range_text(row.killed_low, row.killed_high))}</td>"
                    f"<td>{html.escape(str(row.attribution))}</td><td>{html.escape(str(row.description))}</td>"
                    f'<td><a href="{link}">{html.escape(str(row.event_id))}</a> {sources}</td></tr>')
    return ("<table><thead><tr><th>date</th><th>group</th><th>place</th><th>killed</th><th>claim</th>"
            "<th>what happened</th><th>permalink and sources</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


CSS = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}table{border-collapse:collapse;"
       "font-size:0.85em}td,th{border:1px solid #ccc;padding:0.3em;vertical-align:top}th{background:#eee}"
       ".figures span{display:inline-block;margin-right:2em;font-size:1.2em}.note{color:#555;font-size:0.9em}")


def to_html(brief: Brief, boundaries: dict, colors: dict[str, str], version: str, today: dt.date,
            base_url: str = "http://localhost:8501") -> str:
    """The brief as one self-contained HTML page."""
    cur = brief.head.current
    view_url = to_url(brief.query, base_url + "/")
    alerts = "".join(f"<li>{html.escape(trends.alert_text(a))}</li>" for a in brief.alerts.to_dict("records")) or \
        "<li>Nothing changed beyond what chance explains (no test reached q &lt; 0.05).</li>"
    citation = (f"Militancy Monitor, curated events table (data version {version}), brief for {brief.label}, view: "
                f"{view_url}, generated {today.isoformat()}.")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Militancy Monitor brief: {html.escape(brief.label)}</title><style>{CSS}</style></head><body>
<h1>Brief: {html.escape(brief.label)}</h1>
<p class="note">View: {html.escape(brief.view)}. Data version {html.escape(version)}; generated {today.isoformat()}.
The curated table is a selection of significant events by a stated inclusion rule, not a count of every incident.</p>
<h2>Headline figures</h2><p class="figures">
<span>Events: <b>{cur.events:,}</b> ({html.escape(brief.head.change('events') or 'no change')}
on {html.escape(brief.head.previous_label)})</span>
<span>Killed: <b>{html.escape(cur.toll('killed'))}</b></span>
<span>Wounded: <b>{html.escape(cur.toll('wounded'))}</b></span></p>
<h2>Alerts</h2><ul>{alerts}</ul>
<h2>In words</h2><p>{html.escape(brief.paragraph)}</p>
<h2>Timeline</h2>{_timeline_svg(brief.monthly, brief.label)}
<h2>Map</h2>{_map_svg(brief.events, boundaries, colors)}
<h2>The period's events ({len(brief.events):,})</h2>{_events_table(brief.events, base_url)}
<h2>How to cite</h2><p>{html.escape(citation)} Cite the original sources listed with each event for specific
facts.</p></body></html>"""


def to_pdf(page: str, chromium: str = "/usr/bin/chromium") -> bytes:
    """The brief as PDF, printed by headless Chromium on this machine (nothing is fetched: the page is inline)."""
    if not Path(chromium).exists():
        raise RuntimeError(f"PDF needs Debian's chromium at {chromium}; the HTML brief needs nothing")
    with tempfile.TemporaryDirectory(prefix="mm-brief-") as tmp:
        src, out = Path(tmp) / "brief.html", Path(tmp) / "brief.pdf"
        src.write_text(page, encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--no-first-run", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", src.as_uri()], check=True, capture_output=True, timeout=120)
        return out.read_bytes()
