-- 001: the initial warehouse. FOCUS 1.2 billing table, inventory, metrics, prices, findings,
-- and the ingest bookkeeping (ingests, ingest_files, quarantine).

CREATE TABLE focus_costs (
    AvailabilityZone VARCHAR,
    BilledCost DECIMAL(38,12) NOT NULL,
    BillingAccountId VARCHAR NOT NULL,
    BillingAccountName VARCHAR,
    BillingAccountType VARCHAR,
    BillingCurrency VARCHAR NOT NULL,
    BillingPeriodEnd TIMESTAMPTZ NOT NULL,
    BillingPeriodStart TIMESTAMPTZ NOT NULL,
    CapacityReservationId VARCHAR,
    CapacityReservationStatus VARCHAR,
    ChargeCategory VARCHAR NOT NULL,
    ChargeClass VARCHAR,
    ChargeDescription VARCHAR,
    ChargeFrequency VARCHAR,
    ChargePeriodEnd TIMESTAMPTZ NOT NULL,
    ChargePeriodStart TIMESTAMPTZ NOT NULL,
    CommitmentDiscountCategory VARCHAR,
    CommitmentDiscountId VARCHAR,
    CommitmentDiscountName VARCHAR,
    CommitmentDiscountQuantity DECIMAL(38,12),
    CommitmentDiscountStatus VARCHAR,
    CommitmentDiscountType VARCHAR,
    CommitmentDiscountUnit VARCHAR,
    ConsumedQuantity DECIMAL(38,12),
    ConsumedUnit VARCHAR,
    ContractedCost DECIMAL(38,12) NOT NULL,
    ContractedUnitPrice DECIMAL(38,12),
    EffectiveCost DECIMAL(38,12) NOT NULL,
    InvoiceId VARCHAR,
    InvoiceIssuerName VARCHAR NOT NULL,
    ListCost DECIMAL(38,12) NOT NULL,
    ListUnitPrice DECIMAL(38,12),
    PricingCategory VARCHAR,
    PricingCurrency VARCHAR,
    PricingCurrencyContractedUnitPrice DECIMAL(38,12),
    PricingCurrencyEffectiveCost DECIMAL(38,12),
    PricingCurrencyListUnitPrice DECIMAL(38,12),
    PricingQuantity DECIMAL(38,12),
    PricingUnit VARCHAR,
    ProviderName VARCHAR NOT NULL,
    PublisherName VARCHAR NOT NULL,
    RegionId VARCHAR,
    RegionName VARCHAR,
    ResourceId VARCHAR,
    ResourceName VARCHAR,
    ResourceType VARCHAR,
    ServiceCategory VARCHAR NOT NULL,
    ServiceName VARCHAR NOT NULL,
    ServiceSubcategory VARCHAR,
    SkuId VARCHAR,
    SkuMeter VARCHAR,
    SkuPriceDetails JSON,
    SkuPriceId VARCHAR,
    SubAccountId VARCHAR,
    SubAccountName VARCHAR,
    SubAccountType VARCHAR,
    Tags MAP(VARCHAR, VARCHAR),
    x_Provider VARCHAR NOT NULL,
    x_IngestId BIGINT NOT NULL,
    x_SourceFile VARCHAR NOT NULL,
    x_SourceFormat VARCHAR NOT NULL
);

-- Inventory: one row per resource as last collected. resource_id is the id FOCUS ResourceId carries.
CREATE TABLE resources (
    provider VARCHAR NOT NULL,
    account_id VARCHAR NOT NULL,
    region VARCHAR,
    resource_id VARCHAR NOT NULL,
    resource_type VARCHAR,
    sku VARCHAR,
    vcpu DOUBLE,
    memory_gib DOUBLE,
    state VARCHAR,
    attached_to VARCHAR,
    scaling_group VARCHAR,
    created_at TIMESTAMPTZ,
    last_attached_at TIMESTAMPTZ,
    tags MAP(VARCHAR, VARCHAR),
    collected_at TIMESTAMPTZ NOT NULL
);

-- Hourly utilization. cpu_percent is always 0-100; memory only where an agent reports it.
CREATE TABLE metrics (
    provider VARCHAR NOT NULL,
    account_id VARCHAR NOT NULL,
    resource_id VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,  -- cpu_percent | memory_percent | network_in_bytes | network_out_bytes | disk_read_iops | disk_write_iops | connections | requests
    hour TIMESTAMPTZ NOT NULL,
    avg_value DOUBLE,
    max_value DOUBLE,
    samples INTEGER,
    collected_at TIMESTAMPTZ NOT NULL
);

