{
    "name": "CRM Intelligence Suite",
    "summary": "Installs the whole CRM Intelligence Suite; deterministic demo data generator and "
    "bulk loader for benchmark-size data",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Intelligence Suite",
    "license": "LGPL-3",
    "depends": ["crm_suite_base", "crm_lifecycle_value"],
    "external_dependencies": {"python": ["numpy"]},
    "data": [
        "security/ir.model.access.csv",
        "wizard/crm_suite_demo_wizard_views.xml",
    ],
    "demo": [
        "demo/crm_suite_demo.xml",
    ],
    "application": True,
}
