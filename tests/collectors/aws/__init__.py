"""Tests of the AWS collector: inventory, CloudWatch metrics, prices, faults."""
