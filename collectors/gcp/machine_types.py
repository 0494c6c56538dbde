"""vCPU and memory of Compute Engine machine types: from the name for predefined and custom types
of the common families, else from ``machineTypes.get`` (live collections only).

Predefined types are ``<family>-<class>-<vCPUs>`` with a fixed GiB per vCPU per class
(``standard`` 4, n1 3.75; ``highmem`` 8, n1 6.5; ``highcpu`` 1, n1 0.9); custom types are
``[<family>-]custom-<vCPUs>-<MiB>[-ext]``. Shared-core and accelerator-optimized types the
rule does not cover are in a small table; anything else is unknown (null), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

Spec = tuple[float, float]  # (vCPU, memory GiB)

GIB_PER_VCPU = {"standard": 4.0, "highmem": 8.0, "highcpu": 1.0}
N1_GIB_PER_VCPU = {"standard": 3.75, "highmem": 6.5, "highcpu": 0.9}
FAMILIES = {"n1", "n2", "n2d", "n4", "e2", "c2d", "c3", "c3d", "c4", "t2d", "g2"}
NAMED: dict[str, Spec] = {
    "e2-micro": (2, 1), "e2-small": (2, 2), "e2-medium": (2, 4),
    "f1-micro": (1, 0.6), "g1-small": (1, 1.7),
    "c2-standard-4": (4, 16), "c2-standard-8": (8, 32), "c2-standard-16": (16, 64),
    "a2-highgpu-1g": (12, 85), "a2-highgpu-2g": (24, 170), "a2-highgpu-4g": (48, 340),
}  # fmt: skip
_PREDEFINED = re.compile(r"^([a-z0-9]+)-(standard|highmem|highcpu)-(\d+)$")
_CUSTOM = re.compile(r"^(?:([a-z0-9]+)-)?custom-(\d+)-(\d+)(?:-ext)?$")


def spec_from_name(machine_type: str) -> Spec | None:
    """(vCPU, memory GiB) of a machine type from its name; None when the name does not tell."""
    name = machine_type.lower()
    if name in NAMED:
        return NAMED[name]
    custom = _CUSTOM.match(name)
    if custom:
        return float(custom.group(2)), int(custom.group(3)) / 1024
    match = _PREDEFINED.match(name)
    if not match or match.group(1) not in FAMILIES:
        return None
    family, kind, cores = match.group(1), match.group(2), float(match.group(3))
    if family == "g2" and kind != "standard":
        return None
    per_vcpu = N1_GIB_PER_VCPU if family == "n1" else GIB_PER_VCPU
    return cores, cores * per_vcpu[kind]


def spec_of_listed(item: Mapping[str, Any]) -> Spec | None:
    """(vCPU, memory GiB) of a ``machineTypes.get`` answer (REST JSON)."""
    cpus, memory = item.get("guestCpus"), item.get("memoryMb")
    return None if cpus is None or memory is None else (float(cpus), int(memory) / 1024)


def family_of(machine_type: str) -> str:
    """The machine family (``n2-standard-4`` -> ``n2``; ``custom-2-4096`` -> ``n1``)."""
    head = machine_type.lower().split("-", 1)[0]
    return "n1" if head == "custom" else head
