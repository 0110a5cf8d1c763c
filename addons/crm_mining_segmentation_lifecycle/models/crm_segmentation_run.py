import numpy as np

from odoo import models
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.pgcopy import copy_query


class CrmSegmentationRun(models.Model):
    """With the lifecycle addon, the segmentation reads each customer's recency, purchases, revenue
    and margin from the company's published lifecycle run when it covers the same analysis window
    (one indexed read of figures computed from the same facts, instead of the invoice lines again:
    the nightly refresh of both analyses reads the lines once), and records the average lifetime
    value of each segment."""

    _inherit = 'crm.segmentation.run'

    def _lifecycle_run(self):
        return self.env['crm.lifecycle.run'].sudo().search([
            ('company_id', '=', self.company_id.id), ('published', '=', True),
            ('date_from', '=', self.date_from), ('date_to', '=', self.date_to)], limit=1)

    def _load_customers(self):
        lifecycle = self._lifecycle_run()
        if not lifecycle:
            return super()._load_customers()
        self.env['crm.lifecycle.run.line'].flush_model()
        ids, recency, purchases, revenue, margin = copy_query(self.env.cr, SQL(
            """SELECT partner_id, recency_days, purchase_count, GREATEST(revenue, 0.0), margin
                 FROM crm_lifecycle_run_line
                WHERE run_id = %s AND purchase_count > 0
             ORDER BY partner_id""", lifecycle.id), ['int4', 'int4', 'int4', 'float8', 'float8'])
        return {
            'partner_ids': ids.astype(np.int64),
            'recency_days': recency.astype(np.int64),
            'frequency': purchases.astype(np.int64),
            'monetary': revenue,
            'margin': margin,
        }

    def _insert_segment_stats(self, scores):
        """Also the average predicted and historical CLV of each segment's members, from the
        company's published lifecycle run: two binary reads and a grouped mean in numpy (a join
        of the two line tables per segment kind costs more than the rest of the publishing)."""
        result = super()._insert_segment_stats(scores)
        lifecycle = self.env['crm.lifecycle.run'].sudo()._published_run_of(self.company_id)
        if not lifecycle:
            return result
        self.env['crm.lifecycle.run.line'].flush_model()
        self.env['crm.segmentation.run.line'].flush_model()
        value_ids, predicted, historical = copy_query(self.env.cr, SQL(
            """SELECT partner_id, COALESCE(predicted_clv, 'NaN'::float8),
                      COALESCE(historical_clv, 'NaN'::float8)
                 FROM crm_lifecycle_run_line WHERE run_id = %s ORDER BY partner_id""", lifecycle.id),
            ['int4', 'float8', 'float8'])
        member_ids, rfm_ids, cluster_ids = copy_query(self.env.cr, SQL(
            """SELECT partner_id, COALESCE(rfm_segment_id, 0), COALESCE(cluster_segment_id, 0)
                 FROM crm_segmentation_run_line WHERE run_id = %s""", self.id), ['int4', 'int4', 'int4'])
        if not len(value_ids) or not len(member_ids):
            return result
        position = np.minimum(np.searchsorted(value_ids, member_ids), len(value_ids) - 1)
        found = value_ids[position] == member_ids
        rows = {}  # segment id -> {'predicted': mean, 'historical': mean}
        for labels in (rfm_ids, cluster_ids):
            for name, values in (('predicted', predicted), ('historical', historical)):
                member_values = np.where(found, values[position], np.nan)
                known = ~np.isnan(member_values) & (labels > 0)
                sums = np.bincount(labels[known], weights=member_values[known])
                counts = np.bincount(labels[known], minlength=len(sums))
                for segment_id in np.flatnonzero(counts).tolist():
                    rows.setdefault(segment_id, {})[name] = float(sums[segment_id] / counts[segment_id])
        if rows:
            ids = list(rows)
            self.env.cr.execute(SQL(
                """UPDATE crm_segmentation_run_segment s
                      SET average_clv = u.clv, average_historical_clv = u.historical
                     FROM unnest(%(ids)s::int4[], %(clv)s::float8[], %(historical)s::float8[])
                          AS u(segment_id, clv, historical)
                    WHERE s.run_id = %(run)s AND s.segment_id = u.segment_id""",
                ids=ids, clv=[rows[i].get('predicted') for i in ids],
                historical=[rows[i].get('historical') for i in ids], run=self.id))
        self.env['crm.segmentation.run.segment'].invalidate_model(['average_clv', 'average_historical_clv'])
        return result
