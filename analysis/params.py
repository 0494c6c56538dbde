"""Analyzer parameters: a pydantic model per analyzer, every field with a default, a unit and a
description, overridable from the configuration file (``[analysis.<analyzer>]``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Params(BaseModel):
    """Base of every analyzer's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def param(default: Any, unit: str, description: str, **limits: Any) -> Any:
    """A parameter field: its default, unit (``%``, ``days``, ``bytes/s``, ``-`` ...) and what it
    means; ``limits`` are pydantic's (``ge``, ``le`` ...)."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **limits)


def described(model: type[Params]) -> list[tuple[str, Any, str, str]]:
    """(name, default, unit, description) of every parameter, in declaration order."""
    rows = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        rows.append((name, info.default, str(extra.get("unit", "-")), info.description or ""))
    return rows
