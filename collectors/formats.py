"""Registers every built-in billing format, in detection order (FOCUS first)."""

from __future__ import annotations


def load_builtin_formats() -> None:
    """Import each collector so that it registers its formats."""
    import collectors.focus  # noqa: F401
