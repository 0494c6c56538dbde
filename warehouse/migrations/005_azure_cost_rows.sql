-- 005: Azure cost details rows, typed, as loaded, per (billing account, billing period, view).
-- Azure delivers the same charges twice, as an actual-cost and an amortized-cost export, which
-- may arrive together or months apart. Each load keeps its file's rows here (replacing the rows
-- of the same billing account, period and view) and rebuilds the FOCUS rows of every partition
-- it touches from both views: BilledCost from the actual rows, EffectiveCost from the amortized
-- ones (collectors/azure/README.md).
CREATE TABLE azure_cost_rows (
    ingest_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_format VARCHAR NOT NULL,  -- e.g. ea-actual-csv
    source_row BIGINT NOT NULL,  -- 1-based data row of the file
    source_line BIGINT,  -- line of a CSV file (NULL for Parquet)
    cost_view VARCHAR NOT NULL,  -- actual | amortized
    dialect VARCHAR NOT NULL,  -- ea | mca
    focus_account VARCHAR NOT NULL,  -- the FOCUS BillingAccountId the rows belong to
    period_start DATE NOT NULL,  -- the billing period
    match_key VARCHAR NOT NULL,  -- md5 of the columns that identify the charge in both views
    errors VARCHAR NOT NULL,  -- '' or the row's problems (then it is quarantined)
    raw_record VARCHAR NOT NULL,  -- the row as read, JSON
    billing_account_id VARCHAR,
    billing_account_name VARCHAR,
    billing_profile_id VARCHAR,
    billing_profile_name VARCHAR,
    billing_period_start DATE,
    billing_period_end DATE,
    invoice_id VARCHAR,
    invoice_section_id VARCHAR,
    invoice_section_name VARCHAR,
    subscription_id VARCHAR,
    subscription_name VARCHAR,
    resource_group VARCHAR,
    charge_date DATE,
    product_name VARCHAR,
    product_id VARCHAR,
    part_number VARCHAR,
    meter_id VARCHAR,
    meter_name VARCHAR,
    meter_category VARCHAR,
    meter_subcategory VARCHAR,
    meter_region VARCHAR,
    service_family VARCHAR,
    quantity DECIMAL(38,12),
    effective_price DECIMAL(38,12),
    cost DECIMAL(38,12),
    unit_price DECIMAL(38,12),
    payg_price DECIMAL(38,12),
    payg_cost DECIMAL(38,12),
    exchange_rate DECIMAL(38,12),
    billing_currency VARCHAR,
    pricing_currency VARCHAR,
    resource_location VARCHAR,
    availability_zone VARCHAR,
    consumed_service VARCHAR,
    resource_id VARCHAR,
    resource_name VARCHAR,
    additional_info VARCHAR,
    tags MAP(VARCHAR, VARCHAR),
    unit_of_measure VARCHAR,
    reservation_id VARCHAR,
    reservation_name VARCHAR,
    product_order_id VARCHAR,
    product_order_name VARCHAR,
    term VARCHAR,
    publisher_name VARCHAR,
    publisher_type VARCHAR,
    charge_type VARCHAR,
    frequency VARCHAR,
    pricing_model VARCHAR,
    benefit_id VARCHAR,
    benefit_name VARCHAR
);
