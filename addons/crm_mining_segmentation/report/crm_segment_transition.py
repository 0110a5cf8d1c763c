from odoo import fields, models
from odoo.tools import SQL

KIND_SELECTION = [('rfm', 'RFM Segments'), ('cluster', 'Clusters')]


class CrmSegmentTransition(models.Model):
    """Where each customer was and is: its segment in the run the published segmentation run was
    compared with (from) and in the published run (to), for the RFM segments and for the
    clusters. Customers of one run only have an empty from (new customers) or to (no purchase in
    the window any more) segment. The pivot from-segment x to-segment is the transition matrix;
    each cell opens its customers.
    """

    _name = 'crm.segment.transition'
    _description = 'Customer Segment Transition'
    _order = 'revenue desc, id'
    _rec_name = 'partner_id'
    _auto = False
    _log_access = False
    _depends = {
        'crm.segmentation.run.line': ['run_id', 'company_id', 'partner_id', 'rfm_segment_id',
                                      'cluster_segment_id', 'monetary'],
        'crm.segmentation.run': ['published', 'company_id', 'previous_run_id'],
        'res.company': ['currency_id'],
    }

    @property
    def _table_query(self):
        # the published run's customers (with their earlier line, if any), then the customers of
        # the earlier run only; each pair of lines once per kind of segment. Ids: 4 x line id
        # + 2 for the customers that left + 1 for clusters (unique, positive).
        return SQL(
            """WITH pair AS (
                   SELECT company_id, id AS run_id, previous_run_id
                     FROM crm_segmentation_run
                    WHERE published AND previous_run_id IS NOT NULL
               ), moves AS (
                   SELECT pair.company_id, pair.run_id, pair.previous_run_id, n.id::int8 * 4 AS base_id,
                          n.partner_id, o.rfm_segment_id AS old_rfm, n.rfm_segment_id AS new_rfm,
                          o.cluster_segment_id AS old_cluster, n.cluster_segment_id AS new_cluster,
                          n.monetary AS revenue, COALESCE(o.monetary, 0.0) AS previous_revenue
                     FROM pair
                     JOIN crm_segmentation_run_line n
                          ON n.run_id = pair.run_id AND n.company_id = pair.company_id
                LEFT JOIN crm_segmentation_run_line o
                       ON o.run_id = pair.previous_run_id AND o.partner_id = n.partner_id
                      AND o.company_id = pair.company_id
                UNION ALL
                   SELECT pair.company_id, pair.run_id, pair.previous_run_id, o.id::int8 * 4 + 2,
                          o.partner_id, o.rfm_segment_id, NULL, o.cluster_segment_id, NULL,
                          0.0, o.monetary
                     FROM pair
                     JOIN crm_segmentation_run_line o
                          ON o.run_id = pair.previous_run_id AND o.company_id = pair.company_id
                    WHERE NOT EXISTS (
                          SELECT 1 FROM crm_segmentation_run_line n
                           WHERE n.partner_id = o.partner_id AND n.run_id = pair.run_id)
               )
               SELECT m.base_id + k.shift AS id, k.kind, m.company_id, c.currency_id, m.run_id,
                      m.previous_run_id, m.partner_id,
                      CASE k.kind WHEN 'rfm' THEN m.old_rfm ELSE m.old_cluster END AS from_segment_id,
                      CASE k.kind WHEN 'rfm' THEN m.new_rfm ELSE m.new_cluster END AS to_segment_id,
                      COALESCE(CASE k.kind WHEN 'rfm' THEN m.old_rfm <> m.new_rfm
                                        ELSE m.old_cluster <> m.new_cluster END, FALSE) AS moved,
                      m.revenue, m.previous_revenue
                 FROM moves m
                 CROSS JOIN (VALUES ('rfm'::varchar, 0), ('cluster'::varchar, 1)) AS k(kind, shift)
                 JOIN res_company c ON c.id = m.company_id
                 JOIN res_partner p ON p.id = m.partner_id""")

    kind = fields.Selection(KIND_SELECTION, string='Segments', readonly=True)
    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    run_id = fields.Many2one('crm.segmentation.run', string='Segmentation Run', readonly=True)
    previous_run_id = fields.Many2one('crm.segmentation.run', string='Compared With', readonly=True)
    from_segment_id = fields.Many2one(
        'crm.segment', readonly=True,
        help='Segment in the earlier run; empty: the customer had not bought in its window.')
    to_segment_id = fields.Many2one(
        'crm.segment', readonly=True,
        help='Segment in the published run; empty: no purchase in its window any more.')
    moved = fields.Boolean(
        string='Changed Segment', readonly=True,
        help='The customer is in both runs, in another segment (new customers and customers who '
             'stopped buying are not counted).')
    revenue = fields.Monetary(string='Revenue (window)', readonly=True)
    previous_revenue = fields.Monetary(string='Revenue (earlier window)', readonly=True)
