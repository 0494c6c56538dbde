"""Registers every built-in billing format, in detection order: Azure cost details first (a
strict column signature; MCA files carry enough FOCUS-named columns to look "mostly FOCUS"),
then native FOCUS, then the other providers' own formats."""

from __future__ import annotations

import importlib

FORMAT_MODULES = ("collectors.azure.cost_details", "collectors.focus", "collectors.aws.cur")


def load_builtin_formats() -> None:
    """Import each collector so that it registers its formats."""
    for module in FORMAT_MODULES:
        importlib.import_module(module)
