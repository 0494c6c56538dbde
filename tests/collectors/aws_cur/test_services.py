"""Every AWS service category pair the collectors assign is one FOCUS 1.2 allows."""

from __future__ import annotations

from collectors.aws.cost_explorer import SERVICE_CATEGORIES
from collectors.aws.cur.services import SERVICES
from warehouse.focus_columns import SERVICE_SUBCATEGORIES


def test_every_category_pair_is_allowed_by_focus() -> None:
    pairs = {**SERVICES, **SERVICE_CATEGORIES}
    wrong = {
        name: pair
        for name, pair in pairs.items()
        if pair[1] not in SERVICE_SUBCATEGORIES.get(pair[0], ())
    }
    assert wrong == {}
