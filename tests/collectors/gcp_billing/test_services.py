"""Every GCP service category pair is one FOCUS 1.2 allows."""

from __future__ import annotations

from collectors.gcp.billing.services import SERVICES
from warehouse.focus_columns import SERVICE_SUBCATEGORIES


def test_every_category_pair_is_allowed_by_focus() -> None:
    wrong = {k: v for k, v in SERVICES.items() if v[1] not in SERVICE_SUBCATEGORIES.get(v[0], ())}
    assert wrong == {}
