"""Outputs: the weekly report e-mail and CSV/Parquet export.

Empty until the report issue lands; it exists now so the layering contract covers it.
"""
