"""Map: events on an offline base map (no tiles), with view presets and layers kept in the URL."""
import streamlit as st

from monitor import export, maps, models
from monitor.app import frame, store, widgets
from monitor.app.state import Keys
from monitor.text import md_escape


def _arc_text(row) -> str:
    return (f"From {row['origin_country']} ({row['origin_latitude']}, {row['origin_longitude']}, "
            f"{row['origin_precision']} point) to {row['location']}, {row['admin1']}, "
            f"{row['country']} ({row['latitude']}, {row['longitude']}, {row['geo_precision']} point).")


def _keyboard_record(ctx: frame.Context, shown, objects: dict) -> None:
    """Every event on the map can be opened without a pointer: pick it from a list (newest first)."""
    if any(items for items in objects.values()):
        return
    labels = {eid: f"{d:%Y-%m-%d} · {g} · {loc}" for eid, d, g, loc in
              zip(shown["event_id"], shown["date"], shown["group"], shown["location"], strict=True)}
    picked = st.selectbox("Open an event's record", list(labels), index=None, format_func=labels.get,
                          placeholder="Choose an event on this map (or click its point)", key=Keys.MAP_PICK)
    if picked:
        widgets.show_record(ctx, ctx.events[ctx.events["event_id"] == picked].iloc[0])


def body(ctx: frame.Context) -> None:
    """The Map's layout."""
    view, view_args = ctx.setting("view", {k: v.label for k, v in maps.VIEWS.items()}, maps.DEFAULT_VIEW)
    st.radio("View", list(maps.VIEWS), horizontal=True, **view_args)
    coarse, coarse_args = ctx.flag("coarse", True)
    arcs, arcs_args = ctx.flag("arcs", True)
    density, density_args = ctx.flag("density", False)
    labels, labels_args = ctx.flag("labels", True)
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.toggle("District/province-level events", help="Drawn as hollow rings the size of the area they stand for, "
              "never as sites.", **coarse_args)
    c2.toggle("Cross-border arcs", **arcs_args)
    c3.toggle("Density", **density_args)
    c4.toggle("Place labels", **labels_args)
    # Not kept in the URL on purpose: a shared link must never make the recipient's browser fetch tiles.
    online = c5.toggle("Online basemap", value=False, key=Keys.MAP_ONLINE,
                       help="Off by default: the map then fetches nothing from the internet.")
    options = maps.MapOptions(figure=ctx.state.figure, show_coarse=coarse, show_arcs=arcs, show_density=density,
                              show_labels=labels, online_basemap=online)
    model = ctx.model(models.map_view, view, options, static=(ctx.colors, store.boundaries(), store.places()))
    result = model.result
    chosen = st.pydeck_chart(result.deck, height=620, on_select="rerun", selection_mode="single-object",
                             key=Keys.map_chart(view))
    notes = [f"{result.shown:,} events drawn in this view"]
    if result.aggregated:
        notes.append(f"more than {options.max_points:,} points, so they are aggregated on the server into "
                     f"{maps.VIEWS[view].grid_deg}° cells with counts and killed totals")
    if result.hidden_coarse:
        notes.append(f"{result.hidden_coarse:,} district/province/country-level events hidden")
    st.caption("; ".join(notes) + ". Filled dots are sites, neighbourhoods or towns (size by killed); hollow rings "
               "are events located only to a district, province or country. The red line is the Durand Line.")
    st.markdown(widgets.legend_html(model.legend, ctx.colors), unsafe_allow_html=True)
    widgets.download(None, "map-" + view, ctx.state, label=f"Download the {result.in_view:,} events in this view (CSV)",
                     key=Keys.download("map"), data=lambda: export.events_csv(ctx.full(maps.in_view(ctx.rows, view))))
    st.subheader("Most-hit places in this view")
    hit = model.most_hit
    st.caption("Points that hold more than one event carry their count on the map. Each row is one point at the "
               "precision the data gives: a city or district point stands for the whole area, not a site.")
    widgets.table(hit)
    widgets.download(hit, f"most-hit-{view}", ctx.state, key=Keys.download("most_hit"))
    objects = (chosen.selection.objects if chosen is not None and chosen.selection else {}) or {}
    _keyboard_record(ctx, model.newest, objects)
    for layer, items in objects.items():
        for item in items[:1]:
            record = ctx.events[ctx.events["event_id"] == item.get("event_id")]
            if record.empty:
                continue
            if layer == "cross-border":
                st.markdown(md_escape(_arc_text(record.iloc[0])))
            widgets.show_record(ctx, record.iloc[0])


frame.run("Map", body)
