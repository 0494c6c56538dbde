"""Tag keys matched the tag policy's way (ignoring case, '-', '_' and spaces: ``cost-center`` is
``CostCenter``), fast at any size.

Walking every row's tag map with a lambda costs about 20 s per pass over 10M bill rows. Instead
:func:`spellings` finds the keys, as actually spelled, that normalize to the wanted one (one
cheap pass over the distinct keys), and the SQL of :func:`tag_value_sql` and
:func:`tag_match_sql` reads the map at those keys directly (``Tags[key]``). The spellings travel
as a list parameter, so the SQL text stays our own.

Example::

    keys = spellings(con, "Owner")  # ['OWNER', 'owner', 'Owner'] as the data spells it
    con.execute(f"SELECT {tag_value_sql('Tags', '$keys')} FROM focus_costs", {"keys": keys})
"""

from __future__ import annotations

import re

import duckdb

OWNER_KEY = "Owner"  # the mandatory tag naming who owns a resource

# every tag key as spelled, once: normalizing here (a regexp) would run on each row's keys
KEYS_SQL = """
SELECT DISTINCT key FROM (
    SELECT unnest(map_keys(Tags)) AS key FROM focus_costs
    UNION ALL
    SELECT unnest(map_keys(tags)) FROM resources
)
"""


def normal_key(key: str) -> str:
    """A tag key as the policy compares it (``analysis.untagged.NORMAL``): ``Cost-Center`` ->
    ``costcenter``."""
    return re.sub(r"[-_ ]", "", key).lower()


def spellings(con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    """The tag keys of the bill and the inventory that the policy reads as ``key``."""
    wanted = normal_key(key)
    return sorted(k for (k,) in con.execute(KEYS_SQL).fetchall() if normal_key(k) == wanted)


def tag_value_sql(tags: str, keys: str) -> str:
    """SQL for the smallest non-empty (trimmed) value the MAP ``tags`` holds under any key of
    the list parameter ``keys`` (``$name``), or NULL."""
    values = f"list_transform(CAST({keys} AS VARCHAR[]), lambda k: trim({tags}[k]))"
    return f"list_min(list_filter({values}, lambda v: v <> ''))"


def tag_match_sql(tags: str, keys: str, value: str | None) -> str:
    """SQL true when the MAP ``tags`` has, under a key of the list parameter ``keys``, a
    non-empty value, or with ``value`` (a parameter holding a lower-case value) that value,
    ignoring case."""
    if value is None:
        test = f"trim(coalesce({tags}[k], '')) <> ''"
    else:
        test = f"lower(trim({tags}[k])) = {value}"
    return (f"coalesce(list_bool_or(list_transform(CAST({keys} AS VARCHAR[]), "
            f"lambda k: {test})), false)")  # fmt: skip
