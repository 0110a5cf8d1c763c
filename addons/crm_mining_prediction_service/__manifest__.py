{
    'name': 'CRM Predictive Mining - Service Center',
    'version': '19.0.1.1.0',
    'summary': 'The churn model also reads the customers\' service cases, complaints and satisfaction; '
    'the churn risk on the call center\'s screen pop',
    'category': 'Sales/CRM',
    'author': 'CRM Intelligence Suite',
    'license': 'AGPL-3',
    'depends': ['crm_mining_prediction', 'crm_callcenter_service'],
    'auto_install': True,
    'external_dependencies': {'python': ['crm-intelligence-engines>=19.0.1.0.0', 'numpy']},
}
