"""Amazon Web Services: CUR 2.0, legacy CUR and Cost Explorer billing; EC2, EBS, ELB, RDS
inventory; CloudWatch utilization; Pricing API and spot prices."""
