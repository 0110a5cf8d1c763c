from odoo import fields, models


class CrmSegmentationRunSegment(models.Model):
    _inherit = 'crm.segmentation.run.segment'

    average_clv = fields.Monetary(
        string='Average Predicted CLV',
        help='Mean predicted customer lifetime value of the members (published lifecycle run of '
             'the company when the segmentation ran).')
    average_historical_clv = fields.Monetary(
        string='Average Historical CLV', help='Mean margin to date of the members.')
