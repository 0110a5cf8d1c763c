from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    crm_seg_rfm_bins = fields.Integer(related='company_id.crm_seg_rfm_bins', readonly=False)
    crm_seg_cluster_count = fields.Integer(related='company_id.crm_seg_cluster_count', readonly=False)
    crm_seg_random_state = fields.Integer(related='company_id.crm_seg_random_state', readonly=False)
