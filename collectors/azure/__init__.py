"""Microsoft Azure: Cost Management exports and Cost Details to FOCUS; virtual machines, disks,
public IPs and load balancers; Azure Monitor utilization; retail prices."""
