"""FOCUS ServiceCategory / ServiceSubcategory of Azure charges, by meter category (the service
the meter belongs to), else by the consumed service (the resource provider); and region names.

Meter categories and resource providers not listed map to ``Other`` / ``Other (Other)``; add one
here when a bill shows it. Keys are lower case (Azure writes them in varying case).
"""

from __future__ import annotations

from collectors.files import sql_str

# meter category -> (ServiceCategory, ServiceSubcategory), FOCUS 1.2 allowed values
METER_CATEGORIES: dict[str, tuple[str, str]] = {
    "virtual machines": ("Compute", "Virtual Machines"),
    "virtual machines licenses": ("Compute", "Virtual Machines"),
    "savings plan": ("Compute", "Virtual Machines"),
    "azure app service": ("Web", "Application Platforms"),
    "functions": ("Compute", "Serverless Compute"),
    "container instances": ("Compute", "Containers"),
    "azure kubernetes service": ("Compute", "Containers"),
    "container registry": ("Compute", "Containers"),
    "azure virtual desktop": ("Compute", "End User Computing"),
    "storage": ("Storage", "Storage Platforms"),
    "backup": ("Storage", "Backup Storage"),
    "azure netapp files": ("Storage", "File Storage"),
    "sql database": ("Databases", "Relational Databases"),
    "sql managed instance": ("Databases", "Relational Databases"),
    "azure database for mysql": ("Databases", "Relational Databases"),
    "azure database for postgresql": ("Databases", "Relational Databases"),
    "azure cosmos db": ("Databases", "NoSQL Databases"),
    "redis cache": ("Databases", "Caching"),
    "azure synapse analytics": ("Databases", "Data Warehouses"),
    "azure data factory v2": ("Analytics", "Data Processing"),
    "azure databricks": ("Analytics", "Data Processing"),
    "hdinsight": ("Analytics", "Data Processing"),
    "azure data explorer": ("Analytics", "Analytics Platforms"),
    "stream analytics": ("Analytics", "Streaming Analytics"),
    "event hubs": ("Analytics", "Streaming Analytics"),
    "azure cognitive search": ("Analytics", "Search"),
    "power bi embedded": ("Analytics", "Business Intelligence"),
    "service bus": ("Integration", "Messaging"),
    "event grid": ("Integration", "Messaging"),
    "logic apps": ("Integration", "Workflow Orchestration"),
    "api management": ("Integration", "API Management"),
    "virtual network": ("Networking", "Network Infrastructure"),
    "load balancer": ("Networking", "Network Infrastructure"),
    "bandwidth": ("Networking", "Network Connectivity"),
    "vpn gateway": ("Networking", "Network Connectivity"),
    "expressroute": ("Networking", "Network Connectivity"),
    "network watcher": ("Networking", "Other (Networking)"),
    "azure dns": ("Networking", "Network Routing"),
    "traffic manager": ("Networking", "Network Routing"),
    "azure front door service": ("Networking", "Content Delivery"),
    "content delivery network": ("Networking", "Content Delivery"),
    "application gateway": ("Networking", "Application Networking"),
    "azure firewall": ("Networking", "Network Security"),
    "azure ddos protection": ("Networking", "Network Security"),
    "key vault": ("Security", "Secret Management"),
    "advanced threat protection": ("Security", "Threat Detection and Response"),
    "advanced data security": ("Security", "Security Posture Management"),
    "microsoft defender for cloud": ("Security", "Security Posture Management"),
    "sentinel": ("Security", "Threat Detection and Response"),
    "azure active directory b2c": ("Identity", "Identity and Access Management"),
    "microsoft entra id": ("Identity", "Identity and Access Management"),
    "log analytics": ("Management and Governance", "Observability"),
    "azure monitor": ("Management and Governance", "Observability"),
    "application insights": ("Management and Governance", "Observability"),
    "automation": ("Management and Governance", "Architecture"),
    "azure site recovery": ("Management and Governance", "Disaster Recovery"),
    "cognitive services": ("AI and Machine Learning", "AI Platforms"),
    "azure openai": ("AI and Machine Learning", "Generative AI"),
    "machine learning": ("AI and Machine Learning", "Machine Learning"),
    "azure bot service": ("AI and Machine Learning", "Bots"),
    "iot hub": ("Internet of Things", "IoT Platforms"),
    "azure devops": ("Developer Tools", "Developer Platforms"),
}

