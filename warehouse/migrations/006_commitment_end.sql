-- 006: when a commitment discount ends. FOCUS 1.2 has no column for it (FOCUS 1.3 moves it to
-- the Contract Commitment dataset), so it is a custom column: the AWS CUR carries the end of the
-- reservation or savings plan on every row of it (reservation_end_time, savings_plan_end_time);
-- other sources leave it NULL. The commitment analyzers judge expiry from it.
ALTER TABLE focus_costs ADD COLUMN x_CommitmentDiscountEnd TIMESTAMPTZ;
