-- 004: reconciliation per billing period. A loader that can total its source per (provider,
-- billing account, billing period) hands those totals over; the load is refused unless each
-- period's loaded + quarantined BilledCost and EffectiveCost equal the source's to the cent, and
-- the figures are kept here for `cloudspend status`.
CREATE TABLE ingest_periods (
    ingest_id BIGINT NOT NULL,
    x_Provider VARCHAR NOT NULL,
    BillingAccountId VARCHAR,  -- NULL: source rows that name no account (all quarantined)
    BillingPeriodStart TIMESTAMPTZ,  -- NULL: source rows that name no period (all quarantined)
    source_billed DECIMAL(38,12) NOT NULL,
    source_effective DECIMAL(38,12) NOT NULL,
    loaded_billed DECIMAL(38,12) NOT NULL,
    loaded_effective DECIMAL(38,12) NOT NULL,
    quarantined_billed DECIMAL(38,12) NOT NULL,
    quarantined_effective DECIMAL(38,12) NOT NULL
);
