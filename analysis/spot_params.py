"""The spot analyzer's parameters: eligibility rules in order, exclusions, the pricing window
and the interruption data file."""

from __future__ import annotations

from typing import Literal

from analysis.idle_vm import GPU_SKUS
from analysis.params import Params, param

Rule = Literal["scaling_group", "node_group", "batch_tag", "non_production_tag", "short_lived"]
NODE_GROUPS = ["eks:nodegroup-name", "alpha.eksctl.io/nodegroup-name", "karpenter.sh/nodepool",
               "karpenter.sh/provisioner-name", "aks-managed-poolname",
               "kubernetes.azure.com/agentpool", "goog-k8s-node-pool-name",
               "cloud.google.com/gke-nodepool"]  # fmt: skip
BATCH_KEYS = ["workload", "workload-type", "job-type", "purpose"]
BATCH_VALUES = ["batch", "ci", "build", "etl", "render", "hpc", "spark"]
ENV_KEYS = ["environment", "env", "stage"]
NON_PROD = ["dev", "development", "test", "testing", "qa", "sandbox", "staging", "nonprod"]
STATEFUL = ["database", "db", "stateful", "datastore"]


class SpotParams(Params):
    """Eligibility rules in order (the first match names the finding's rule), exclusions,
    pricing window and the interruption data file."""

    days: int = param(30, "days", "lookback of billed usage priced hour by hour", ge=1, le=93)
    rules: list[Rule] = param(
        ["scaling_group", "node_group", "batch_tag"], "-",
        "eligibility rules in order; also `non_production_tag` and `short_lived` (off by"
        " default: a non-production tag alone does not show the work survives interruption)",
    )  # fmt: skip
    node_group_markers: list[str] = param(
        NODE_GROUPS, "-", "tag/attribute prefixes of Kubernetes node-group members"
    )
    batch_tag_keys: list[str] = param(BATCH_KEYS, "-", "tag keys of the batch rule (any case,"
                                      " `-`/`_`/spaces ignored)")  # fmt: skip
    batch_tag_values: list[str] = param(BATCH_VALUES, "-", "values of those keys that mean batch")
    non_production_tag_keys: list[str] = param(ENV_KEYS, "-", "tag keys of the environment")
    non_production_tag_values: list[str] = param(NON_PROD, "-", "non-production environments")
    stateful_tag_values: list[str] = param(
        STATEFUL, "-", "a VM with any tag of one of these values is never a candidate"
    )
    short_lived_hours: float = param(
        6.0, "hours", "`short_lived`: a VM that ended within this many hours of its creation", gt=0
    )
    include_gpu: bool = param(False, "-", "also consider GPU/accelerator VMs")
    gpu_markers: list[str] = param(GPU_SKUS, "-", "SKU prefixes of GPU/accelerator VMs")
    boot_disk_markers: list[str] = param(
        ["boot", "root", "osdisk", "os-disk", "os_disk"], "-",
        "name parts of boot disks (ephemeral with the VM; others are data volumes)",
    )  # fmt: skip
    boot_disks_assumed: int = param(
        1, "disks", "attached disks taken as the boot disk when none is marked as one", ge=0
    )
    spot_advisor_path: str = param(
        "", "path", "interruption buckets (AWS): empty = analysis/data/spot_advisor.json, which"
        " ships without data (every bucket 'unknown'); to have buckets, download AWS's"
        " https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json (read as is, dated by"
        " its modification time) or write our format, and point this at it or replace that file",
    )  # fmt: skip
    advisor_max_age_days: int = param(
        90, "days", "an older advisor file lowers the confidence further", ge=0
    )
    min_savings: float = param(1.0, "currency/month", "smaller savings are not reported", ge=0)