# consumed service (resource provider) -> pair, when the meter category is not listed
CONSUMED_SERVICES: dict[str, tuple[str, str]] = {
    "microsoft.compute": ("Compute", "Virtual Machines"),
    "microsoft.capacity": ("Compute", "Virtual Machines"),
    "microsoft.billingbenefits": ("Compute", "Virtual Machines"),
    "microsoft.containerservice": ("Compute", "Containers"),
    "microsoft.web": ("Web", "Application Platforms"),
    "microsoft.storage": ("Storage", "Storage Platforms"),
    "microsoft.sql": ("Databases", "Relational Databases"),
    "microsoft.dbformysql": ("Databases", "Relational Databases"),
    "microsoft.dbforpostgresql": ("Databases", "Relational Databases"),
    "microsoft.documentdb": ("Databases", "NoSQL Databases"),
    "microsoft.cache": ("Databases", "Caching"),
    "microsoft.datafactory": ("Analytics", "Data Processing"),
    "microsoft.databricks": ("Analytics", "Data Processing"),
    "microsoft.eventhub": ("Analytics", "Streaming Analytics"),
    "microsoft.servicebus": ("Integration", "Messaging"),
    "microsoft.logic": ("Integration", "Workflow Orchestration"),
    "microsoft.apimanagement": ("Integration", "API Management"),
    "microsoft.network": ("Networking", "Network Infrastructure"),
    "microsoft.cdn": ("Networking", "Content Delivery"),
    "microsoft.keyvault": ("Security", "Secret Management"),
    "microsoft.security": ("Security", "Security Posture Management"),
    "microsoft.operationalinsights": ("Management and Governance", "Observability"),
    "microsoft.insights": ("Management and Governance", "Observability"),
    "microsoft.recoveryservices": ("Storage", "Backup Storage"),
    "microsoft.machinelearningservices": ("AI and Machine Learning", "Machine Learning"),
    "microsoft.cognitiveservices": ("AI and Machine Learning", "AI Platforms"),
    "microsoft.devices": ("Internet of Things", "IoT Platforms"),
}

REGION_NAMES: dict[str, str] = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "centralus": "Central US",
    "northcentralus": "North Central US",
    "southcentralus": "South Central US",
    "westcentralus": "West Central US",
    "westus": "West US",
    "westus2": "West US 2",
    "westus3": "West US 3",
    "canadacentral": "Canada Central",
    "canadaeast": "Canada East",
    "brazilsouth": "Brazil South",
    "northeurope": "North Europe",
    "westeurope": "West Europe",
    "uksouth": "UK South",
    "ukwest": "UK West",
    "francecentral": "France Central",
    "germanywestcentral": "Germany West Central",
    "swedencentral": "Sweden Central",
    "switzerlandnorth": "Switzerland North",
    "norwayeast": "Norway East",
    "italynorth": "Italy North",
    "polandcentral": "Poland Central",
    "eastasia": "East Asia",
    "southeastasia": "Southeast Asia",
    "japaneast": "Japan East",
    "japanwest": "Japan West",
    "koreacentral": "Korea Central",
    "centralindia": "Central India",
    "southindia": "South India",
    "australiaeast": "Australia East",
    "australiasoutheast": "Australia Southeast",
    "uaenorth": "UAE North",
    "southafricanorth": "South Africa North",
    "global": "Global",
}


def _case(expr: str, table: dict[str, tuple[str, str]], part: int, default: str) -> str:
    whens = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(v[part])}" for k, v in table.items())
    return f"CASE lower({expr}) {whens} ELSE {default} END"


def category_sql(meter_category: str, consumed_service: str) -> tuple[str, str]:
    """SQL for (ServiceCategory, ServiceSubcategory) of a charge."""
    return (
        _case(
            meter_category,
            METER_CATEGORIES,
            0,
            _case(consumed_service, CONSUMED_SERVICES, 0, "'Other'"),
        ),
        _case(
            meter_category,
            METER_CATEGORIES,
            1,
            _case(consumed_service, CONSUMED_SERVICES, 1, "'Other (Other)'"),
        ),
    )


def region_name_sql(region_id: str) -> str:
    """SQL for the display name of a region id (NULL when unknown)."""
    whens = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in REGION_NAMES.items())
    return f"CASE {region_id} {whens} END"
