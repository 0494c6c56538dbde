"""Which FOCUS version a file is, and which of its columns feed which FOCUS 1.2 column."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.focus_columns import FOCUS_COLUMNS

# Names used before FOCUS 1.0 (0.5 and 1.0-preview) -> their FOCUS 1.2 names.
OLD_NAMES = {
    "provider": "ProviderName",
    "publisher": "PublisherName",
    "invoiceissuer": "InvoiceIssuerName",
    "chargetype": "ChargeCategory",
    "usagequantity": "ConsumedQuantity",
    "usageunit": "ConsumedUnit",
    "region": "RegionId",
}

# A file is FOCUS when it has these (after renaming); the rest of the required set is checked
# on load, with a clear error naming what is missing.
SIGNATURE = ("BilledCost", "BillingAccountId", "BillingPeriodStart", "ChargePeriodStart")

MOSTLY_FOCUS = 10

# FOCUS 1.2 columns an older file lacks but implies: before 1.2 a charge was priced in its
# billing currency, so the pricing-currency columns equal their billing-currency twins.
PRICING_CURRENCY_TWINS = {
    "PricingCurrency": "BillingCurrency",
    "PricingCurrencyEffectiveCost": "EffectiveCost",
    "PricingCurrencyListUnitPrice": "ListUnitPrice",
    "PricingCurrencyContractedUnitPrice": "ContractedUnitPrice",
}

_NEW_IN = {
    version: {c.name for c in FOCUS_COLUMNS if c.since == version} for version in ("1.1", "1.2")
}


@dataclass(frozen=True)
class ColumnMap:
    """How one file's columns feed the FOCUS 1.2 columns."""

    version: str  # "1.0" | "1.1" | "1.2" | "0.5/1.0-preview"
    source_of: dict[str, str]  # FOCUS 1.2 column -> the file's column name
    ignored: tuple[str, ...]  # file columns that are neither FOCUS nor mapped

    def missing(self, names: tuple[str, ...]) -> list[str]:
        """The given FOCUS columns that the file does not provide."""
        return [n for n in names if n not in self.source_of]


def map_columns(file_columns: list[str]) -> ColumnMap:
    """Match a file's columns to FOCUS 1.2 columns (case-insensitively), renaming old names."""
    canonical = {c.name.lower(): c.name for c in FOCUS_COLUMNS}
    source_of: dict[str, str] = {}
    ignored: list[str] = []
    renamed = False
    for col in file_columns:
        key = col.strip().lower()
        target = canonical.get(key)
        if target is None and key in OLD_NAMES:
            target, renamed = OLD_NAMES[key], True
        if target is None or target in source_of:
            ignored.append(col)
        else:
            source_of[target] = col
    return ColumnMap(_version(set(source_of), renamed), source_of, tuple(ignored))


def _version(present: set[str], renamed: bool) -> str:
    if present & _NEW_IN["1.2"]:
        return "1.2"
    if present & _NEW_IN["1.1"]:
        return "1.1"
    return "0.5/1.0-preview" if renamed else "1.0"


def is_focus(file_columns: list[str]) -> bool:
    """True when the columns carry the FOCUS signature, or are mostly FOCUS columns (then the
    load names the mandatory columns that are missing instead of calling the file unknown)."""
    cmap = map_columns(file_columns)
    return not cmap.missing(SIGNATURE) or len(cmap.source_of) >= MOSTLY_FOCUS
