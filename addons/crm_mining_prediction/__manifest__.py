{
    'name': 'CRM Predictive Mining',
    'version': '19.0.1.0.0',
    'summary': 'Churn risk with time-split validation, campaign response rules and cross-sell '
    'recommendations filtered by free stock, from invoices and sale orders',
    'category': 'Sales/CRM',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_mining_segmentation', 'sale_stock'],
    'external_dependencies': {
        'python': ['crm-intelligence-engines>=19.0.1.0.0', 'numpy', 'scipy', 'scikit-learn'],
    },
    'data': [
        'security/crm_mining_prediction_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron_data.xml',
        'data/ir_sequence_data.xml',
        'data/crm_segment_data.xml',
        'report/crm_churn_member_views.xml',
        'views/crm_churn_run_views.xml',
        'views/crm_response_run_views.xml',
        'views/crm_cross_sell_views.xml',
        'views/res_partner_views.xml',
        'views/sale_order_views.xml',
        'views/res_config_settings_views.xml',
        'views/crm_mining_prediction_menus.xml',
    ],
    'assets': {
        'web.assets_backend': [
            'crm_mining_prediction/static/src/components/**/*',
        ],
        'web.assets_tests': [
            'crm_mining_prediction/static/tests/tours/**/*',
        ],
    },
}
