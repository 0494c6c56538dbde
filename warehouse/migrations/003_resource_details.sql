-- 003: what inventory rows need beyond 001's columns. size_gib: provisioned size of disks,
-- snapshots and databases (their price is per GB-month). attributes: provider-specific facts the
-- analyzers read, e.g. a load balancer's healthy_targets / registered_targets, an address's
-- public_ip, an instance's operating_system (to match prices.operating_system).
ALTER TABLE resources ADD COLUMN size_gib DOUBLE;
ALTER TABLE resources ADD COLUMN attributes MAP(VARCHAR, VARCHAR);
