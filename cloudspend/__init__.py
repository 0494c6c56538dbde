"""cloudspend: multi-cloud cost-optimization analyzer (CLI, configuration, pipeline wiring)."""

__version__ = "0.1.0"
