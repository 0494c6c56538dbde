"""Fixtures of the AWS collector tests: the moto server (``moto_aws``) and its fault layer."""

from tests.collectors.aws.moto_server import faults, moto_aws

__all__ = ["faults", "moto_aws"]
