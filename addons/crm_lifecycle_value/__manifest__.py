{
    'name': 'CRM Customer Lifecycle & Value',
    'version': '19.0.1.2.0',
    'summary': 'Customer lifecycle stages, lifetime value (BG/NBD, Gamma-Gamma), tiers and cohorts',
    'category': 'Sales/CRM',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_suite_base', 'account', 'mail'],
    'external_dependencies': {'python': ['crm-intelligence-engines>=19.0.1.0.0', 'numpy']},
    'data': [
        'security/crm_lifecycle_value_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron_data.xml',
        'data/ir_sequence_data.xml',
        'report/crm_customer_value_views.xml',
        'views/crm_customer_stage_history_views.xml',
        'views/crm_customer_cohort_views.xml',
        'views/crm_lifecycle_run_views.xml',
        'views/res_partner_views.xml',
        'views/res_config_settings_views.xml',
        'wizard/crm_lifecycle_export_wizard_views.xml',
        'views/crm_lifecycle_value_menus.xml',
    ],
    'assets': {
        'web.assets_tests': [
            'crm_lifecycle_value/static/tests/tours/*.js',
        ],
    },
}
