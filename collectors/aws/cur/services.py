"""FOCUS ServiceCategory and ServiceSubcategory of AWS services, by CUR product code.

Codes not listed map to ``Other`` / ``Other (Other)``; add a code here when a bill shows one.
"""

from __future__ import annotations

from collectors.files import sql_str

# product code -> (ServiceCategory, ServiceSubcategory), FOCUS 1.2 allowed values.
SERVICES: dict[str, tuple[str, str]] = {
    "AmazonEC2": ("Compute", "Virtual Machines"),
    "AmazonLightsail": ("Compute", "Virtual Machines"),
    "AWSLambda": ("Compute", "Serverless Compute"),
    "AmazonECS": ("Compute", "Containers"),
    "AmazonEKS": ("Compute", "Containers"),
    "AmazonECR": ("Compute", "Containers"),
    "AWSFargate": ("Compute", "Containers"),
    "AWSElasticBeanstalk": ("Web", "Application Platforms"),
    "AmazonAppStream": ("Compute", "End User Computing"),
    "AmazonWorkSpaces": ("Compute", "End User Computing"),
    "ComputeSavingsPlans": ("Compute", "Other (Compute)"),
    "AmazonRDS": ("Databases", "Relational Databases"),
    "AmazonAurora": ("Databases", "Relational Databases"),
    "AmazonRedshift": ("Databases", "Data Warehouses"),
    "AmazonDynamoDB": ("Databases", "NoSQL Databases"),
    "AmazonDocDB": ("Databases", "NoSQL Databases"),
    "AmazonNeptune": ("Databases", "NoSQL Databases"),
    "AmazonElastiCache": ("Databases", "Caching"),
    "AmazonMemoryDB": ("Databases", "Caching"),
    "AmazonTimestream": ("Databases", "Time Series Databases"),
    "AmazonQLDB": ("Databases", "Ledger Databases"),
    "AmazonS3": ("Storage", "Object Storage"),
    "AmazonS3GlacierDeepArchive": ("Storage", "Backup Storage"),
    "AmazonGlacier": ("Storage", "Backup Storage"),
    "AWSBackup": ("Storage", "Backup Storage"),
    "AmazonEFS": ("Storage", "File Storage"),
    "AmazonFSx": ("Storage", "File Storage"),
    "AWSStorageGateway": ("Storage", "Storage Platforms"),
    "AmazonVPC": ("Networking", "Network Infrastructure"),
    "AWSELB": ("Networking", "Network Infrastructure"),
    "AmazonCloudFront": ("Networking", "Content Delivery"),
    "AmazonRoute53": ("Networking", "Network Routing"),
    "AWSDirectConnect": ("Networking", "Network Connectivity"),
    "AWSTransitGateway": ("Networking", "Network Connectivity"),
    "AWSGlobalAccelerator": ("Networking", "Network Routing"),
    "AWSDataTransfer": ("Networking", "Network Connectivity"),
    "AmazonApiGateway": ("Integration", "API Management"),
    "AWSAmplify": ("Web", "Other (Web)"),
    "AmazonSNS": ("Integration", "Messaging"),
    "AWSQueueService": ("Integration", "Messaging"),
    "AmazonMQ": ("Integration", "Messaging"),
    "AmazonMSK": ("Analytics", "Streaming Analytics"),
    "AmazonKinesis": ("Analytics", "Streaming Analytics"),
    "AmazonKinesisFirehose": ("Analytics", "Streaming Analytics"),
    "AWSEvents": ("Integration", "Messaging"),
    "AmazonStates": ("Integration", "Workflow Orchestration"),
    "AWSGlue": ("Analytics", "Data Processing"),
    "AmazonAthena": ("Analytics", "Analytics Platforms"),
    "ElasticMapReduce": ("Analytics", "Data Processing"),
    "AmazonES": ("Analytics", "Search"),
    "AmazonOpenSearchService": ("Analytics", "Search"),
    "AmazonQuickSight": ("Analytics", "Business Intelligence"),
    "AmazonSageMaker": ("AI and Machine Learning", "Machine Learning"),
    "AmazonBedrock": ("AI and Machine Learning", "Generative AI"),
    "AmazonRekognition": ("AI and Machine Learning", "Other (AI and Machine Learning)"),
    "comprehend": ("AI and Machine Learning", "Natural Language Processing"),
    "AmazonLex": ("AI and Machine Learning", "Bots"),
    "AmazonCloudWatch": ("Management and Governance", "Observability"),
    "AWSCloudTrail": ("Management and Governance", "Compliance"),
    "AWSConfig": ("Management and Governance", "Compliance"),
    "AWSSystemsManager": ("Management and Governance", "Architecture"),
    "AWSCostExplorer": ("Management and Governance", "Cost Management"),
    "AWSSupportBusiness": ("Management and Governance", "Support"),
    "AWSSupportEnterprise": ("Management and Governance", "Support"),
    "AWSDeveloperSupport": ("Management and Governance", "Support"),
    "AWSSecretsManager": ("Security", "Secret Management"),
    "awskms": ("Security", "Secret Management"),
    "AWSShield": ("Networking", "Network Security"),
    "awswaf": ("Networking", "Network Security"),
    "AmazonGuardDuty": ("Security", "Threat Detection and Response"),
    "AmazonInspectorV2": ("Security", "Security Posture Management"),
    "AWSSecurityHub": ("Security", "Security Posture Management"),
    "AmazonCognito": ("Identity", "Identity and Access Management"),
    "AWSDirectoryService": ("Identity", "Identity and Access Management"),
    "AWSCodeCommit": ("Developer Tools", "Source Code Management"),
    "AWSCodePipeline": ("Developer Tools", "Continuous Integration and Deployment"),
    "CodeBuild": ("Developer Tools", "Continuous Integration and Deployment"),
    "AWSDatabaseMigrationSvc": ("Migration", "Data Migration"),
    "AWSApplicationMigrationSvc": ("Migration", "Resource Migration"),
    "AWSIoT": ("Internet of Things", "IoT Platforms"),
    "AmazonChime": ("Business Applications", "Productivity and Collaboration"),
    "AmazonConnect": ("Business Applications", "Other (Business Applications)"),
    "AmazonSES": ("Business Applications", "Other (Business Applications)"),
}


def category_sql(code: str) -> tuple[str, str]:
    """SQL expressions for (ServiceCategory, ServiceSubcategory) of the product code ``code``."""
    category = " ".join(
        f"WHEN {sql_str(k)} THEN {sql_str(c)}" for k, (c, _) in sorted(SERVICES.items())
    )
    subcategory = " ".join(
        f"WHEN {sql_str(k)} THEN {sql_str(s)}" for k, (_, s) in sorted(SERVICES.items())
    )
    return (
        f"CASE {code} {category} ELSE 'Other' END",
        f"CASE {code} {subcategory} ELSE 'Other (Other)' END",
    )
