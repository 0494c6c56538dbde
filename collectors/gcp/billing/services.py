"""FOCUS ServiceCategory and ServiceSubcategory of Google Cloud services, by the export's
``service.description``; services not listed map to ``Other`` / ``Other (Other)`` (add a service
here when a bill shows one). One category per service name, as FOCUS wants: disks, snapshots and
addresses billed under Compute Engine stay Compute / Virtual Machines."""

from __future__ import annotations

from collectors.files import sql_str

SERVICES: dict[str, tuple[str, str]] = {
    "Compute Engine": ("Compute", "Virtual Machines"),
    "Kubernetes Engine": ("Compute", "Containers"),
    "Cloud Run": ("Compute", "Serverless Compute"),
    "Cloud Run Functions": ("Compute", "Serverless Compute"),
    "Cloud Functions": ("Compute", "Serverless Compute"),
    "App Engine": ("Web", "Application Platforms"),
    "Artifact Registry": ("Developer Tools", "Other (Developer Tools)"),
    "Cloud Build": ("Developer Tools", "Continuous Integration and Deployment"),
    "Cloud SQL": ("Databases", "Relational Databases"),
    "Cloud Spanner": ("Databases", "Relational Databases"),
    "AlloyDB": ("Databases", "Relational Databases"),
    "Cloud Bigtable": ("Databases", "NoSQL Databases"),
    "Cloud Firestore": ("Databases", "NoSQL Databases"),
    "Cloud Datastore": ("Databases", "NoSQL Databases"),
    "Cloud Memorystore for Redis": ("Databases", "Caching"),
    "BigQuery": ("Databases", "Data Warehouses"),
    "BigQuery Reservation API": ("Databases", "Data Warehouses"),
    "Cloud Storage": ("Storage", "Object Storage"),
    "Cloud Filestore": ("Storage", "File Storage"),
    "Backup and DR Service": ("Storage", "Backup Storage"),
    "Networking": ("Networking", "Network Infrastructure"),
    "Cloud DNS": ("Networking", "Network Routing"),
    "Cloud CDN": ("Networking", "Content Delivery"),
    "Cloud Armor": ("Networking", "Network Security"),
    "Cloud Pub/Sub": ("Integration", "Messaging"),
    "Cloud Scheduler": ("Integration", "Workflow Orchestration"),
    "Workflows": ("Integration", "Workflow Orchestration"),
    "Apigee": ("Integration", "API Management"),
    "Cloud Logging": ("Management and Governance", "Observability"),
    "Cloud Monitoring": ("Management and Governance", "Observability"),
    "Support": ("Management and Governance", "Support"),
    "Secret Manager": ("Security", "Secret Management"),
    "Cloud Key Management Service (KMS)": ("Security", "Secret Management"),
    "Security Command Center": ("Security", "Security Posture Management"),
    "Identity Platform": ("Identity", "Identity and Access Management"),
    "Vertex AI": ("AI and Machine Learning", "AI Platforms"),
    "Dataflow": ("Analytics", "Data Processing"),
    "Dataproc": ("Analytics", "Data Processing"),
    "Looker Studio": ("Analytics", "Business Intelligence"),
}


def category_sql(name: str) -> tuple[str, str]:
    """SQL expressions for (ServiceCategory, ServiceSubcategory) of the service ``name``."""
    pairs = sorted(SERVICES.items())
    category = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(c)}" for k, (c, _) in pairs)
    subcategory = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(s)}" for k, (_, s) in pairs)
    return (
        f"CASE {name} {category} ELSE 'Other' END",
        f"CASE {name} {subcategory} ELSE 'Other (Other)' END",
    )
