{
    "name": "CRM Intelligence Suite: Demo Data",
    "summary": "Deterministic demo data generator and benchmark bulk loader of the CRM Intelligence "
    "Suite (demo and benchmark databases only, never production)",
    "version": "19.0.1.1.0",
    "category": "Hidden",
    "author": "CRM Intelligence Suite",
    "license": "LGPL-3",
    "depends": ["crm_suite", "sale_stock", "stock_account", "mass_mailing"],
    "external_dependencies": {"python": ["crm-intelligence-engines>=19.0.1.0.0", "numpy"]},
    "data": [
        "security/ir.model.access.csv",
        "wizard/crm_suite_demo_wizard_views.xml",
    ],
    "demo": [
        "demo/crm_suite_demo.xml",
    ],
}
