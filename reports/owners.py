"""Who owns a resource: the value of its Owner tag, from the inventory, else from the bill.

Tag keys match as the tag policy matches them (``owner``, ``OWNER``, ``Owner`` are one key).
"""

from __future__ import annotations

from analysis.untagged import NORMAL
from reports.queries.filters import OWNER_KEY, normal_key


def pick_owner(tags: str) -> str:
    """SQL for the (smallest) non-empty Owner value of the MAP column ``tags``, or NULL."""
    key = NORMAL.format("e.key")
    wanted = normal_key(OWNER_KEY)
    return (
        f"list_min(list_transform(list_filter(map_entries({tags}), lambda e: {key} = '{wanted}'"
        " AND trim(coalesce(e.value, '')) <> ''), lambda e: trim(e.value)))"
    )


OWNERS_CTE = f"""
owners AS (
    SELECT rid, coalesce(min(inventory), min(bill)) AS owner FROM (
        SELECT lower(resource_id) AS rid, {pick_owner("tags")} AS inventory, NULL AS bill
        FROM resources
        UNION ALL
        SELECT lower(ResourceId), NULL, {pick_owner("Tags")}
        FROM focus_costs WHERE ResourceId IS NOT NULL AND cardinality(Tags) > 0
    ) WHERE coalesce(inventory, bill) IS NOT NULL GROUP BY rid
)"""
"""A CTE ``owners(rid, owner)``: lower-cased resource id and its owner."""
