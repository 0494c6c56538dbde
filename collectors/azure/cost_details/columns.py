"""The columns of Azure cost details files (EA and MCA, actual and amortized) under canonical
names. Headers are matched case-insensitively: MCA files mix camelCase and PascalCase, and the
EA schema has renamed columns over the years (``Cost`` -> ``CostInBillingCurrency``,
``Product`` -> ``ProductName``)."""

from __future__ import annotations

from dataclasses import dataclass

DEC = "DECIMAL(38,12)"
TAGS = "MAP(VARCHAR, VARCHAR)"

# canonical name -> (DuckDB type, header names in lower case, first found wins)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "billing_account_id": ("VARCHAR", ("billingaccountid",)),
    "billing_account_name": ("VARCHAR", ("billingaccountname",)),
    "billing_profile_id": ("VARCHAR", ("billingprofileid",)),
    "billing_profile_name": ("VARCHAR", ("billingprofilename",)),
    "billing_period_start": ("DATE", ("billingperiodstartdate",)),
    "billing_period_end": ("DATE", ("billingperiodenddate",)),
    "invoice_id": ("VARCHAR", ("invoiceid",)),
    "invoice_section_id": ("VARCHAR", ("invoicesectionid",)),
    "invoice_section_name": ("VARCHAR", ("invoicesectionname", "invoicesection")),
    "subscription_id": ("VARCHAR", ("subscriptionid",)),
    "subscription_name": ("VARCHAR", ("subscriptionname",)),
    "resource_group": ("VARCHAR", ("resourcegroupname", "resourcegroup")),
    "charge_date": ("DATE", ("date",)),
    "product_name": ("VARCHAR", ("productname", "product")),
    "product_id": ("VARCHAR", ("productid",)),
    "part_number": ("VARCHAR", ("partnumber",)),
    "meter_id": ("VARCHAR", ("meterid",)),
    "meter_name": ("VARCHAR", ("metername",)),
    "meter_category": ("VARCHAR", ("metercategory",)),
    "meter_subcategory": ("VARCHAR", ("metersubcategory",)),
    "meter_region": ("VARCHAR", ("meterregion",)),
    "service_family": ("VARCHAR", ("servicefamily",)),
    "quantity": (DEC, ("quantity",)),
    "effective_price": (DEC, ("effectiveprice",)),
    "cost": (DEC, ("costinbillingcurrency", "cost")),
    "unit_price": (DEC, ("unitprice",)),
    "payg_price": (DEC, ("paygprice",)),
    "payg_cost": (DEC, ("paygcostinbillingcurrency",)),
    "exchange_rate": (DEC, ("exchangeratepricingtobilling",)),
    "billing_currency": ("VARCHAR", ("billingcurrencycode", "billingcurrency")),
    "pricing_currency": ("VARCHAR", ("pricingcurrency",)),
    "resource_location": ("VARCHAR", ("resourcelocation",)),
    "availability_zone": ("VARCHAR", ("availabilityzone",)),
    "consumed_service": ("VARCHAR", ("consumedservice",)),
    "resource_id": ("VARCHAR", ("resourceid", "instanceid")),
    "resource_name": ("VARCHAR", ("resourcename",)),
    "additional_info": ("VARCHAR", ("additionalinfo",)),
    "tags": (TAGS, ("tags",)),
    "unit_of_measure": ("VARCHAR", ("unitofmeasure",)),
    "reservation_id": ("VARCHAR", ("reservationid",)),
    "reservation_name": ("VARCHAR", ("reservationname",)),
    "product_order_id": ("VARCHAR", ("productorderid",)),
    "product_order_name": ("VARCHAR", ("productordername",)),
    "term": ("VARCHAR", ("term",)),
    "publisher_name": ("VARCHAR", ("publishername",)),
    "publisher_type": ("VARCHAR", ("publishertype",)),
    "charge_type": ("VARCHAR", ("chargetype",)),
    "frequency": ("VARCHAR", ("frequency",)),
    "pricing_model": ("VARCHAR", ("pricingmodel",)),
    "benefit_id": ("VARCHAR", ("benefitid",)),
    "benefit_name": ("VARCHAR", ("benefitname",)),
}

# Values that differ between the actual and the amortized view of the same charge; every other
# column identifies the charge (the two views are matched on them).
COST_COLUMNS = ("effective_price", "cost", "unit_price", "payg_cost")

REQUIRED = (
    "billing_account_id",
    "billing_period_start",
    "billing_period_end",
    "charge_date",
    "cost",
    "charge_type",
    "billing_currency",
)

# headers (lower case) every cost details file has; plus one of the cost columns
_SIGNATURE = ("chargetype", "meterid", "subscriptionid", "billingaccountid", "date")
_MCA_ONLY = ("invoiceid", "previousinvoiceid", "paygcostinbillingcurrency", "costinusd")


@dataclass(frozen=True)
class CostColumns:
    """How one file's headers map to the canonical columns."""

    dialect: str  # ea | mca
    source_of: dict[str, str]  # canonical name -> the file's own header
    ignored: list[str]  # headers no canonical column reads

    def missing(self) -> list[str]:
        """Required canonical columns the file lacks, by the name Azure's EA schema uses."""
        return [name for name in REQUIRED if name not in self.source_of]

    def renamed(self, names: dict[str, str]) -> CostColumns:
        """The same map over the scan's own column names (header -> scan name)."""
        return CostColumns(
            self.dialect, {k: names[v] for k, v in self.source_of.items()}, self.ignored
        )

    def header(self, name: str, names: dict[str, str] | None = None) -> str:
        """The file's header of canonical column ``name`` (given scan name -> header)."""
        scan = self.source_of[name]
        return names.get(scan, scan) if names else scan


def map_columns(headers: list[str]) -> CostColumns | None:
    """The column map of an Azure cost details file, or None when it is not one."""
    by_lower: dict[str, str] = {}
    for header in headers:
        by_lower.setdefault(header.lstrip("\ufeff").strip().lower(), header)
    if not all(h in by_lower for h in _SIGNATURE):
        return None
    if "cost" not in by_lower and "costinbillingcurrency" not in by_lower:
        return None
    source_of = {}
    for name, (_, aliases) in COLUMNS.items():
        found = next((by_lower[a] for a in aliases if a in by_lower), None)
        if found is not None:
            source_of[name] = found
    used = set(source_of.values())
    dialect = "mca" if any(h in by_lower for h in _MCA_ONLY) else "ea"
    return CostColumns(dialect, source_of, [h for h in headers if h not in used])
