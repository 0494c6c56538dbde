"""The ``[aws]`` section of the configuration file: one AWS organization.

Credentials are never configured here: boto3 finds them through its standard chain (environment
variables, shared config and credentials files, SSO, instance or container roles).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    """Unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


AWS_SERVICES = (
    "s3", "sts", "ec2", "elbv2", "rds", "autoscaling", "cloudwatch", "cloudtrail", "pricing",
    "ce",
)  # fmt: skip


class AwsExport(Strict):
    """[aws.export]: where the CUR 2.0 (or legacy CUR, or FOCUS) export is delivered in S3."""

    bucket: str = Field(description="S3 bucket the export is delivered to")
    prefix: str = Field(
        "", description="S3 prefix up to and including the export name, e.g. cur/my-export"
    )
    region: str = Field("us-east-1", description="region of the bucket")
    months: int = Field(
        3, ge=0, description="billing periods to (re)load each run, newest first; 0 loads all"
    )


class AwsConfig(Strict):
    """[aws]: one AWS organization. Credentials come only from boto3's standard chain."""

    accounts: list[Annotated[str, Field(pattern=r"^[0-9]{12}$")]] = Field(
        default_factory=list,
        description="member accounts to read inventory from; empty: the credentials' own account",
    )
    role_name: str = Field(
        "CloudSpendReadOnly", description="role assumed in each member account (AssumeRole)"
    )
    regions: list[str] = Field(
        default_factory=list, description="regions to read; empty: every enabled region"
    )
    lookback_days: int = Field(30, ge=1, le=455, description="days of hourly metrics to read")
    retry_mode: Literal["standard", "adaptive"] = Field(
        "adaptive", description="boto3 retry mode (adaptive adds client-side rate limiting)"
    )
    max_attempts: int = Field(5, ge=1, le=20, description="attempts per AWS call, first included")
    pricing_region: str = Field(
        "us-east-1", description="Pricing API endpoint region (us-east-1, eu-central-1, ap-south-1)"
    )
    cost_explorer_fallback: bool = Field(
        False,
        description="with no export: load daily Cost Explorer totals (aggregated, billed per call)",
    )
    export: AwsExport | None = None
    endpoints: dict[str, str] = Field(
        default_factory=dict,
        description="endpoint URL per service (s3, ec2, ...), for S3-compatible storage or tests",
    )

    @field_validator("endpoints")
    @classmethod
    def _known_services(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(AWS_SERVICES))
        if unknown:
            raise ValueError(f"unknown service(s) {unknown}; known: {', '.join(AWS_SERVICES)}")
        return value
