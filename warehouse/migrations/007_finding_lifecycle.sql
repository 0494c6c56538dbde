-- 007: the savings ledger and the findings' lifecycle (issue 9).
-- findings now keep every finding ever seen: open ones from the last run, resolved ones with the
-- date they went away. Users' dismissals and snoozes are NOT here: they are user data and live in
-- the decisions file beside the warehouse (warehouse/decisions.py).
ALTER TABLE findings ADD COLUMN run_count INTEGER DEFAULT 1;  -- runs that found it
ALTER TABLE findings ADD COLUMN resolved_at TIMESTAMPTZ;  -- the run that no longer found it
-- The ledger's reasoning for savings_net: its stage, the resource cost it started from, what was
-- left when it applied, and why it was reduced (JSON object).
ALTER TABLE findings ADD COLUMN ledger JSON;
-- For resolved findings: monthly cost before minus after resolution, from the bill, when the bill
-- covers both sides; realized holds the evidence (windows, costs, days).
ALTER TABLE findings ADD COLUMN realized_savings DECIMAL(38,12);
ALTER TABLE findings ADD COLUMN realized JSON;

-- Which finding superseded (net 0) or reduced another's savings on the same resource.
CREATE TABLE ledger_links (
    finding_id VARCHAR NOT NULL,  -- the finding whose net savings were cut
    by_finding_id VARCHAR NOT NULL,  -- the earlier action that cut them
    effect VARCHAR NOT NULL,  -- superseded | reduced | alternative
    amount DECIMAL(38,12) NOT NULL  -- monthly savings removed from finding_id by by_finding_id
);

-- One row per `cloudspend analyze`: when, on data up to when, and what it covered.
CREATE TABLE analysis_runs (
    run_id VARCHAR PRIMARY KEY,
    run_at TIMESTAMPTZ NOT NULL,
    data_end TIMESTAMPTZ NOT NULL,
    findings INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    gross DECIMAL(38,12),
    net DECIMAL(38,12)
);
