"""Who owns a resource: the value of its Owner tag, from the inventory, else from the bill.

Tag keys match as the tag policy matches them (``owner``, ``OWNER``, ``Owner`` are one key):
the SQL here needs the parameter ``$owner_keys``, the key's spellings in the data
(``reports.queries.frames.owner_params``).
"""

from __future__ import annotations

from reports.queries.frames import OWNERS
from reports.queries.tagkeys import tag_value_sql


def pick_owner(tags: str) -> str:
    """SQL for the (smallest) non-empty Owner value of the MAP column ``tags``, or NULL."""
    return tag_value_sql(tags, "$owner_keys")


OWNERS_CTE = f"owners AS ({OWNERS})"
"""A CTE ``owners(rid, owner)``: lower-cased resource id and its owner."""
