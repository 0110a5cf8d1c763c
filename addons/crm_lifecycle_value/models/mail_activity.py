from odoo import fields, models

from .selections import RETENTION_REASON_SELECTION


class MailActivity(models.Model):
    _inherit = 'mail.activity'

    crm_lifecycle_reason = fields.Selection(
        RETENTION_REASON_SELECTION, string='Retention Reason', readonly=True, index='btree_not_null',
        help='Set on the retention activities scheduled by the customer lifecycle refresh; used to '
             'never schedule a second open activity for the same customer and reason.')
