"""The FOCUS 1.2 Cost and Usage columns: the one list the schema, loaders and tests share.

Each column has its exact spec name, its DuckDB type, whether the spec allows nulls, its level
and the FOCUS version that introduced it. Source: FOCUS 1.2 ``specification/columns/*.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

DECIMAL = "DECIMAL(38,12)"
TIMESTAMP = "TIMESTAMPTZ"
STRING = "VARCHAR"
TAGS = "MAP(VARCHAR, VARCHAR)"
JSON = "JSON"


@dataclass(frozen=True)
class FocusColumn:
    """One FOCUS column as the warehouse stores it."""

    name: str
    sql_type: str
    nullable: bool
    level: str  # Mandatory | Conditional | Recommended
    since: str  # FOCUS version that introduced it

    @property
    def required(self) -> bool:
        """True when every row must carry a value (Mandatory and not nullable)."""
        return self.level == "Mandatory" and not self.nullable


def _c(name: str, sql_type: str, nullable: bool, level: str, since: str) -> FocusColumn:
    return FocusColumn(name, sql_type, nullable, level, since)


M, C, R = "Mandatory", "Conditional", "Recommended"

FOCUS_COLUMNS: tuple[FocusColumn, ...] = (
    _c("AvailabilityZone", STRING, True, R, "0.5"),
    _c("BilledCost", DECIMAL, False, M, "0.5"),
    _c("BillingAccountId", STRING, False, M, "0.5"),
    _c("BillingAccountName", STRING, True, M, "0.5"),
    _c("BillingAccountType", STRING, False, C, "1.2"),
    _c("BillingCurrency", STRING, False, M, "0.5"),
    _c("BillingPeriodEnd", TIMESTAMP, False, M, "0.5"),
    _c("BillingPeriodStart", TIMESTAMP, False, M, "0.5"),
    _c("CapacityReservationId", STRING, True, C, "1.1"),
    _c("CapacityReservationStatus", STRING, True, C, "1.1"),
    _c("ChargeCategory", STRING, False, M, "0.5"),
    _c("ChargeClass", STRING, True, M, "1.0"),
    _c("ChargeDescription", STRING, True, M, "1.0"),
    _c("ChargeFrequency", STRING, False, R, "1.0"),
    _c("ChargePeriodEnd", TIMESTAMP, False, M, "0.5"),
    _c("ChargePeriodStart", TIMESTAMP, False, M, "0.5"),
    _c("CommitmentDiscountCategory", STRING, True, C, "1.0"),
    _c("CommitmentDiscountId", STRING, True, C, "1.0"),
    _c("CommitmentDiscountName", STRING, True, C, "1.0"),
    _c("CommitmentDiscountQuantity", DECIMAL, True, C, "1.1"),
    _c("CommitmentDiscountStatus", STRING, True, C, "1.0"),
    _c("CommitmentDiscountType", STRING, True, C, "1.0"),
    _c("CommitmentDiscountUnit", STRING, True, C, "1.1"),
    _c("ConsumedQuantity", DECIMAL, True, C, "1.0"),
    _c("ConsumedUnit", STRING, True, C, "1.0"),
    _c("ContractedCost", DECIMAL, False, M, "1.0"),
    _c("ContractedUnitPrice", DECIMAL, True, C, "1.0"),
    _c("EffectiveCost", DECIMAL, False, M, "0.5"),
    _c("InvoiceId", STRING, True, R, "1.2"),
    _c("InvoiceIssuerName", STRING, False, M, "0.5"),
    _c("ListCost", DECIMAL, False, M, "1.0"),
    _c("ListUnitPrice", DECIMAL, True, C, "1.0"),
    _c("PricingCategory", STRING, True, C, "1.0"),
    _c("PricingCurrency", STRING, True, C, "1.2"),
    _c("PricingCurrencyContractedUnitPrice", DECIMAL, True, C, "1.2"),
    _c("PricingCurrencyEffectiveCost", DECIMAL, True, C, "1.2"),
    _c("PricingCurrencyListUnitPrice", DECIMAL, True, C, "1.2"),
    _c("PricingQuantity", DECIMAL, True, M, "1.0"),
    _c("PricingUnit", STRING, True, M, "1.0"),
    _c("ProviderName", STRING, False, M, "0.5"),
    _c("PublisherName", STRING, False, M, "0.5"),
    _c("RegionId", STRING, True, C, "1.0"),
    _c("RegionName", STRING, True, C, "1.0"),
    _c("ResourceId", STRING, True, C, "0.5"),
    _c("ResourceName", STRING, True, C, "0.5"),
    _c("ResourceType", STRING, True, C, "1.0"),
    _c("ServiceCategory", STRING, False, M, "0.5"),
    _c("ServiceName", STRING, False, M, "0.5"),
    _c("ServiceSubcategory", STRING, False, R, "1.1"),
    _c("SkuId", STRING, True, C, "1.0"),
    _c("SkuMeter", STRING, True, C, "1.1"),
    _c("SkuPriceDetails", JSON, True, C, "1.1"),
    _c("SkuPriceId", STRING, True, C, "1.0"),
    _c("SubAccountId", STRING, True, C, "0.5"),
    _c("SubAccountName", STRING, True, C, "0.5"),
    _c("SubAccountType", STRING, True, C, "1.2"),
    _c("Tags", TAGS, True, C, "1.0"),
)

FOCUS_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in FOCUS_COLUMNS)
BY_NAME: dict[str, FocusColumn] = {c.name: c for c in FOCUS_COLUMNS}

# Our own columns, after every FOCUS column (FOCUS: custom columns carry the x_ prefix).
X_COLUMNS: tuple[tuple[str, str], ...] = (
    ("x_Provider", "VARCHAR NOT NULL"),  # normalized provider key: aws | azure | gcp | oracle | ...
    ("x_IngestId", "BIGINT NOT NULL"),
    ("x_SourceFile", "VARCHAR NOT NULL"),
    ("x_SourceFormat", "VARCHAR NOT NULL"),  # e.g. focus-1.0, focus-1.2
    ("x_CommitmentDiscountEnd", "TIMESTAMPTZ"),  # when the commitment ends, where the source says
)

CHARGE_CATEGORIES = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")


# FOCUS 1.2 ServiceCategory -> its allowed ServiceSubcategory values (servicesubcategory.md).
SERVICE_SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "AI and Machine Learning": (
        "AI Platforms",
        "Bots",
        "Generative AI",
        "Machine Learning",
        "Natural Language Processing",
        "Other (AI and Machine Learning)",
    ),
    "Analytics": (
        "Analytics Platforms",
        "Business Intelligence",
        "Data Processing",
        "Search",
        "Streaming Analytics",
        "Other (Analytics)",
    ),
    "Business Applications": (
        "Productivity and Collaboration",
        "Other (Business Applications)",
    ),
    "Compute": (
        "Containers",
        "End User Computing",
        "Quantum Compute",
        "Serverless Compute",
        "Virtual Machines",
        "Other (Compute)",
    ),
    "Databases": (
        "Caching",
        "Data Warehouses",
        "Ledger Databases",
        "NoSQL Databases",
        "Relational Databases",
        "Time Series Databases",
        "Other (Databases)",
    ),
    "Developer Tools": (
        "Developer Platforms",
        "Continuous Integration and Deployment",
        "Development Environments",
        "Source Code Management",
        "Quality Assurance",
        "Other (Developer Tools)",
    ),
    "Identity": (
        "Identity and Access Management",
        "Other (Identity)",
    ),
    "Integration": (
        "API Management",
        "Messaging",
        "Workflow Orchestration",
        "Other (Integration)",
    ),
    "Internet of Things": (
        "IoT Analytics",
        "IoT Platforms",
        "Other (Internet of Things)",
    ),
    "Management and Governance": (
        "Architecture",
        "Compliance",
        "Cost Management",
        "Data Governance",
        "Disaster Recovery",
        "Endpoint Management",
        "Observability",
        "Support",
        "Other (Management and Governance)",
    ),
    "Media": (
        "Content Creation",
        "Gaming",
        "Media Streaming",
        "Mixed Reality",
        "Other (Media)",
    ),
    "Migration": (
        "Data Migration",
        "Resource Migration",
        "Other (Migration)",
    ),
    "Mobile": ("Other (Mobile)",),
    "Multicloud": (
        "Multicloud Integration",
        "Other (Multicloud)",
    ),
    "Networking": (
        "Application Networking",
        "Content Delivery",
        "Network Connectivity",
        "Network Infrastructure",
        "Network Routing",
        "Network Security",
        "Other (Networking)",
    ),
    "Security": (
        "Secret Management",
        "Security Posture Management",
        "Threat Detection and Response",
        "Other (Security)",
    ),
    "Storage": (
        "Backup Storage",
        "Block Storage",
        "File Storage",
        "Object Storage",
        "Storage Platforms",
        "Other (Storage)",
    ),
    "Web": (
        "Application Platforms",
        "Other (Web)",
    ),
    "Other": ("Other (Other)",),
}
