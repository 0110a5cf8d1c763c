from odoo import fields, models
from odoo.tools import SQL


class CrmSuiteCustomerTransaction(models.Model):
    """The customer cube sliced by the customer's current RFM segment and cluster: those of the
    company's published segmentation run, on every line of the customer. Lines of customers the
    published run does not segment (no purchase in its window), or of companies without a
    published run, have neither."""

    _inherit = 'crm.suite.customer.transaction'
    _depends = {
        'crm.segmentation.run.line': ['run_id', 'company_id', 'partner_id', 'rfm_segment_id',
                                      'cluster_segment_id'],
        'crm.segmentation.run': ['published', 'company_id'],
    }

    rfm_segment_id = fields.Many2one(
        'crm.segment', string='RFM Segment', readonly=True,
        help="The customer's current RFM segment (the company's published segmentation run).")
    cluster_segment_id = fields.Many2one(
        'crm.segment', string='Cluster', readonly=True,
        help="The customer's current cluster (the company's published segmentation run).")

    def _cube_fields(self):
        cube_fields = super()._cube_fields()
        cube_fields['rfm_segment_id'] = SQL('seg_line.rfm_segment_id')
        cube_fields['cluster_segment_id'] = SQL('seg_line.cluster_segment_id')
        return cube_fields

    def _cube_joins(self):
        return [*super()._cube_joins(), self._cube_published_line_join(
            'seg', 'crm_segmentation_run', 'crm_segmentation_run_line')]

    def _cube_export_fields(self):
        return [*super()._cube_export_fields(), 'rfm_segment_id', 'cluster_segment_id']
