"""Analyzers (one module per check family), the savings ledger and confidence scoring.

Empty until the analyzer issues land; it exists now so the layering contract covers it.
"""
