"""Azure Cost Management cost details exports (EA and MCA; actual and amortized cost), mapped
to FOCUS 1.2 (``collectors/azure/README.md``).

The formats register before anything imports the FOCUS collector (the loader uses its
helpers), so detection asks them first: MCA files carry enough FOCUS-named columns to look
"mostly FOCUS" otherwise.
"""

from functools import partial

import duckdb

from collectors.azure.cost_details.detect import EA, MCA, detect_as
from collectors.azure.cost_details.exports import select_files
from collectors.base import FileFormat, LoadContext, register_format, register_selector
from warehouse.load import SourceTotals


def _load(ctx: LoadContext) -> SourceTotals:
    from collectors.azure.cost_details.loader import load

    return load(ctx)


def _finish(con: duckdb.DuckDBPyConnection, ingest_id: int) -> SourceTotals:
    from collectors.azure.cost_details.loader import finish

    return finish(con, ingest_id)


EA_FORMAT = register_format(
    FileFormat(
        name=EA,
        description="Azure EA cost details export, actual or amortized (CSV, CSV.gz, Parquet)",
        detect=partial(detect_as, EA),
        load=_load,
        preference=30,
        finish=_finish,
    )
)
MCA_FORMAT = register_format(
    FileFormat(
        name=MCA,
        description="Azure MCA cost details export, actual or amortized (CSV, CSV.gz, Parquet)",
        detect=partial(detect_as, MCA),
        load=_load,
        preference=30,
        finish=_finish,
    )
)
register_selector(select_files)
