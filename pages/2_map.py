"""Map: events on an offline base map (no tiles), with view presets kept in the URL."""
import streamlit as st

from monitor import export, maps, ui
from monitor.text import md_escape

ctx = ui.page("Map")
if ctx is not None:
    extra = dict(ctx.state.extra)
    view, notice = maps.parse_view(extra.get("view"))
    if notice:
        st.warning(f"Link value ignored: {md_escape(notice)}")

    def _set_view() -> None:
        st.query_params["view"] = st.session_state["map_view"]

    if st.session_state.get("map_view") not in maps.VIEWS or "view" in extra:
        st.session_state["map_view"] = view
    view = st.radio("View", list(maps.VIEWS), format_func=lambda v: maps.VIEWS[v].label, horizontal=True,
                    key="map_view", on_change=_set_view)
    c1, c2, c3, c4, c5 = st.columns(5)
    options = maps.MapOptions(
        figure=ctx.state.figure,
        show_coarse=c1.toggle("District/province-level events", value=True, key="map_coarse",
                              help="Drawn as hollow rings the size of the area they stand for, never as sites."),
        show_arcs=c2.toggle("Cross-border arcs", value=True, key="map_arcs"),
        show_density=c3.toggle("Density", value=False, key="map_density"),
        show_labels=c4.toggle("Place labels", value=True, key="map_labels"),
        online_basemap=c5.toggle("Online basemap", value=False, key="map_online",
                                 help="Off by default: the map then fetches nothing from the internet."),
    )
    result = maps.build_deck(ctx.view, view, ctx.colors, ui.cached_boundaries(), ui.cached_places(), options)
    chosen = st.pydeck_chart(result.deck, height=620, on_select="rerun", selection_mode="single-object",
                             key=f"map_{view}")
    notes = [f"{result.shown:,} events drawn in this view"]
    if result.aggregated:
        notes.append(f"more than {options.max_points:,} points, so they are aggregated on the server into "
                     f"{maps.VIEWS[view].grid_deg}° cells with counts and killed totals")
    if result.hidden_coarse:
        notes.append(f"{result.hidden_coarse:,} district/province/country-level events hidden")
    st.caption("; ".join(notes) + ". Filled dots are sites, neighbourhoods or towns (size by killed); hollow rings "
               "are events located only to a district, province or country. The red line is the Durand Line.")
    legend = [str(g) for g, n in ctx.view["group"].value_counts().items() if n and str(g) in ctx.colors]
    st.markdown(ui.legend_html(legend, ctx.colors), unsafe_allow_html=True)
    ui.download(None, "map-" + view, ctx.state,
                label=f"Download the {result.in_view:,} events in this view (CSV)", key="dl_map",
                data=lambda: export.events_csv(ctx.full(maps.in_view(ctx.view, view))))
    objects = (chosen.selection.objects if chosen is not None and chosen.selection else {}) or {}
    for layer, items in objects.items():
        for item in items[:1]:
            record = ctx.events[ctx.events["event_id"] == item.get("event_id")]
            if record.empty:
                continue
            row = record.iloc[0]
            if layer == "cross-border":
                st.markdown(md_escape(
                    f"From {row['origin_country']} ({row['origin_latitude']}, {row['origin_longitude']}, "
                    f"{row['origin_precision']} point) to {row['location']}, {row['admin1']}, "
                    f"{row['country']} ({row['latitude']}, {row['longitude']}, {row['geo_precision']} point)."))
            ui.show_record(ctx, row)
