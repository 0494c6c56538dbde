"""The DuckDB warehouse: FOCUS 1.2 billing table, inventory, metrics, prices, findings, ingests."""

from warehouse.db import Warehouse
from warehouse.errors import CloudSpendError, InputError, WarehouseError

__all__ = ["CloudSpendError", "InputError", "Warehouse", "WarehouseError"]
