"""The Price List Query API for the tests: botocore's Stubber answering GetProducts with the demo
company's recorded items that a request's filters select (moto has no Pricing), and a recorder of
every call the collector's clients make."""

from __future__ import annotations

import json
from typing import Any

from botocore.stub import Stubber

from tests.collectors.aws.seed import load


def price_list(service: str, filters: list[dict[str, str]]) -> list[str]:
    """The recorded price-list items (JSON strings) of ``service`` that ``filters`` select, with
    the Price List API's filter semantics (TERM_MATCH: equal; ANY_OF: one of a comma list)."""
    page = load("prices", f"pricing.GetProducts_{service}")
    return [text for text in page.get("PriceList", []) if _selects(json.loads(text), filters)]


def _selects(item: dict[str, Any], filters: list[dict[str, str]]) -> bool:
    product = item["product"]
    for f in filters:
        value = product["attributes"].get(f["Field"], product.get(f["Field"]))
        allowed = f["Value"].split(",") if f["Type"] == "ANY_OF" else [f["Value"]]
        if value not in allowed:
            return False
    return True


def stub_pricing(pricing: Any, requests: list[tuple[str, list[dict[str, str]]]]) -> Stubber:
    """A botocore Stubber on the collector's Pricing client answering ``requests`` in order with
    the recorded items they select (it also checks that each request is exactly the one
    expected)."""
    stub = Stubber(pricing)
    for service, filters in requests:
        stub.add_response(
            "get_products",
            {"FormatVersion": "aws_v1", "PriceList": price_list(service, filters)},
            {"ServiceCode": service, "Filters": filters, "FormatVersion": "aws_v1"},
        )
    stub.activate()
    return stub


def record_calls(session: Any) -> list[tuple[str, str]]:
    """(service, operation) of every call made by clients the session creates from now on, moto
    or stubbed alike."""
    seen: list[tuple[str, str]] = []

    def note(model: Any, **_: Any) -> None:
        seen.append((model.service_model.service_name, model.name))

    session.events.register("before-call.*.*", note)
    return seen