-- List prices per provider, region and SKU, for on-demand, spot and commitment terms.
CREATE TABLE prices (
    provider VARCHAR NOT NULL,
    region VARCHAR,
    sku VARCHAR NOT NULL,  -- instance type, machine type, VM size or disk SKU
    pricing_model VARCHAR NOT NULL,  -- on_demand | spot | commitment
    term VARCHAR,  -- commitment term and payment option, e.g. 1yr-no-upfront; null for on_demand and spot
    operating_system VARCHAR,
    unit VARCHAR NOT NULL,  -- e.g. Hours, GB-Months
    unit_price DECIMAL(38,12) NOT NULL,
    currency VARCHAR NOT NULL,
    effective_from TIMESTAMPTZ,
    collected_at TIMESTAMPTZ NOT NULL,
    attributes MAP(VARCHAR, VARCHAR)
);

-- What the analyzers found (ARCHITECTURE.md "Analyzers and findings").
CREATE TABLE findings (
    finding_id VARCHAR NOT NULL,  -- hash of family, check, provider, resource, action
    run_id VARCHAR NOT NULL,
    family VARCHAR NOT NULL,  -- rightsizing | spot | commitment | untagged | idle
    "check" VARCHAR NOT NULL,
    provider VARCHAR NOT NULL,
    account_id VARCHAR,
    region VARCHAR,
    resource_id VARCHAR,
    resource_type VARCHAR,
    action VARCHAR NOT NULL,
    current_config JSON,
    target_config JSON,
    monthly_cost DECIMAL(38,12),
    savings_gross DECIMAL(38,12),
    savings_net DECIMAL(38,12),
    currency VARCHAR,
    confidence DOUBLE,
    confidence_reasons JSON,
    evidence JSON,
    first_seen TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL,
    status VARCHAR NOT NULL  -- open | resolved | cannot_judge
);

-- One row per `cloudspend ingest` unit (a file, or a folder loaded together): what was read and
-- what became of it. source = loaded + quarantined, to the cent.
CREATE TABLE ingests (
    ingest_id BIGINT PRIMARY KEY,
    source VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    files INTEGER NOT NULL,
    source_rows BIGINT NOT NULL,
    source_billed DECIMAL(38,12) NOT NULL,
    source_effective DECIMAL(38,12) NOT NULL,
    loaded_rows BIGINT NOT NULL,
    loaded_billed DECIMAL(38,12) NOT NULL,
    loaded_effective DECIMAL(38,12) NOT NULL,
    quarantined_rows BIGINT NOT NULL,
    quarantined_billed DECIMAL(38,12) NOT NULL,
    quarantined_effective DECIMAL(38,12) NOT NULL,
    unparsed_rows BIGINT NOT NULL,  -- quarantined lines whose cost could not be read at all
    partitions VARCHAR[] NOT NULL,  -- provider/billing account/period keys this ingest replaced
    replaced_rows BIGINT NOT NULL  -- rows of earlier loads of those partitions that it replaced
);

CREATE TABLE ingest_files (
    ingest_id BIGINT NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    bytes BIGINT NOT NULL,
    format VARCHAR NOT NULL,  -- e.g. focus-1.0
    source_rows BIGINT NOT NULL,
    loaded_rows BIGINT NOT NULL,
    quarantined_rows BIGINT NOT NULL,
    ignored_columns VARCHAR[] NOT NULL  -- columns of the file that are not FOCUS 1.2 (or x_) columns
);

-- Every input row that was not loaded, with the reason. Nothing disappears without a trace.
CREATE TABLE quarantine (
    ingest_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row BIGINT,  -- data row, 1-based, header excluded
    source_line BIGINT,  -- line in the file, where known
    column_name VARCHAR,  -- first offending column, where one is to blame
    reason VARCHAR NOT NULL,
    raw_record VARCHAR,  -- the raw row as JSON, or the raw line
    x_Provider VARCHAR,
    BillingAccountId VARCHAR,
    BillingPeriodStart TIMESTAMPTZ,
    BillingCurrency VARCHAR,
    BilledCost DECIMAL(38,12),
    EffectiveCost DECIMAL(38,12)
);
