{
    'name': 'CRM Customer Segmentation',
    'version': '19.0.1.0.0',
    'summary': 'RFM scores and segments, customer clusters with stable identities, segment actions '
               'and the customer cube, from posted invoices',
    'category': 'Sales/CRM',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_suite_base', 'crm', 'mail'],
    'external_dependencies': {
        'python': ['crm-intelligence-engines>=19.0.1.0.0', 'numpy', 'scipy', 'scikit-learn'],
    },
    'data': [
        'security/crm_mining_segmentation_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron_data.xml',
        'data/ir_sequence_data.xml',
        'data/crm_segment_data.xml',
        'views/crm_segment_views.xml',
        'report/crm_segment_member_views.xml',
        'report/crm_segment_transition_views.xml',
        'report/crm_suite_customer_transaction_views.xml',
        'views/crm_segmentation_run_views.xml',
        'views/res_partner_views.xml',
        'views/res_config_settings_views.xml',
        'wizard/crm_segment_action_wizard_views.xml',
        'views/crm_mining_segmentation_menus.xml',
    ],
}
