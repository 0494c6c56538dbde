"""``docs/analyzers.md``, generated from the registry: ``python -m analysis.docs > FILE``."""

from __future__ import annotations

from analysis.params import described
from analysis.registry import analyzers

HEADER = """# Analyzers

Generated from the analyzer registry by `python -m analysis.docs > docs/analyzers.md`; a test
fails when this file drifts from the code. Every parameter can be set in the configuration file
under `[analysis.<analyzer>]`. Windows end at the end of the data's last complete day (UTC), not
today; a resource's cost is its trailing-30-day effective cost in the bill as a 730-hour monthly
run rate, list prices only where the bill has none (the finding says which).
"""


def markdown() -> str:
    """The whole page."""
    parts = [HEADER]
    for a in analyzers():
        parts.append(f"\n## `{a.name}` ({a.family})\n\n{a.summary}\n")
        rows = described(a.params)
        if rows:
            parts.append("\n| parameter | default | unit | meaning |\n|---|---|---|---|\n")
            parts += [f"| `{n}` | `{d!r}` | {u} | {m} |\n" for n, d, u, m in rows]
    return "".join(parts)


if __name__ == "__main__":
    print(markdown(), end="")
