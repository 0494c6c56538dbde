-- 002: rows a loader adds beyond the source's own, by rule. The AWS CUR reports unused reservation
-- and savings-plan commitment inside its monthly fee rows; FOCUS wants them as rows of their own
-- (ChargeCategory Usage, CommitmentDiscountStatus Unused), so the CUR loader derives one such row
-- per fee row with an unused part. Reconciliation: loaded + quarantined = source + derived rows.
ALTER TABLE ingests ADD COLUMN derived_rows BIGINT NOT NULL DEFAULT 0;
