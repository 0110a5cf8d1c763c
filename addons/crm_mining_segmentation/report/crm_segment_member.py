from odoo import fields, models
from odoo.tools import SQL

from ..models.figures import VIEW_FIGURES, figure_field

VIEW_COLUMNS = ('run_id', 'partner_id', 'company_id', 'rfm_segment_id', 'cluster_segment_id', *VIEW_FIGURES)


class CrmSegmentMember(models.Model):
    """RFM scores, RFM segment and cluster of one customer (commercial partner) in one company.

    A read-only view: the lines of the company's published segmentation run. The members of a
    segment are one range of the run's ``(run_id, rfm_segment_id)`` or ``(run_id,
    cluster_segment_id)`` index. The pivot of R score x F score is the RFM grid: each cell opens
    its customers.
    """

    _name = 'crm.segment.member'
    _inherit = ['crm.suite.customer.line']
    _description = 'Customer Segment Membership'
    _order = 'monetary desc, id'
    _rec_name = 'partner_id'
    _auto = False
    _log_access = False
    _depends = {
        'crm.segmentation.run.line': list(VIEW_COLUMNS),
        'crm.segmentation.run': ['published', 'company_id'],
        'res.company': ['currency_id'],
    }

    @property
    def _table_query(self):
        return SQL(
            """SELECT l.id, %s, c.currency_id, p.user_id
                 FROM crm_segmentation_run_line l
                 JOIN crm_segmentation_run r
                      ON r.id = l.run_id AND r.published AND r.company_id = l.company_id
                 JOIN res_company c ON c.id = l.company_id
                 JOIN res_partner p ON p.id = l.partner_id""",
            SQL(', ').join(SQL.identifier('l', column) for column in VIEW_COLUMNS),
        )

    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    user_id = fields.Many2one('res.users', string='Salesperson', readonly=True)
    run_id = fields.Many2one('crm.segmentation.run', string='Segmentation Run', readonly=True)
    rfm_segment_id = fields.Many2one('crm.segment', string='RFM Segment', readonly=True)
    cluster_segment_id = fields.Many2one('crm.segment', string='Cluster', readonly=True)
    for _figure in VIEW_FIGURES:
        locals()[_figure] = figure_field(_figure, readonly=True)
    del _figure
