"""Registers every built-in billing format. Detection order does not depend on this list:
formats carry a ``detect_rank`` (``collectors/base.py``); native FOCUS is asked last."""

from __future__ import annotations

import importlib

FORMAT_MODULES = (
    "collectors.azure.cost_details",
    "collectors.focus",
    "collectors.aws.cur",
    "collectors.gcp.billing",
)


def load_builtin_formats() -> None:
    """Import each collector so that it registers its formats."""
    for module in FORMAT_MODULES:
        importlib.import_module(module)
