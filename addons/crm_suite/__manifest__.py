{
    "name": "CRM Intelligence Suite",
    "summary": "Installs the whole CRM Intelligence Suite: customer facts, lifecycle and value, "
    "segmentation, predictive mining, capability assessment, service center",
    "version": "19.0.1.3.0",
    "category": "Sales/CRM",
    "author": "CRM Intelligence Suite",
    "license": "LGPL-3",
    "depends": [
        "crm_suite_base",
        "crm_lifecycle_value",
        "crm_mining_segmentation",
        "crm_mining_prediction",
        "crm_capability_assessment",
        "crm_callcenter_service",
    ],
    "application": True,
}
