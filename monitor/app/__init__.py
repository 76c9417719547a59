"""The Streamlit layer: the only package that imports streamlit. Pages call frame.run(); nothing here runs at import."""
