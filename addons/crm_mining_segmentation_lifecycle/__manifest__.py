{
    'name': 'CRM Customer Segmentation - Lifecycle & Value',
    'version': '19.0.1.0.0',
    'summary': 'Average customer lifetime value per segment; the segmentation reads the published '
               'lifecycle figures instead of the invoices again',
    'category': 'Sales/CRM',
    'author': 'CRM Intelligence Suite',
    'license': 'LGPL-3',
    'depends': ['crm_mining_segmentation', 'crm_lifecycle_value'],
    'auto_install': True,
    'external_dependencies': {'python': ['numpy']},
    'data': [
        'views/crm_segment_views.xml',
    ],
}
