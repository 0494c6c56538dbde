"""The Streamlit dashboard (read-only over the warehouse).

Empty until the dashboard issue lands; it exists now so the layering contract covers it.
"""
