"""vCPU and memory of VM sizes: from Compute ``virtualMachineSizes.list`` per location when it was
read, else from the size's name for the common families (recorded data has no size list).

The name rule covers ``Standard_<family><vCPUs>[-<constrained>][<features>][_v<n>]`` for the
general-purpose (D: 4 GiB per vCPU), memory-optimized (E: 8), compute-optimized (F: 2) families,
plus a table of burstable B and GPU NC sizes. Anything else is left unknown (null), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

Spec = tuple[float, float]  # (vCPU, memory GiB)

GIB_PER_VCPU = {"D": 4.0, "E": 8.0, "F": 2.0}
NAMED: dict[str, Spec] = {
    "standard_b1s": (1, 1), "standard_b1ms": (1, 2), "standard_b2s": (2, 4),
    "standard_b2ms": (2, 8), "standard_b4ms": (4, 16), "standard_b8ms": (8, 32),
    "standard_b12ms": (12, 48), "standard_b16ms": (16, 64), "standard_b20ms": (20, 80),
    "standard_nc4as_t4_v3": (4, 28), "standard_nc8as_t4_v3": (8, 56),
    "standard_nc16as_t4_v3": (16, 110), "standard_nc64as_t4_v3": (64, 440),
}  # fmt: skip
_FAMILY = re.compile(r"standard_([def])(\d+)(?:-\d+)?([a-z]*)_v([2-6])$")


def spec_from_name(size: str) -> Spec | None:
    """vCPU and memory GiB of a VM size from its name; None when the name does not tell."""
    name = size.lower()
    if name in NAMED:
        return NAMED[name]
    match = _FAMILY.match(name)
    if not match:
        return None
    family, cores = match.group(1).upper(), float(match.group(2))
    return cores, cores * GIB_PER_VCPU[family]


def size_specs(pages: Iterable[Mapping[str, Any]]) -> dict[str, Spec]:
    """``virtualMachineSizes.list`` items by lower-case size name: (cores, memoryInMB / 1024)."""
    out: dict[str, Spec] = {}
    for page in pages:
        for item in page.get("value", []):
            cores, memory = item.get("numberOfCores"), item.get("memoryInMB")
            if cores is not None and memory is not None:
                out[str(item["name"]).lower()] = (float(cores), float(memory) / 1024)
    return out


def spec(size: str | None, listed: Mapping[str, Spec]) -> Spec | None:
    """A size's spec: the listed one, else the name rule."""
    if not size:
        return None
    return listed.get(size.lower()) or spec_from_name(size)
