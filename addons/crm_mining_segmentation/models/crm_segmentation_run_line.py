from odoo import fields, models

from .figures import FIGURES, figure_field


class CrmSegmentationRunLine(models.Model):
    """The RFM scores, RFM segment and cluster of one customer computed by one segmentation run.

    Written by binary ``COPY`` in committed batches (``crm.suite.run._write_line_batches``); the
    lines of the company's published run are its segment members (``crm.segment.member``, a view
    over this table), the lines of the run before it feed the transition report. Plain integer
    columns, no foreign keys: the rows are written in bulk and removed with their run; the views
    join ``res_partner``, so a deleted partner's line is never shown.
    """

    _name = 'crm.segmentation.run.line'
    _description = 'Customer Segmentation Run Line'
    _log_access = False
    _order = 'run_id, partner_id'

    run_id = fields.Integer(required=True)
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    rfm_segment_id = fields.Integer(string='RFM Segment')
    cluster_segment_id = fields.Integer(string='Cluster')
    for _figure in FIGURES:
        locals()[_figure] = figure_field(_figure, stored=True)
    del _figure

    _partner_run_uniq = models.UniqueIndex('(partner_id, run_id)', 'One line per run and customer.')
    # the members of one segment in the published run: one index range each
    _run_rfm_idx = models.Index('(run_id, rfm_segment_id)')
    _run_cluster_idx = models.Index('(run_id, cluster_segment_id)')
