"""Google Cloud: the detailed billing export (BigQuery or extracted files) mapped to FOCUS 1.2,
Compute Engine inventory, Cloud Monitoring utilization and Cloud Billing catalogue prices."""
