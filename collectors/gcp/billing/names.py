"""Display names the export lacks: region names by region id, FOCUS-style unit names, and
resource types by the collection in a resource's full name."""

from __future__ import annotations

from collectors.files import sql_str

REGION_NAMES: dict[str, str] = {
    "africa-south1": "Johannesburg",
    "asia-east1": "Taiwan",
    "asia-east2": "Hong Kong",
    "asia-northeast1": "Tokyo",
    "asia-northeast2": "Osaka",
    "asia-northeast3": "Seoul",
    "asia-south1": "Mumbai",
    "asia-south2": "Delhi",
    "asia-southeast1": "Singapore",
    "asia-southeast2": "Jakarta",
    "australia-southeast1": "Sydney",
    "australia-southeast2": "Melbourne",
    "europe-central2": "Warsaw",
    "europe-north1": "Finland",
    "europe-southwest1": "Madrid",
    "europe-west1": "Belgium",
    "europe-west2": "London",
    "europe-west3": "Frankfurt",
    "europe-west4": "Netherlands",
    "europe-west6": "Zurich",
    "europe-west8": "Milan",
    "europe-west9": "Paris",
    "europe-west10": "Berlin",
    "europe-west12": "Turin",
    "me-central1": "Doha",
    "me-central2": "Dammam",
    "me-west1": "Tel Aviv",
    "northamerica-northeast1": "Montréal",
    "northamerica-northeast2": "Toronto",
    "southamerica-east1": "São Paulo",
    "southamerica-west1": "Santiago",
    "us-central1": "Iowa",
    "us-east1": "South Carolina",
    "us-east4": "Northern Virginia",
    "us-east5": "Columbus",
    "us-south1": "Dallas",
    "us-west1": "Oregon",
    "us-west2": "Los Angeles",
    "us-west3": "Salt Lake City",
    "us-west4": "Las Vegas",
    "global": "Global",
}

# export unit -> FOCUS unit format (units not listed are kept as written)
UNITS: dict[str, str] = {
    "hour": "Hours",
    "hours": "Hours",
    "seconds": "Seconds",
    "second": "Seconds",
    "month": "Months",
    "gibibyte": "GiB",
    "gibibyte hour": "GiB-Hours",
    "gibibyte month": "GiB-Months",
    "gibibyte second": "GiB-Seconds",
    "byte-seconds": "Byte-Seconds",
    "bytes": "Bytes",
    "tebibyte": "TiB",
    "count": "Count",
    "requests": "Requests",
}

# the collection in a resource's full name -> ResourceType
RESOURCE_TYPES: dict[str, str] = {
    "instances": "Instance",
    "disks": "Disk",
    "snapshots": "Snapshot",
    "images": "Image",
    "addresses": "IP Address",
    "forwardingRules": "Forwarding Rule",
    "commitments": "Committed Use Discount",
    "buckets": "Bucket",
    "clusters": "Cluster",
    "services": "Service",
    "datasets": "Dataset",
}


def lookup_sql(expr: str, table: dict[str, str], default: str) -> str:
    """CASE ``expr`` over the table's keys, else ``default`` (an SQL expression)."""
    whens = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in sorted(table.items()))
    return f"CASE {expr} {whens} ELSE {default} END"


def region_name_sql(region: str) -> str:
    """RegionName of a region id (the id itself when unknown)."""
    return lookup_sql(region, REGION_NAMES, region)


def unit_sql(unit: str) -> str:
    """A unit in FOCUS format."""
    return lookup_sql(f"lower({unit})", UNITS, unit)


def resource_type_sql(resource_id: str) -> str:
    """ResourceType from ``//service.googleapis.com/.../<collection>/<name>``: Cloud SQL
    instances are named apart from Compute Engine ones."""
    collection = f"regexp_extract({resource_id}, '/([^/]+)/[^/]+$', 1)"
    known = lookup_sql(collection, RESOURCE_TYPES, f"NULLIF({collection}, '')")
    return (
        f"CASE WHEN {resource_id} LIKE '//sqladmin.googleapis.com/%'"
        f" OR {resource_id} LIKE '//cloudsql.googleapis.com/%' THEN 'Cloud SQL Instance'"
        f" ELSE {known} END"
    )
