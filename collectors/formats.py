"""Registers every built-in billing format, in detection order: native FOCUS first, then the
providers' own formats."""

from __future__ import annotations

import importlib

FORMAT_MODULES = ("collectors.focus", "collectors.aws.cur")


def load_builtin_formats() -> None:
    """Import each collector so that it registers its formats."""
    for module in FORMAT_MODULES:
        importlib.import_module(module)
