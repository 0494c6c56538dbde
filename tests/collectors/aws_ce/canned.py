"""Canned GetCostAndUsage answers for October 2026, shaped as Cost Explorer returns them when
grouped by LINKED_ACCOUNT and SERVICE: two pages, the first ending with a NextPageToken."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

PAYER = "100000000001"
PROD, DEV = "200000000002", "300000000003"


def _group(
    account: str, service: str, unblended: str, amortized: str, usage: tuple[str, str]
) -> dict[str, Any]:
    def money(amount: str) -> dict[str, str]:
        return {"Amount": amount, "Unit": "USD"}

    return {
        "Keys": [account, service],
        "Metrics": {
            "UnblendedCost": money(unblended),
            "AmortizedCost": money(amortized),
            "UsageQuantity": {"Amount": usage[0], "Unit": usage[1]},
        },
    }


def _day(
    day: str, end: str, groups: list[dict[str, Any]], estimated: bool = False
) -> dict[str, Any]:
    return {
        "TimePeriod": {"Start": day, "End": end},
        "Total": {},
        "Groups": groups,
        "Estimated": estimated,
    }


ATTRIBUTES = [
    {"Value": PROD, "Attributes": {"description": "example-prod"}},
    {"Value": DEV, "Attributes": {"description": "example-dev"}},
]

EC2 = "Amazon Elastic Compute Cloud - Compute"

PAGE_1: dict[str, Any] = {
    "GroupDefinitions": [
        {"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"},
        {"Type": "DIMENSION", "Key": "SERVICE"},
    ],
    "ResultsByTime": [
        _day(
            "2026-10-01",
            "2026-10-02",
            [
                _group(PROD, EC2, "123.4567891234", "110.0000000001", ("48", "Hrs")),
                _group(
                    PROD,
                    "Amazon Simple Storage Service",
                    "0.0123456789",
                    "0.0123456789",
                    ("1234.5", "N/A"),
                ),
                _group(DEV, "Amazon Relational Database Service", "45.99", "45.99", ("24", "Hrs")),
            ],
        ),
        _day(
            "2026-10-02",
            "2026-10-03",
            [_group(PROD, EC2, "120.0000000005", "108.5", ("48", "Hrs"))],
        ),
    ],
    "DimensionValueAttributes": ATTRIBUTES,
    "NextPageToken": "page-2",
}

PAGE_2: dict[str, Any] = {
    "GroupDefinitions": PAGE_1["GroupDefinitions"],
    "ResultsByTime": [
        _day(
            "2026-10-02",
            "2026-10-03",
            [_group(DEV, "Tax", "16.6666666667", "16.6666666667", ("0", "N/A"))],
        ),
        _day(
            "2026-10-03",
            "2026-10-04",
            [
                _group(DEV, "AWS Support (Business)", "100", "100", ("0", "N/A")),
                _group(PROD, "EC2 - Other", "-5.25", "-5.25", ("12.5", "GB-Mo")),
            ],
            estimated=True,
        ),
    ],
    "DimensionValueAttributes": ATTRIBUTES,
}

PAGES = [PAGE_1, PAGE_2]
GROUPS = 7
UNBLENDED = sum(
    Decimal(a)
    for a in (
        "123.4567891234",
        "0.0123456789",
        "45.99",
        "120.0000000005",
        "16.6666666667",
        "100",
        "-5.25",
    )
)
AMORTIZED = sum(
    Decimal(a)
    for a in ("110.0000000001", "0.0123456789", "45.99", "108.5", "16.6666666667", "100", "-5.25")
)
