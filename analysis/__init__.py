"""Analyzers: one module per check, registered in ``registry.py``, run by ``run.py`` over the
warehouse into ``findings``. ``docs/analyzers.md`` is generated from the registry."""
