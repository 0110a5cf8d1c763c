from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = 'res.company'

    crm_seg_rfm_bins = fields.Integer(
        string='RFM Score Levels', default=5,
        help='Number of quantile levels of each RFM score (5: quintiles, scores 1 to 5). The '
             'named segments are defined on the 5 x 5 recency x frequency grid; other levels are '
             'mapped onto it.')
    crm_seg_cluster_count = fields.Integer(
        string='Number of Clusters', default=0,
        help='Customer clusters the segmentation looks for; 0: chosen by the silhouette '
             'coefficient between 2 and 8.')
    crm_seg_random_state = fields.Integer(
        string='Random Seed', default=0,
        help='Seed of the k-means initialisation and of the samples: the same data and seed '
             'give the same clusters.')

    @api.constrains('crm_seg_rfm_bins', 'crm_seg_cluster_count')
    def _check_crm_seg_settings(self):
        for company in self:
            if not 2 <= company.crm_seg_rfm_bins <= 9:
                raise ValidationError(self.env._('The RFM scores have between 2 and 9 levels.'))
            if not 0 <= company.crm_seg_cluster_count <= 20:
                raise ValidationError(self.env._(
                    'The number of clusters lies between 1 and 20 (0: chosen automatically).'))

    def _crm_seg_config(self):
        """The engine's configuration from the company settings."""
        from crm_mining import SegmentationConfig

        self.ensure_one()
        return SegmentationConfig(
            bins=self.crm_seg_rfm_bins,
            k=self.crm_seg_cluster_count or None,
            random_state=self.crm_seg_random_state,
        )
