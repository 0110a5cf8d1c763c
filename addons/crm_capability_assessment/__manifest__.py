{
    "name": "CRM Capability Assessment",
    "version": "19.0.1.0.0",
    "summary": "Assess the company's CRM capability: indicator system, AHP weights from assessors' "
    "pairwise judgments, fuzzy comprehensive evaluation of survey ratings and of indicators measured "
    "from the ERP, improvement measures, CRM project TCO / NPV / IRR / ROI",
    "category": "Sales/CRM",
    "author": "CRM Intelligence Suite",
    "license": "LGPL-3",
    "depends": ["crm_suite_base", "crm", "mail", "rating", "survey"],
    "external_dependencies": {
        "python": ["crm-intelligence-engines>=19.0.1.0.0", "numpy", "scipy"],
    },
    "data": [
        "security/crm_capability_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/crm_capability_framework_data.xml",
        "views/crm_capability_indicator_views.xml",
        "views/crm_capability_judgment_views.xml",
        "views/crm_capability_assessment_line_views.xml",
        "views/crm_capability_assessment_views.xml",
        "views/crm_capability_project_views.xml",
        "wizard/crm_capability_benefit_wizard_views.xml",
        "views/crm_capability_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_capability_assessment/static/src/components/**/*",
        ],
        "web.assets_tests": [
            "crm_capability_assessment/static/tests/tours/*.js",
        ],
    },
}
