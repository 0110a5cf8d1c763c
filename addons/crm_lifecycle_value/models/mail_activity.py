from odoo import fields, models

from .selections import RETENTION_REASON_SELECTION


class MailActivity(models.Model):
    _inherit = 'mail.activity'

    crm_lifecycle_reason = fields.Selection(
        RETENTION_REASON_SELECTION, string='Retention Reason', readonly=True, index='btree_not_null',
        help='Set on the retention activities scheduled by the customer lifecycle refresh; used to '
             'never schedule a second open activity for the same customer and reason.')
    crm_lifecycle_company_id = fields.Many2one(
        'res.company', string='Retention Company', readonly=True, index='btree_not_null',
        help='The company whose lifecycle refresh scheduled this retention activity.')
