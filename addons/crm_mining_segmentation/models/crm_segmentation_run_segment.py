from odoo import fields, models

#: statistics of a segment in a run (aggregates of its members' lines), declared once: the stored
#: columns of ``crm.segmentation.run.segment`` and the computed figures of ``crm.segment``
STATS = {
    'member_count': (fields.Integer, {'string': 'Members'}),
    'revenue': (fields.Monetary, {'string': 'Revenue (window)'}),
    'margin': (fields.Monetary, {'string': 'Margin (window)'}),
    'median_recency': (fields.Float, {'string': 'Median Recency (days)', 'digits': (16, 0)}),
    'median_frequency': (fields.Float, {'digits': (16, 1)}),
    'median_monetary': (fields.Monetary, {}),
    'average_monetary': (fields.Monetary, {}),
}
STAT_FIELDS = tuple(STATS)


def stat_field(name, **overrides):
    """A new field object for the segment statistic ``name`` (monetary ones use ``currency_id``)."""
    field_class, attrs = STATS[name]
    return field_class(**{**attrs, **overrides})


class CrmSegmentationRunSegment(models.Model):
    """The size and figures of one segment in one segmentation run (written when the run is
    published, one aggregate over its lines): what the segment kanban shows and compares with the
    previous run."""

    _name = 'crm.segmentation.run.segment'
    _description = 'Segment Figures of a Segmentation Run'
    _order = 'run_id, kind, member_count desc'
    _log_access = False

    run_id = fields.Many2one('crm.segmentation.run', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one('res.company', required=True, index=True)
    segment_id = fields.Many2one('crm.segment', required=True, index=True, ondelete='cascade')
    kind = fields.Selection(related='segment_id.kind', store=True)
    currency_id = fields.Many2one(related='company_id.currency_id')
    for _stat in STATS:
        locals()[_stat] = stat_field(_stat)
    del _stat
    is_new = fields.Boolean(string='New Cluster', help='No cluster of the previous run matched it.')

    _run_segment_uniq = models.UniqueIndex('(run_id, segment_id)', 'One row per run and segment.')
