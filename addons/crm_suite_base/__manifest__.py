{
    "name": "CRM Intelligence Suite: Base",
    "summary": "Security groups, menus, settings, customer transaction facts and Excel export "
    "shared by the CRM Intelligence Suite",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "author": "CRM Intelligence Suite",
    "license": "LGPL-3",
    "depends": ["crm", "account"],
    "external_dependencies": {"python": ["numpy", "xlsxwriter"]},
    "data": [
        "security/crm_suite_security.xml",
        "security/ir.model.access.csv",
        "views/crm_suite_menus.xml",
        "views/customer_transaction_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_suite_base/static/src/**/*",
        ],
    },
}
