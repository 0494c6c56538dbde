"""Native FOCUS files as providers and the FinOps Foundation write them (FOCUS 1.0 to 1.2)."""

from collectors.base import FileFormat, register_format
from collectors.focus.loader import detect, load

FOCUS_FORMAT = register_format(
    FileFormat(
        name="focus",
        description="FOCUS 1.0, 1.1 or 1.2 cost and usage data (CSV, CSV.gz or Parquet)",
        detect=detect,
        load=load,
        detect_rank=90,
    )
)
