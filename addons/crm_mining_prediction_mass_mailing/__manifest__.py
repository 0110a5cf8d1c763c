{
    'name': 'CRM Predictive Mining - Mass Mailing',
    'version': '19.0.1.0.0',
    'summary': 'Learn campaign responses from the recipients of the campaigns\' mailings',
    'category': 'Marketing/Email Marketing',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_mining_prediction', 'mass_mailing'],
    'auto_install': True,
}
