from odoo import api, fields, models


class CrmSegment(models.Model):
    _inherit = 'crm.segment'

    average_clv = fields.Monetary(string='Average Predicted CLV', compute='_compute_stats')
    average_historical_clv = fields.Monetary(string='Average Historical CLV', compute='_compute_stats')

    @api.depends_context('company')
    def _compute_stats(self):
        result = super()._compute_stats()
        run = self.env['crm.segmentation.run'].sudo()._published_run_of(self.env.company)
        stats = run._segment_stats(self, ['average_clv', 'average_historical_clv'])
        for segment in self:
            stat = stats.get(segment.id, {})
            segment.average_clv = stat.get('average_clv', 0.0)
            segment.average_historical_clv = stat.get('average_historical_clv', 0.0)
        return result
