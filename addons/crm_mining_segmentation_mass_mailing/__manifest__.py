{
    'name': 'CRM Customer Segmentation - Mass Mailing',
    'version': '19.0.1.0.0',
    'summary': 'Fill a mailing list with the members of a customer segment',
    'category': 'Marketing/Email Marketing',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_mining_segmentation', 'mass_mailing'],
    'auto_install': True,
    'data': [
        'wizard/crm_segment_action_wizard_views.xml',
    ],
    'assets': {
        'web.assets_tests': [
            'crm_mining_segmentation_mass_mailing/static/tests/tours/*.js',
        ],
    },
}
