"""benchmarks/accuracy.py's scoring: ids matched as the ground truth writes them, precision,
recall, decoys and savings errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from analysis.findings import CANNOT_JUDGE, Finding
from benchmarks.accuracy import resource_key, score


def _finding(check: str, rid: str, savings: str, status: str = "open") -> Finding:
    return Finding("idle", check, "aws", "1", "r", rid, "vm", "stop", savings=Decimal(savings),
                   status=status)  # fmt: skip


TRUTH: dict[str, Any] = {
    "expectations": [
        {"family": "idle", "check": "idle_vm", "resource_id": "i-1",
         "expected_monthly_savings": 100},
        {"family": "idle", "check": "old_snapshot", "resource_id": "snap-0abc",
         "expected_monthly_savings": 10},
        {"family": "idle", "check": "idle_vm", "resource_id": "/Subscriptions/X/VM",
         "expected_monthly_savings": 50},
    ],
    "decoys": [{"check": "idle_vm", "resource_id": "i-busy"}],
}  # fmt: skip


def test_resource_keys_follow_the_ground_truth() -> None:
    assert resource_key("arn:aws:ec2:us-west-2:2:snapshot/snap-0abc") == "snap-0abc"
    assert resource_key("/subscriptions/x/VM") == resource_key("/Subscriptions/X/vm")


def test_a_family_is_scored() -> None:
    found = [
        _finding("idle_vm", "i-1", "104"),  # 4 % off
        _finding("old_snapshot", "arn:aws:ec2:r:2:snapshot/snap-0abc", "10"),
        _finding("idle_vm", "i-busy", "30"),  # a decoy
        _finding("idle_vm", "/subscriptions/x/vm", "0", status=CANNOT_JUDGE),  # not a claim
    ]
    result = score(found, TRUTH, "idle")
    assert (result.planted, result.found, result.matched) == (3, 3, 2)
    assert result.recall == 2 / 3
    assert result.precision == 2 / 3
    assert result.decoys_flagged == ["idle_vm i-busy"]
    assert result.savings_errors["idle_vm i-1"] == 0.04
    assert result.missed == ["idle_vm /subscriptions/x/vm"]
    assert not result.meets_targets()
