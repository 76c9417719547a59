"""Map: events on an offline base map, with view presets kept in the URL."""
import streamlit as st

from monitor import ui

ctx = ui.page("Map")
if ctx is not None:
    st.info("The map is being built (see the map issue).")
