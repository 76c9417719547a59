"""The smallest Streamlit app: the flood test runs against it to tell Streamlit's own share from the app's."""
import streamlit as st

st.write("hello", st.query_params.get("group", "world"))
