{
    'name': 'CRM Predictive Mining - Lifecycle & Value',
    'version': '19.0.1.0.0',
    'summary': 'At risk, high value by predicted customer lifetime value: churn risk x CLV',
    'category': 'Sales/CRM',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_mining_prediction', 'crm_lifecycle_value'],
    'auto_install': True,
    'data': [
        'views/crm_churn_member_views.xml',
    ],
}
