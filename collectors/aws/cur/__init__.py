"""AWS Cost and Usage Reports: CUR 2.0 (Data Exports) and legacy CUR, mapped to FOCUS 1.2."""

from functools import partial

from collectors.aws.cur.exports import select_files
from collectors.aws.cur.loader import CUR2, LEGACY, detect_as, load
from collectors.base import FileFormat, register_format, register_selector

CUR2_FORMAT = register_format(
    FileFormat(
        name=CUR2,
        description="AWS CUR 2.0 Data Export (Parquet or CSV.gz)",
        detect=partial(detect_as, CUR2),
        load=load,
        preference=30,
    )
)
LEGACY_FORMAT = register_format(
    FileFormat(
        name=LEGACY,
        description="AWS legacy Cost and Usage Report (CSV, CSV.gz or Parquet)",
        detect=partial(detect_as, LEGACY),
        load=load,
        preference=10,
    )
)
register_selector(select_files)
