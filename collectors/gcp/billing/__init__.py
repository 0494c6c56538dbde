"""Google Cloud's billing export (detailed or standard usage cost) mapped to FOCUS 1.2."""

from collectors.base import FileFormat, register_format
from collectors.gcp.billing.commitments import amortize_commitments
from collectors.gcp.billing.loader import NAME, detect, load

EXPORT_FORMAT = register_format(
    FileFormat(
        name=NAME,
        description="Google Cloud billing export to BigQuery, extracted (JSON lines or Parquet)",
        detect=detect,
        load=load,
        finish=amortize_commitments,
        detect_rank=40,
    )
)
